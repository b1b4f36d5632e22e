using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TicketOps.Core.Access;
using TicketOps.Core.Storage;
using TicketOps.TestSupport;
using TicketOps.Tests.Support;
using TicketOps.Web.Access;
using Xunit.Abstractions;

namespace TicketOps.Tests.Web;

/// <summary>
/// The real app over a fresh data directory (SQLite file, index, knowledge folder) with one API key per
/// role; the app's logs go to the current test's output.
/// </summary>
public class TicketOpsWebFactory : WebApplicationFactory<Program>
{
    private readonly TempFolder _temp = new();
    private TestDatabase? _database;
    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);
    private bool _deleted;

    public TicketOpsWebFactory()
    {
        // The repository's own knowledge folder: real playbooks and templates to match and flag.
        string source = Path.Combine(RepositoryRoot(), "knowledge");
        foreach (string file in Directory.GetFiles(source, "*.md", SearchOption.AllDirectories))
        {
            string target = Path.Combine(KnowledgeDir, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>Where the current test writes; set by the test class.</summary>
    public ITestOutputHelper? Output { get; set; }

    public string DataDir => _temp.Combine("data");

    public string KnowledgeDir => _temp.Combine("knowledge");

    /// <summary>The database the app uses: the SQLite file in its data directory unless a subclass says otherwise.</summary>
    protected virtual DatabaseProvider Provider => DatabaseProvider.Sqlite;

    /// <summary>A database another factory (another instance of the app) uses too; null for the factory's own.</summary>
    protected virtual DatabaseLocation? SharedDatabase => null;

    /// <summary>Extra settings (e.g. a low rate limit).</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("TicketOps:DataDir", DataDir);
        builder.UseSetting("TicketOps:KnowledgeDir", KnowledgeDir);
        builder.UseSetting("TicketOps:RateLimit:RequestsPerSecond", "1000");
        builder.UseSetting("TicketOps:RateLimit:Burst", "1000");
        if (SharedDatabase is { } shared)
        {
            builder.UseSetting("TicketOps:Database", shared.Provider == DatabaseProvider.PostgreSql ? shared.ConnectionString : shared.Description);
        }
        else if (Provider == DatabaseProvider.PostgreSql)
        {
            _database ??= TestDatabase.Create(DatabaseProvider.PostgreSql);
            builder.UseSetting("TicketOps:Database", _database.Location.ConnectionString);
        }

        foreach ((string name, string? value) in Settings)
        {
            builder.UseSetting(name, value);
        }

        builder.ConfigureLogging(logging => logging.ClearProviders().AddProvider(new TestOutputLoggerProvider(() => Output)));
    }

    /// <summary>The key of a role (created on first use).</summary>
    public string KeyFor(string role)
    {
        lock (_keys)
        {
            if (!_keys.TryGetValue(role, out string? key))
            {
                using IServiceScope scope = Services.CreateScope();
                ApiKeyStore store = scope.ServiceProvider.GetRequiredService<ApiKeyStore>();
                key = store.CreateAsync($"test {role}", role).GetAwaiter().GetResult().PlainKey;
                _keys[role] = key;
            }

            return key;
        }
    }

    /// <summary>A client that sends the role's key as a bearer token; anonymous when the role is null.</summary>
    public HttpClient ClientFor(string? role)
    {
        HttpClient client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (role is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", KeyFor(role));
        }

        return client;
    }

    /// <summary>A database context on the app's database, for arranging and checking state.</summary>
    public TicketOpsDbContext OpenDatabase() => TicketOpsDatabase.CreateContext(SharedDatabase ?? _database?.Location ?? new DataDirectory(DataDir).Database);

    private static string RepositoryRoot()
    {
        string? folder = AppContext.BaseDirectory;
        while (folder is not null && !File.Exists(Path.Combine(folder, "TicketOps.sln")))
        {
            folder = Path.GetDirectoryName(folder);
        }

        return folder ?? throw new InvalidOperationException("TicketOps.sln not found above the test binaries.");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && !_deleted)
        {
            // Dispose and DisposeAsync both end here.
            _deleted = true;
            _temp.Dispose();
            _database?.Dispose();
        }
    }
}

/// <summary>The same app on a fresh PostgreSQL database (its data directory keeps only the derived index).</summary>
public sealed class PostgreSqlWebFactory : TicketOpsWebFactory
{
    protected override DatabaseProvider Provider => DatabaseProvider.PostgreSql;
}
