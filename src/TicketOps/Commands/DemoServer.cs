using TicketOps.Cli;
using TicketOps.Core.Access;
using TicketOps.Core.Storage;
using TicketOps.Web;
using TicketOps.Web.Access;

namespace TicketOps.Commands;

/// <summary>The end of <c>demo</c>: one key per role in the demo data, then the web app over it.</summary>
internal static class DemoServer
{
    public static async Task<int> RunAsync(CliOutput output, DataDirectory dataDirectory, string urls, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var keys = new List<(string Role, string Key)>();
        await using (TicketOpsDbContext db = TicketOpsDatabase.CreateContext(dataDirectory))
        {
            var store = new ApiKeyStore(db, timeProvider);
            foreach (string role in AccessRoles.All)
            {
                keys.Add((role, (await store.CreateAsync($"demo {role}", role, cancellationToken)).PlainKey));
            }
        }

        string url = urls.Split(';')[0].TrimEnd('/');
        output.Line("");
        output.Line($"8. Serving the demo at {url} (Ctrl+C to stop). Sign in at {url}{AccessPaths.SignIn} or call the API with a key:");
        foreach ((string role, string key) in keys)
        {
            output.Line($"   {role,-16} {key}");
        }

        output.Line($"   curl -H \"Authorization: Bearer {keys[0].Key}\" -H 'Content-Type: application/json' -d '{{\"text\": \"SAML login fails with ERR_SAML_CLOCK_SKEW\"}}' {url}/api/match");
        output.Line($"   API reference: {url}/api/reference/ (sign in first)");
        WebApplication app = WebApp.Build([], dataDirectory.Root, urls);
        await app.RunAsync(cancellationToken);
        return ExitCodes.Success;
    }
}
