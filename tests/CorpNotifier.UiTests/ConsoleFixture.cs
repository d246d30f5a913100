using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CorpNotifier.Contracts;
using Deque.AxeCore.Playwright;

namespace CorpNotifier.UiTests;

/// <summary>Every test of this project shares one service process, one browser and the data seeded once.</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}

/// <summary>
/// The console as an operator meets it: the built service on its embedded default (in-memory bus,
/// SQLite, letters written as files) in its own process, with one API key per role, seeded through
/// the real API; and Debian's Chromium, headless, driven by Playwright. Each test opens its own
/// browser context (<see cref="NewPageAsync"/>), so cookies never cross tests.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime
{
    /// <summary>The browser the tests drive; deploy/local/install.sh installs it.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>How long a page, a click or an expectation may take on a busy two-core machine.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static readonly string[] Roles = [Auth.Roles.Viewer, Auth.Roles.Operator, Auth.Roles.Admin, Auth.Roles.Producer];

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("corp-notifier-ui-");
    private ServiceProcess? _service;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private readonly List<IBrowserContext> _contexts = [];

    public ServiceProcess Service => _service ?? throw new InvalidOperationException("The service has not started.");

    public string BaseUrl => Service.BaseUrl;

    /// <summary>Authenticates to the API as the admin (who may do everything).</summary>
    public HttpClient Api { get; private set; } = new();

    /// <summary>What the fixture sent and what it made: clients, events and two letters.</summary>
    public SeededData Seeded { get; private set; } = SeededData.Empty;

    /// <summary>The person an API key of <paramref name="role"/> signs in as: <c>ui-{role}</c>.</summary>
    public static string NameOf(string role) => $"ui-{role}";

    /// <summary>The personal API key of <paramref name="role"/>.</summary>
    public static string KeyOf(string role) => $"ui-test-key-of-{role}-3f9c";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is missing at {ChromiumPath}; the browser tests drive Debian's chromium package. Install it with deploy/local/install.sh (as root or with sudo).");
        }

        var settings = new Dictionary<string, string>
        {
            ["Transport"] = "InMemory",
            ["Database"] = "Sqlite",
            ["ConnectionStrings:Sqlite"] = $"Data Source={Path.Combine(_folder.FullName, "corp-notifier.db")}",
            ["Mailer"] = "File",
            ["FileMailer:Folder"] = Path.Combine(_folder.FullName, "letters"),
            // The seeded letters' moments must not depend on the hour the suite runs at.
            ["SendWindows:Enabled"] = "false",
        };

        var browserStart = StartBrowserAsync();
        _service = await ServiceProcess.StartAsync(new ServiceStart(settings)
        {
            Keys = new ApiKeys(Roles, NameOf, KeyOf),
            // Started from an unrelated folder, as systemd would: the service finds its files next to itself.
            WorkingDirectory = _folder.CreateSubdirectory("cwd").FullName,
        });
        Api = Service.ClientAs(Auth.Roles.Admin);
        Api.Timeout = Timeout;
        Seeded = await SeedAsync();
        await browserStart;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        Api.Dispose();
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        try
        {
            _folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // a file still held open; the temp folder is cleaned by the system
        }
    }

    /// <summary>A new page in its own browser context (no cookies), 1366×768, en-US, with the long timeouts.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
            Locale = "en-US",
        });
        context.SetDefaultTimeout((float)Timeout.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)Timeout.TotalMilliseconds);
        _contexts.Add(context);
        return await context.NewPageAsync();
    }

    /// <summary>Closes the browser contexts opened so far (<see cref="ConsoleTest"/> calls it after each test; tests run one at a time).</summary>
    public async Task CloseContextsAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }

        _contexts.Clear();
    }

    /// <summary>Signs in on the sign-in page with the personal key of <paramref name="role"/> and waits for the console's header to name the person.</summary>
    public static async Task SignInAsync(IPage page, string role)
    {
        await page.GotoAsync("/admin/signin");
        await page.GetByLabel("Personal API key").FillAsync(KeyOf(role));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("who")).ToHaveTextAsync($"{NameOf(role)} ({role})");
    }

    /// <summary>Fails when axe-core finds a serious or critical violation on the page as it is now, listing each with where it is.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        // Not inside frames: the letter preview is a sandboxed frame without script, where axe cannot run
        // (it would wait for it forever), and its content is the mail templates', not the console's.
        var results = await page.RunAxe(new Deque.AxeCore.Commons.AxeRunOptions { Iframes = false });
        results.Passes.ShouldNotBeEmpty($"axe-core checked nothing on {page.Url}");
        var grave = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        if (grave.Count == 0)
        {
            return;
        }

        var report = new StringBuilder($"{grave.Count} serious or critical accessibility violation(s) on {page.Url}:");
        foreach (var violation in grave)
        {
            report.Append($"\n- [{violation.Impact}] {violation.Id}: {violation.Help} ({violation.HelpUrl})");
            foreach (var node in violation.Nodes)
            {
                report.Append($"\n    at {node.Target}: {node.Html}");
            }
        }

        throw new Xunit.Sdk.XunitException(report.ToString());
    }

    /// <summary>
    /// Writes the page as <c>docs/ui/{name}.png</c> in the repository when <c>CORP_UI_SCREENSHOTS=1</c>;
    /// otherwise does nothing, so an ordinary test run leaves the documentation alone.
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("CORP_UI_SCREENSHOTS") != "1")
        {
            return;
        }

        var folder = Path.Combine(HostBuild.RepositoryRoot, "docs", "ui");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"{name}.png") });
    }

    private async Task StartBrowserAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Timeout = (float)TimeSpan.FromSeconds(60).TotalMilliseconds,
        });
        Assertions.SetDefaultExpectTimeout((float)Timeout.TotalMilliseconds);
    }

    /// <summary>
    /// Two clients with a profile and an active prepaid contract each (an activation letter sent at
    /// once, take-a-ride letters pending for days ahead), then balance drops: the first client's below
    /// the low-balance threshold (a LowBalanceNotice sent at once), the second's below the deactivation
    /// threshold (LimitIsOverNotice sent, its reminder pending). Each event is sent after the one before
    /// it was processed, as a producer's ordered stream would arrive.
    /// </summary>
    private async Task<SeededData> SeedAsync()
    {
        var events = TestEvents.RealTime;
        string[] clients = ["ui-client-1", "ui-client-2"];
        var sent = new List<string>();
        foreach (var client in clients)
        {
            sent.Add(await SendAsync(events.Profile(client)));
            sent.Add(await SendAsync(events.Contract(client, null, TestEvents.KnownState(low: 100, deactivate: 25))));
        }

        var lowBalance = await SendAsync(events.Balance(clients[0], 150, 60));
        var limitOver = await SendAsync(events.Balance(clients[1], 150, 5));
        sent.Add(lowBalance);
        sent.Add(limitOver);

        var notices = await Eventually.MatchAsync(
            () => NoticesAsync(clients[0]),
            n => n.Any(x => x.Kind == "LowBalanceNotice" && x.Status == "sent") && n.Any(x => x.Status == "pending"),
            $"a sent LowBalanceNotice and a pending letter for {clients[0]}",
            diagnostics: Service.Log);
        await Eventually.MatchAsync(
            () => NoticesAsync(clients[1]),
            n => n.Any(x => x.Kind == "LimitIsOverNotice" && x.Status == "sent"),
            $"a sent LimitIsOverNotice for {clients[1]}",
            diagnostics: Service.Log);

        return new SeededData(
            clients,
            sent,
            SentNoticeId: notices.First(x => x.Kind == "LowBalanceNotice" && x.Status == "sent").Id,
            PendingNoticeId: notices.First(x => x.Status == "pending").Id);
    }

    /// <summary>Posts an event with the admin key and waits until the service has processed it.</summary>
    public async Task<string> SendAsync(IEvent evt)
    {
        using (var response = await Api.PostAsJsonAsync("/api/v1/events", Intake.EventEnvelopeReader.Write(evt)))
        {
            if ((int)response.StatusCode != 202)
            {
                throw new InvalidOperationException($"POST /api/v1/events answered {(int)response.StatusCode} for {evt.EventId}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        await Eventually.MatchAsync(
            async () =>
            {
                using var response = await Api.GetAsync($"/api/v1/events/{Uri.EscapeDataString(evt.EventId)}");
                return (int)response.StatusCode;
            },
            status => status == 200,
            $"event {evt.EventId} to be processed",
            diagnostics: Service.Log);
        return evt.EventId;
    }

    private async Task<IReadOnlyList<SeededNotice>> NoticesAsync(string clientId)
    {
        var page = await Api.GetFromJsonAsync<JsonElement>($"/api/v1/notices?clientId={Uri.EscapeDataString(clientId)}&limit=100");
        return page.GetProperty("items").EnumerateArray()
            .Select(n => new SeededNotice(n.GetProperty("id").GetInt64(), n.GetProperty("kind").GetString()!, n.GetProperty("status").GetString()!))
            .ToList();
    }

    private sealed record SeededNotice(long Id, string Kind, string Status);
}

/// <summary>The ids of what the fixture seeded, for tests that look for them in the console.</summary>
public sealed record SeededData(IReadOnlyList<string> ClientIds, IReadOnlyList<string> EventIds, long SentNoticeId, long PendingNoticeId)
{
    public static SeededData Empty { get; } = new([], [], 0, 0);
}
