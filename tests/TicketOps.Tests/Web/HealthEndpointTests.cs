using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace TicketOps.Tests.Web;

public sealed class HealthEndpointTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "ticketops-tests", Guid.NewGuid().ToString("N"));
    private readonly WebApplicationFactory<Program> _factory;

    public HealthEndpointTests() =>
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web.UseSetting("TicketOps:DataDir", _dataDir));

    public void Dispose()
    {
        _factory.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Support.TempFolder.Delete(_dataDir);
    }

    [Fact]
    public async Task Live_answers_anonymously()
    {
        using HttpClient client = _factory.CreateClient();

        HttpResponseMessage response = await client.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Ready_answers_anonymously_once_the_database_is_migrated_and_says_how_far_behind_the_change_log_the_index_is()
    {
        using HttpClient client = _factory.CreateClient();

        HttpResponseMessage response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        JsonElement checks = body.RootElement.GetProperty("checks");
        Assert.Equal(["changes", "database", "index"], checks.EnumerateObject().Select(c => c.Name).Order(StringComparer.Ordinal));
        JsonElement changes = checks.GetProperty("changes").GetProperty("data");
        Assert.Equal(0, changes.GetProperty("pending").GetInt32());
        Assert.Equal(0, changes.GetProperty("lag_seconds").GetDouble());
        Assert.True(changes.TryGetProperty("last_applied_id", out _));
        Assert.True(File.Exists(Path.Combine(_dataDir, "ticketops.db")));
        Assert.True(File.Exists(Path.Combine(_dataDir, "change-feed.json")));
    }
}
