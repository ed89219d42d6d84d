using System.Collections.Concurrent;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AsyncJobs.IntegrationTests.LiveConsole;

/// <summary>The console in one browser context, as a user sees it: every wait is on what the page shows, with a deadline.</summary>
public sealed class ConsolePage : IAsyncDisposable
{
    /// <summary>Long enough for a loaded 2-core machine; a passing test waits only as long as the page needs.</summary>
    public const float WaitMs = 60_000;

    // The live region holds one message at a time and the next event may replace it within milliseconds: the page
    // records every message it announces, so a test can ask whether one was said rather than whether it is still there.
    private const string AnnouncementRecorder = """
        window.announcements = [];
        document.addEventListener('DOMContentLoaded', () => {
          const announcer = document.getElementById('announcer');
          new MutationObserver(() => { if (announcer.textContent) window.announcements.push(announcer.textContent); })
            .observe(announcer, { childList: true, characterData: true, subtree: true });
        });
        """;

    private readonly IBrowserContext context;
    private readonly ConcurrentQueue<string> requestedUrls = new();
    private int mainFrameNavigations;

    private ConsolePage(IBrowserContext context, IPage page)
    {
        this.context = context;
        Page = page;
        context.Request += (_, request) => requestedUrls.Enqueue(request.Url);
        page.FrameNavigated += (_, frame) =>
        {
            if (frame == page.MainFrame)
            {
                Interlocked.Increment(ref mainFrameNavigations);
            }
        };
    }

    public IPage Page { get; }

    /// <summary>Every URL the page requested: documents, scripts, fetch calls and EventSource streams.</summary>
    public IReadOnlyCollection<string> RequestedUrls => [.. requestedUrls];

    /// <summary>Navigations of the page since it first loaded; the console never reloads to show news.</summary>
    public int Reloads => mainFrameNavigations - 1;

    public static async Task<ConsolePage> OpenAsync(IBrowserContext context, CancellationToken cancellationToken)
    {
        context.SetDefaultTimeout(WaitMs);
        var page = new ConsolePage(context, await context.NewPageAsync());
        await page.Page.AddInitScriptAsync(AnnouncementRecorder);
        cancellationToken.ThrowIfCancellationRequested();
        await page.Page.GotoAsync("/console");
        await Expect(page.Page.GetByLabel("API key")).ToBeVisibleAsync();
        return page;
    }

    /// <summary>Waits until the page has announced (in its aria-live region) a message containing <paramref name="text"/>.</summary>
    public async Task WaitForAnnouncementAsync(string text)
    {
        try
        {
            await Page.WaitForFunctionAsync("text => window.announcements.some(message => message.includes(text))", text, new() { Timeout = WaitMs });
        }
        catch (TimeoutException)
        {
            var said = await Page.EvaluateAsync<string[]>("() => window.announcements");
            throw new ShouldAssertException($"The page never announced '{text}'; it announced: {string.Join(" | ", said)}");
        }
    }

    /// <summary>How the page names a job in labels: the random end of its UUIDv7.</summary>
    public static string ShortId(Guid jobId) => jobId.ToString()[^8..];

    public ILocator JobRow(Guid jobId) => Page.Locator($"#jobs-body tr[data-job-id=\"{jobId}\"]");

    public ILocator DeadLetterRow(Guid jobId) => Page.Locator($"#dead-letters-body tr[data-job-id=\"{jobId}\"]");

    public async Task SignInAsync(string apiKey)
    {
        await Page.GetByLabel("API key").FillAsync(apiKey);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await WaitUntilLiveAsync();
    }

    /// <summary>The key typed into the focused field and submitted with Enter: no pointer involved.</summary>
    public async Task SignInWithKeyboardAsync(string apiKey)
    {
        (await FocusedAsync("el => el.id")).ShouldBe("api-key", "the page opens with the key field focused");
        await Page.Keyboard.TypeAsync(apiKey);
        await Page.Keyboard.PressAsync("Enter");
        await WaitUntilLiveAsync();
    }

    public async Task WaitUntilLiveAsync()
    {
        await Expect(Page.Locator("#workspace")).ToBeVisibleAsync(new() { Timeout = WaitMs });
        await Expect(Page.Locator("#stream-status")).ToHaveTextAsync("Live", new() { Timeout = WaitMs });
    }

    public static Task WaitForStatusAsync(ILocator row, string status) =>
        Expect(row.Locator("[data-field=status]")).ToHaveTextAsync(status, new() { Timeout = WaitMs });

    /// <summary>Waits until the job's bar shows a value strictly between 0 and 100, and returns it.</summary>
    public async Task<double> WaitForProgressUnderwayAsync(Guid jobId)
    {
        var handle = await Page.WaitForFunctionAsync(
            """
            id => {
              const bar = document.querySelector(`#jobs-body tr[data-job-id="${id}"] progress`);
              return bar && bar.value > 0 && bar.value < 100 ? bar.value : null;
            }
            """,
            jobId.ToString(),
            new PageWaitForFunctionOptions { Timeout = WaitMs });
        return await handle.JsonValueAsync<double>();
    }

    public async Task<double> ProgressOfAsync(Guid jobId) =>
        await JobRow(jobId).Locator("progress").EvaluateAsync<double>("bar => bar.value");

    /// <summary>Presses Tab until the element labelled <paramref name="accessibleName"/> has focus; fails if Tab never reaches it.</summary>
    public async Task TabToAsync(string accessibleName, int maxPresses = 80)
    {
        for (var press = 0; press < maxPresses; press++)
        {
            await Page.Keyboard.PressAsync("Tab");
            if (await FocusedAsync("el => el.getAttribute('aria-label') ?? el.textContent.trim()") == accessibleName)
            {
                return;
            }
        }

        throw new ShouldAssertException($"{maxPresses} presses of Tab never focused '{accessibleName}'.");
    }

    /// <summary>The focused element's outline: the console never hides where the keyboard is.</summary>
    public Task<string> FocusedOutlineStyleAsync() => FocusedAsync("el => getComputedStyle(el).outlineStyle");

    public Task SaveScreenshotAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return Page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
    }

    /// <summary>No URL the page requested carries any of the secrets, as such or URL-encoded.</summary>
    public void ShouldNotHaveSecretsInUrls(params string[] secrets)
    {
        var urls = RequestedUrls;
        urls.ShouldNotBeEmpty();
        foreach (var secret in secrets)
        {
            urls.ShouldAllBe(url => !url.Contains(secret) && !url.Contains(Uri.EscapeDataString(secret)), $"a URL carries a secret: {string.Join("\n", urls)}");
        }
    }

    public async ValueTask DisposeAsync() => await context.DisposeAsync();

    private async Task<string> FocusedAsync(string expression) =>
        await Page.EvaluateAsync<string>($"() => {{ const el = document.activeElement; return el ? ({expression})(el) : ''; }}");
}
