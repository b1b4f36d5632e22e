using Microsoft.EntityFrameworkCore;
using TicketOps.Cli;
using TicketOps.Core.Mining;
using TicketOps.Core.Storage;
using TicketOps.Tests.Support;
using TicketOps.Tests.Web;
using TicketOps.Web.Access;
using Xunit.Abstractions;

namespace TicketOps.Tests.Cli;

/// <summary>
/// A verb run against the data directory of a running server (which holds the match index's one writer)
/// refuses with a message naming the directory and what to do, exit code <see cref="ExitCodes.Refused"/>,
/// and writes nothing.
/// </summary>
public sealed class DataDirectoryInUseTests(TicketOpsWebFactory app, ITestOutputHelper output) : WebTest<TicketOpsWebFactory>(app, output)
{
    [Fact]
    public async Task Verbs_against_a_served_data_directory_say_to_stop_the_server_or_use_the_api_and_change_nothing()
    {
        long candidateId = await ReviewApi.MineCandidateAsync(App, "lk", "Mail merge skips contacts with a plus sign in the address", "Address parser rejects plus addressing", "Update the parser; Re-run the merge");
        using var temp = new TempFolder();
        string file = temp.Write("cases.jsonl", """{"external_id":"LK-1","title":"a","product":"SSO","created_at":"2025-01-01T00:00:00Z","resolved_at":"2025-01-02T00:00:00Z"}""" + "\n");
        int casesBefore = await CountCasesAsync();

        CliRun import = await CliRun.RunAsync("import", file, "--data-dir", App.DataDir);
        CliRun match = await CliRun.RunAsync("match", "mail merge skips contacts", "--data-dir", App.DataDir);
        CliRun approve = await CliRun.RunAsync("review", "approve", candidateId.ToString(System.Globalization.CultureInfo.InvariantCulture), "--as", "ana", "--knowledge", App.KnowledgeDir, "--data-dir", App.DataDir);

        Assert.All([import, match, approve], run =>
        {
            Assert.Equal(ExitCodes.Refused, run.ExitCode);
            Assert.Contains($"The data directory '{App.DataDir}' is in use", run.Error, StringComparison.Ordinal);
            Assert.Contains("Stop 'ticketops serve' for this data directory", run.Error, StringComparison.Ordinal);
            Assert.Contains("use its HTTP API instead", run.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("LockObtainFailedException", run.Error, StringComparison.Ordinal);
        });
        Assert.Equal(casesBefore, await CountCasesAsync());
        await using TicketOpsDbContext db = App.OpenDatabase();
        Assert.Equal(CandidateState.Draft, (await db.Set<MiningCandidate>().SingleAsync(c => c.Id == candidateId)).State);
    }

    [Fact]
    public async Task Serve_on_a_data_directory_whose_index_is_held_says_which_and_exits_refused()
    {
        using var temp = new TempFolder();
        var dataDirectory = new DataDirectory(temp.Combine("data"));
        await TicketOpsDatabase.MigrateAsync(dataDirectory);
        using MatchIndexLease held = MatchIndexLease.Take(dataDirectory); // as a CLI verb in another process would

        CliRun serve = await CliRun.RunAsync("serve", "--data-dir", dataDirectory.Root, "--urls", "http://127.0.0.1:0");

        Assert.Equal(ExitCodes.Refused, serve.ExitCode);
        Assert.Contains($"The data directory '{dataDirectory.Root}' is in use", serve.Error, StringComparison.Ordinal);
        Assert.Contains("start the server again", serve.Error, StringComparison.Ordinal);
    }

    private async Task<int> CountCasesAsync()
    {
        App.KeyFor(AccessRoles.Admin); // the server is up and holds the index
        await using TicketOpsDbContext db = App.OpenDatabase();
        return await db.Cases.CountAsync();
    }
}
