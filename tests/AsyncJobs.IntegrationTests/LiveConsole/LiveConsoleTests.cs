using System.Text.RegularExpressions;
using AsyncJobs.IntegrationTests.Api;
using AsyncJobs.LocalHost;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AsyncJobs.IntegrationTests.LiveConsole;

/// <summary>
/// The live console in Debian's headless Chromium against the real topology: jobs submitted through the API appear
/// and advance without a reload, and cancel and dead-letter retry work from the page. The API key never leaves
/// the page in a URL: the tenant stream is opened with single-use stream tickets.
/// </summary>
[Collection(LiveConsoleCollectionDefinition.Name)]
public sealed class LiveConsoleTests(LiveConsoleFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_job_submitted_through_the_api_advances_live_to_succeeded_without_a_reload()
    {
        using var deadline = StartDeadline();
        await using var tenant = await fixture.NewTenantAsync("console-live", deadline.Token);
        await using var console = await fixture.OpenConsoleAsync(deadline.Token);
        await console.SignInAsync(tenant.ApiKey);

        var quick = await tenant.SubmitAsync(DemoJobs.Quick(), deadline.Token);
        var failing = await tenant.SubmitAsync(DemoJobs.AlwaysFailing(), deadline.Token);
        var slow = await tenant.SubmitAsync(DemoJobs.Steps(steps: 10, stepDurationMs: 700), deadline.Token);

        await ConsolePage.WaitForStatusAsync(console.JobRow(quick.Id), "succeeded");
        await ConsolePage.WaitForStatusAsync(console.JobRow(failing.Id), "failed");
        var underway = await console.WaitForProgressUnderwayAsync(slow.Id);
        await Expect(console.JobRow(slow.Id).Locator("[data-field=message]")).Not.ToBeEmptyAsync();

        // The detail follows the same job live: its timeline grows with the events the tenant stream brings.
        await console.JobRow(slow.Id).GetByRole(AriaRole.Button, new() { Name = $"Details of job {ConsolePage.ShortId(slow.Id)}" }).ClickAsync();
        await Expect(console.Page.Locator("#job-detail")).ToBeVisibleAsync();
        await Expect(console.Page.Locator("#detail-timeline li").Filter(new() { HasText = "progress" }).First).ToBeVisibleAsync(new() { Timeout = ConsolePage.WaitMs });
        await console.SaveScreenshotAsync(ScreenshotPath());

        await ConsolePage.WaitForStatusAsync(console.JobRow(slow.Id), "succeeded");
        (await console.ProgressOfAsync(slow.Id)).ShouldBe(100);
        underway.ShouldBeInRange(1, 99);
        await Expect(console.Page.Locator("#detail-outcome")).ToContainTextAsync("Result", new() { Timeout = ConsolePage.WaitMs });
        await Expect(console.Page.Locator("#detail-timeline li").Filter(new() { HasText = "succeeded" })).ToHaveCountAsync(1, new() { Timeout = ConsolePage.WaitMs });

        console.Reloads.ShouldBe(0, "the page showed every change without reloading");
        (await tenant.GetJobAsync(slow.Id, deadline.Token)).Status.ShouldBe("succeeded");
        console.RequestedUrls.ShouldContain(url => url.StartsWith(fixture.Topology.NotifierUrl + "events?ticket=ast_", StringComparison.Ordinal));
        console.ShouldNotHaveSecretsInUrls(tenant.ApiKey);
    }

    [Fact]
    public async Task A_job_whose_first_read_answers_after_it_finished_still_shows_its_newest_state()
    {
        using var deadline = StartDeadline();
        await using var tenant = await fixture.NewTenantAsync("console-late-read", deadline.Token);
        await using var console = await fixture.OpenConsoleAsync(deadline.Token);
        await console.SignInAsync(tenant.ApiKey);

        // The page reads a job it first sees on the stream with GET /jobs/{id}. Here that read is taken at once but
        // answered only after the job has finished, so every later event arrives while the read is in flight.
        var readState = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await console.Page.RouteAsync(new Regex("/jobs/[0-9a-f-]{36}$"), async route =>
        {
            var response = await route.FetchAsync();
            readState.TrySetResult((await response.JsonAsync())?.GetProperty("status").GetString() ?? "none");
            await finished.Task;
            await route.FulfillAsync(new() { Response = response });
        });

        var job = await tenant.SubmitAsync(DemoJobs.Steps(steps: 4, stepDurationMs: 500), deadline.Token);
        (await readState.Task.WaitAsync(deadline.Token)).ShouldBeOneOf("queued", "running");
        (await tenant.WaitForFinishAsync(job, deadline.Token)).Status.ShouldBe("succeeded");
        finished.SetResult();

        await ConsolePage.WaitForStatusAsync(console.JobRow(job.Id), "succeeded");
        (await console.ProgressOfAsync(job.Id)).ShouldBe(100);
        console.Reloads.ShouldBe(0);
    }

    [Fact]
    public async Task A_running_job_is_cancelled_from_the_page_with_the_keyboard_only()
    {
        using var deadline = StartDeadline();
        await using var tenant = await fixture.NewTenantAsync("console-cancel", deadline.Token);
        await using var console = await fixture.OpenConsoleAsync(deadline.Token);
        await console.SignInWithKeyboardAsync(tenant.ApiKey);

        var job = await tenant.SubmitHangingAsync(deadline.Token);
        await ConsolePage.WaitForStatusAsync(console.JobRow(job.Id), "running");

        var cancel = $"Cancel job {ConsolePage.ShortId(job.Id)}";
        await console.TabToAsync(cancel);
        (await console.FocusedOutlineStyleAsync()).ShouldNotBe("none", "the focused button shows its focus");
        await console.Page.Keyboard.PressAsync("Enter");

        await ConsolePage.WaitForStatusAsync(console.JobRow(job.Id), "cancelled");
        await console.WaitForAnnouncementAsync("cancelled");
        await Expect(console.JobRow(job.Id).GetByRole(AriaRole.Button, new() { Name = cancel })).ToBeHiddenAsync();
        (await tenant.GetJobAsync(job.Id, deadline.Token)).Status.ShouldBe("cancelled");
        console.Reloads.ShouldBe(0);
        console.ShouldNotHaveSecretsInUrls(tenant.ApiKey);
    }

    [Fact]
    public async Task A_dead_letter_is_retried_from_the_page()
    {
        using var deadline = StartDeadline();
        await using var tenant = await fixture.NewTenantAsync("console-dead-letter", deadline.Token);
        var job = await tenant.SubmitAsync(DemoJobs.AlwaysFailing(), deadline.Token);
        (await tenant.WaitForFinishAsync(job, deadline.Token)).Status.ShouldBe("failed");

        await using var console = await fixture.OpenConsoleAsync(deadline.Token);
        await console.SignInAsync(tenant.ApiKey);
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Dead letters" }).ClickAsync();
        var row = console.DeadLetterRow(job.Id);
        await Expect(row.Locator("[data-field=error]")).ToContainTextAsync("simulated_failure", new() { Timeout = ConsolePage.WaitMs });

        await row.GetByRole(AriaRole.Button, new() { Name = $"Retry job {ConsolePage.ShortId(job.Id)}" }).ClickAsync();

        // The job runs again (and, asked to always fail, fails again): the row follows it live.
        await console.WaitForAnnouncementAsync("queued again");
        var retried = await tenant.WaitUntilAsync(job.Id, j => j.Status == "failed" && j.History.Count(h => h.Status == "failed") == 2, "failed again after the retry", deadline.Token);
        retried.History.Select(h => h.Status).ShouldBe(["queued", "running", "failed", "queued", "running", "failed"]);
        await ConsolePage.WaitForStatusAsync(row, "failed");
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = $"Retry job {ConsolePage.ShortId(job.Id)}" })).ToBeVisibleAsync();
        console.Reloads.ShouldBe(0);
        console.ShouldNotHaveSecretsInUrls(tenant.ApiKey);
    }

    [Fact]
    public async Task A_demo_job_submitted_from_the_page_replays_its_timeline_from_its_own_stream()
    {
        using var deadline = StartDeadline();
        await using var tenant = await fixture.NewTenantAsync("console-demo", deadline.Token);
        await using var console = await fixture.OpenConsoleAsync(deadline.Token);
        await console.SignInAsync(tenant.ApiKey);

        await console.Page.GetByText("Submit a demo job").ClickAsync();
        await console.Page.GetByLabel("Steps").FillAsync("3");
        await console.Page.GetByLabel("Step duration (ms)").FillAsync("100");
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Submit", Exact = true }).ClickAsync();
        await Expect(console.Page.Locator("#demo-message")).ToContainTextAsync("Submitted job", new() { Timeout = ConsolePage.WaitMs });

        var page = await tenant.ListAsync("?limit=5", deadline.Token);
        var job = page.Items.ShouldHaveSingleItem();
        await ConsolePage.WaitForStatusAsync(console.JobRow(job.Id), "succeeded");
        await console.JobRow(job.Id).GetByRole(AriaRole.Button, new() { Name = $"Details of job {ConsolePage.ShortId(job.Id)}" }).ClickAsync();

        // The page holds this job's token, so the timeline is the job's own stream replayed from its first event.
        await Expect(console.Page.Locator("#detail-timeline-source")).ToContainTextAsync("replayed");
        var timeline = console.Page.Locator("#detail-timeline li");
        await Expect(timeline.Last).ToContainTextAsync("succeeded", new() { Timeout = ConsolePage.WaitMs });
        await Expect(timeline.First).ToContainTextAsync("queued");
        await Expect(timeline.Filter(new() { HasText = "progress" })).Not.ToHaveCountAsync(0);
        console.RequestedUrls.ShouldContain(url => url.Contains($"/jobs/{job.Id}/events?access_token=ajt_", StringComparison.Ordinal) && url.Contains("lastEventId=0", StringComparison.Ordinal));
        console.ShouldNotHaveSecretsInUrls(tenant.ApiKey);
    }

    [Fact]
    public async Task After_a_notifier_restart_the_page_resumes_with_a_new_ticket_and_misses_nothing()
    {
        using var deadline = StartDeadline();
        await using var tenant = await fixture.NewTenantAsync("console-resume", deadline.Token);
        await using var console = await fixture.OpenConsoleAsync(deadline.Token);
        await console.SignInAsync(tenant.ApiKey);
        var job = await tenant.SubmitAsync(DemoJobs.Steps(steps: 6, stepDurationMs: 500), deadline.Token);
        await ConsolePage.WaitForStatusAsync(console.JobRow(job.Id), "running");

        await fixture.Topology.StopAsync("notifier");
        await Expect(console.Page.Locator("#stream-status")).ToHaveTextAsync("Reconnecting…", new() { Timeout = ConsolePage.WaitMs });
        await fixture.Topology.StartServiceAsync("notifier", deadline.Token);
        await console.WaitUntilLiveAsync();

        // The job finished while the page was away or just after: the resumed stream brings every missed event.
        await ConsolePage.WaitForStatusAsync(console.JobRow(job.Id), "succeeded");
        (await console.ProgressOfAsync(job.Id)).ShouldBe(100);
        var streams = console.RequestedUrls.Where(url => url.Contains("/events?ticket=ast_", StringComparison.Ordinal)).ToList();
        streams.Count.ShouldBeGreaterThanOrEqualTo(2, string.Join("\n", streams));
        streams.Select(url => new Uri(url).Query).Distinct().Count().ShouldBe(streams.Count, "every connection used a new ticket");
        streams.Skip(1).ShouldAllBe(url => url.Contains("&lastEventId=", StringComparison.Ordinal));
        console.Reloads.ShouldBe(0);
        console.ShouldNotHaveSecretsInUrls(tenant.ApiKey);
    }

    [Fact]
    public async Task A_wrong_key_is_refused_and_no_key_is_ever_put_in_a_url()
    {
        using var deadline = StartDeadline();
        await using var console = await fixture.OpenConsoleAsync(deadline.Token);
        const string wrongKey = "ajk_not-a-real-key";

        await console.Page.GetByLabel("API key").FillAsync(wrongKey);
        await console.Page.GetByLabel("API key").PressAsync("Enter");

        await Expect(console.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That API key was not accepted.");
        await Expect(console.Page.Locator("#workspace")).ToBeHiddenAsync();
        console.ShouldNotHaveSecretsInUrls(wrongKey);
    }

    private static CancellationTokenSource StartDeadline()
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(Deadline);
        return deadline;
    }

    // README shows docs/console.png; a run refreshes it only when asked, so test runs leave the tree clean.
    private static string ScreenshotPath() =>
        Environment.GetEnvironmentVariable("ASYNCJOBS_UPDATE_CONSOLE_SCREENSHOT") == "1"
            ? Path.Combine(RepositoryRoot.Find(), "docs", "console.png")
            : Path.Combine(RepositoryRoot.Find(), ".local", "screenshots", "console.png");
}
