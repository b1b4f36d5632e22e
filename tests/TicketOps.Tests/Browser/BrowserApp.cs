using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TicketOps.Cli;
using TicketOps.Core.Access;
using TicketOps.Core.Storage;
using TicketOps.Tests.Cli;
using TicketOps.Tests.Support;
using TicketOps.Web;
using TicketOps.Web.Access;

namespace TicketOps.Tests.Browser;

/// <summary>
/// The real app on a real Kestrel port over a small synthetic data set (generated, imported and indexed,
/// the repository's knowledge loaded, mined), one API key per role, and Debian's Chromium driven by
/// Playwright. Built once for all browser tests; each test opens its own browser context (own cookies).
/// </summary>
public sealed class BrowserApp : IAsyncLifetime, IDisposable
{
    /// <summary>Debian's package; scripts/test installs it. Playwright downloads nothing.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private const int SeedCases = 300;

    private readonly TempFolder _temp = new();
    private readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal);
    private WebApplication? _app;
    private IPlaywright? _playwright;

    public string DataDir => _temp.Combine("data");

    /// <summary>The address the app listens on, e.g. http://127.0.0.1:41234.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The day the synthetic cases end (today, UTC), so themes and metrics windows hold them.</summary>
    public static DateTime DataEnd { get; } = DateTime.UtcNow.Date;

    /// <summary>Where screenshots go: artifacts/screenshots in the checkout.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        string cases = _temp.Combine("cases.jsonl");
        await RunAsync("generate", "--cases", SeedCases.ToString(System.Globalization.CultureInfo.InvariantCulture), "--seed", "11", "--end", DataEnd.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), "--out", cases);
        await RunAsync("import", cases, "--data-dir", DataDir);

        // A copy of the repository's knowledge folder: approvals in the browser write files into it.
        CopyFolder(Path.Combine(RepositoryRoot(), "knowledge"), KnowledgeDir);
        await RunAsync("knowledge", "sync", "--folder", KnowledgeDir, "--data-dir", DataDir);
        await RunAsync("mine", "--data-dir", DataDir);

        _app = WebApp.Build(["--Logging:LogLevel:Default=Warning", "--environment=Production", $"--TicketOps:KnowledgeDir={KnowledgeDir}"], DataDir, "http://127.0.0.1:0");
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Urls.First()); // the port Kestrel picked

        await using (AsyncServiceScope scope = _app.Services.CreateAsyncScope())
        {
            ApiKeyStore store = scope.ServiceProvider.GetRequiredService<ApiKeyStore>();
            foreach (string role in AccessRoles.All)
            {
                _keys[role] = (await store.CreateAsync($"browser {role}", role)).PlainKey;
            }
        }

        // The first match loads the model and reads the index; done once here, no browser test waits on it
        // (on a busy two-core machine that wait came close to a page's 30 s timeout).
        using (var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(5) })
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _keys[AccessRoles.Agent]);
            using HttpResponseMessage warm = await http.PostAsync(
                new Uri("/api/match", UriKind.Relative),
                new StringContent("{\"text\": \"SAML login fails with ERR_SAML_CLOCK_SKEW since this morning\"}", System.Text.Encoding.UTF8, "application/json"));
            warm.EnsureSuccessStatusCode();
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>The knowledge folder the app writes approved articles to (a copy of the repository's).</summary>
    public string KnowledgeDir => _temp.Combine("knowledge");

    private static void CopyFolder(string source, string target)
    {
        foreach (string file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            string copy = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
    }

    /// <summary>The API key of a role (see <see cref="AccessRoles"/>).</summary>
    public string KeyFor(string role) => _keys[role];

    /// <summary>A fresh browser context (no cookies) with a page on the app.</summary>
    public async Task<IPage> NewPageAsync()
    {
        IBrowserContext context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
        });
        context.SetDefaultTimeout(60_000);
        return await context.NewPageAsync();
    }

    /// <summary>A database context on the app's database, to arrange and check state.</summary>
    public TicketOpsDbContext OpenDatabase() => TicketOpsDatabase.CreateContext(new DataDirectory(DataDir));

    /// <summary>Saves a full-page screenshot under artifacts/screenshots and returns its path.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        Directory.CreateDirectory(ScreenshotFolder);
        string path = Path.Combine(ScreenshotFolder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>Deletes the data set (after <see cref="DisposeAsync"/> stopped the app).</summary>
    public void Dispose() => _temp.Dispose();

    private static async Task RunAsync(params string[] args)
    {
        CliRun run = await CliRun.RunAsync(args);
        if (run.ExitCode != ExitCodes.Success)
        {
            throw new InvalidOperationException($"seeding failed: ticketops {string.Join(' ', args)} exited {run.ExitCode}: {run.Error}");
        }
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TicketOps.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no TicketOps.sln above {AppContext.BaseDirectory}");
    }
}

/// <summary>The browser tests share one app and one browser, and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserTestGroup : ICollectionFixture<BrowserApp>
{
    public const string Name = "browser";
}
