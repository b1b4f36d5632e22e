using System.Net;
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

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_anonymously_once_the_database_is_migrated(string path)
    {
        using HttpClient client = _factory.CreateClient();

        HttpResponseMessage response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        Assert.True(File.Exists(Path.Combine(_dataDir, "ticketops.db")));
    }
}
