using System.Net;
using System.Security.Cryptography;
using System.Text;
using AsyncJobs.IntegrationTests.Api;
using AsyncJobs.IntegrationTests.Scenarios;
using StackExchange.Redis;

namespace AsyncJobs.IntegrationTests.LiveConsole;

/// <summary>
/// POST /stream-tickets and the notifier's ticket rules: a ticket opens the tenant event stream once, within its
/// lifetime, and nothing else; it is kept in Redis only as a hash. The SSE routes answer other origins (CORS) and
/// accept ?lastEventId= where a new EventSource cannot send Last-Event-ID.
/// </summary>
[Collection(LiveConsoleCollectionDefinition.Name)]
public sealed class StreamTicketTests(LiveConsoleFixture fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_api_key_gets_a_ticket_that_opens_the_tenant_stream_exactly_once()
    {
        using var deadline = StartDeadline();
        await using var tenant = await fixture.NewTenantAsync("ticket-once", deadline.Token);
        var before = DateTimeOffset.UtcNow;

        var ticket = await IssueAsync(tenant, deadline.Token);

        ticket.Ticket.ShouldStartWith("ast_");
        ticket.ExpiresAt.ShouldBeInRange(before.AddSeconds(-5), DateTimeOffset.UtcNow + LiveConsoleFixture.TicketLifetime + TimeSpan.FromSeconds(5));
        ticket.EventsUrl.ShouldBe($"{fixture.Topology.NotifierUrl}events?ticket={Uri.EscapeDataString(ticket.Ticket)}");

        // Stored as a hash with a time to live; the ticket itself is nowhere in Redis.
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Topology.RedisConnectionString);
        var database = redis.GetDatabase();
        var key = RedisKeyOf(ticket.Ticket);
        (await database.StringGetAsync(key)).ToString().ShouldBe(tenant.Id.ToString());
        (await database.KeyTimeToLiveAsync(key)).ShouldNotBeNull().ShouldBeLessThanOrEqualTo(LiveConsoleFixture.TicketLifetime);
        (await database.StringGetAsync("asyncjobs:stream-ticket:" + ticket.Ticket)).IsNull.ShouldBeTrue();

        // The ticket alone (no header) opens the tenant's stream, which carries the tenant's job to its end.
        using var anonymous = fixture.Client(fixture.Topology.NotifierUrl);
        var events = new List<JobStreamEvent>();
        await using (var stream = JobEvents.ReadAsync(anonymous, new Uri(ticket.EventsUrl), deadline.Token).GetAsyncEnumerator(deadline.Token))
        {
            var next = stream.MoveNextAsync().AsTask();
            var job = await tenant.SubmitAsync(DemoJobs.Steps(steps: 2, stepDurationMs: 50), deadline.Token);
            while (await next)
            {
                events.Add(stream.Current);
                stream.Current.Data.JobId.ShouldBe(job.Id.ToString(), "a tenant's stream carries only its own jobs");
                if (stream.Current.IsTerminal)
                {
                    break;
                }

                next = stream.MoveNextAsync().AsTask();
            }
        }

        events[^1].Type.ShouldBe("job.succeeded");
        (await database.KeyExistsAsync(key)).ShouldBeFalse("opening the stream spent the ticket");

        using var again = await anonymous.GetAsync(ticket.EventsUrl, deadline.Token);
        await again.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid-stream-ticket", deadline.Token);
    }

    [Fact]
    public async Task Unknown_and_expired_tickets_are_refused()
    {
        using var deadline = StartDeadline();
        await using var tenant = await fixture.NewTenantAsync("ticket-expired", deadline.Token);
        using var anonymous = fixture.Client(fixture.Topology.NotifierUrl);

        foreach (var unknown in new[] { "ast_unknown", "nonsense", tenant.ApiKey })
        {
            using var response = await anonymous.GetAsync($"/events?ticket={Uri.EscapeDataString(unknown)}", deadline.Token);
            await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid-stream-ticket", deadline.Token);
        }

        var ticket = await IssueAsync(tenant, deadline.Token);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Topology.RedisConnectionString);
        while (await redis.GetDatabase().KeyExistsAsync(RedisKeyOf(ticket.Ticket)))
        {
            // Redis expires the ticket after its lifetime (5 s here); poll for that, not for a guessed time.
            await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token);
        }

        DateTimeOffset.UtcNow.ShouldBeGreaterThanOrEqualTo(ticket.ExpiresAt.AddSeconds(-1));
        using var expired = await anonymous.GetAsync(ticket.EventsUrl, deadline.Token);
        await expired.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "invalid-stream-ticket", deadline.Token);
    }

    [Fact]
    public async Task A_ticket_opens_nothing_but_the_tenant_stream()
    {
        using var deadline = StartDeadline();
        await using var tenant = await fixture.NewTenantAsync("ticket-scope", deadline.Token);
        var job = await tenant.SubmitAsync(DemoJobs.Quick(), deadline.Token);
        var ticket = await IssueAsync(tenant, deadline.Token);
        var query = $"ticket={Uri.EscapeDataString(ticket.Ticket)}";

        using (var anonymousNotifier = fixture.Client(fixture.Topology.NotifierUrl))
        using (var jobStream = await anonymousNotifier.GetAsync($"/jobs/{job.Id}/events?{query}", deadline.Token))
        {
            await jobStream.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized", deadline.Token);
        }

        using (var anonymousApi = fixture.Client(fixture.Topology.ApiUrl))
        using (var list = await anonymousApi.GetAsync($"/jobs?{query}", deadline.Token))
        {
            await list.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized", deadline.Token);
        }

        using (var asBearer = fixture.Client(fixture.Topology.ApiUrl, ticket.Ticket))
        using (var status = await asBearer.GetAsync($"/jobs/{job.Id}", deadline.Token))
        {
            await status.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized", deadline.Token);
        }

        using (var asBearer = fixture.Client(fixture.Topology.NotifierUrl, ticket.Ticket))
        using (var tenantStream = await asBearer.GetAsync("/events", HttpCompletionOption.ResponseHeadersRead, deadline.Token))
        {
            await tenantStream.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized", deadline.Token);
        }

        // None of those calls spent it: the ticket still opens the one stream it is for.
        using var anonymous = fixture.Client(fixture.Topology.NotifierUrl);
        await foreach (var e in JobEvents.ReadAsync(anonymous, new Uri(ticket.EventsUrl), lastEventId: "0", deadline.Token))
        {
            e.Data.JobId.ShouldBe(job.Id.ToString());
            break;
        }
    }

    [Fact]
    public async Task Only_an_api_key_gets_a_ticket()
    {
        using var deadline = StartDeadline();
        await using var tenant = await fixture.NewTenantAsync("ticket-caller", deadline.Token);
        var job = await tenant.SubmitAsync(DemoJobs.Quick(), deadline.Token);

        using var asJobToken = fixture.Client(fixture.Topology.ApiUrl, job.JobToken);
        using (var forbidden = await asJobToken.PostAsync("/stream-tickets", content: null, deadline.Token))
        {
            await forbidden.ShouldBeProblemAsync(HttpStatusCode.Forbidden, "forbidden", deadline.Token);
        }

        using var anonymous = fixture.Client(fixture.Topology.ApiUrl);
        using var unauthorized = await anonymous.PostAsync("/stream-tickets", content: null, deadline.Token);
        await unauthorized.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized", deadline.Token);
    }

    [Fact]
    public async Task Streams_answer_other_origins_without_credentials_and_allow_Last_Event_ID()
    {
        using var deadline = StartDeadline();
        await using var tenant = await fixture.NewTenantAsync("ticket-cors", deadline.Token);
        var job = await tenant.SubmitAsync(DemoJobs.Quick(), deadline.Token);
        (await tenant.WaitForFinishAsync(job, deadline.Token)).Status.ShouldBe("succeeded");
        var ticket = await IssueAsync(tenant, deadline.Token);
        var consoleOrigin = fixture.Topology.ApiUrl.GetLeftPart(UriPartial.Authority);
        using var notifier = fixture.Client(fixture.Topology.NotifierUrl);

        foreach (var path in new[] { "/events", $"/jobs/{job.Id}/events" })
        {
            using var preflight = new HttpRequestMessage(HttpMethod.Options, path);
            preflight.Headers.Add("Origin", consoleOrigin);
            preflight.Headers.Add("Access-Control-Request-Method", "GET");
            preflight.Headers.Add("Access-Control-Request-Headers", "last-event-id");
            using var answer = await notifier.SendAsync(preflight, deadline.Token);
            answer.IsSuccessStatusCode.ShouldBeTrue($"OPTIONS {path} → {(int)answer.StatusCode}");
            answer.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["*"]);
            string.Join(",", answer.Headers.GetValues("Access-Control-Allow-Headers")).ShouldContain("Last-Event-ID", Case.Insensitive);
            answer.Headers.Contains("Access-Control-Allow-Credentials").ShouldBeFalse();
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, ticket.EventsUrl);
        request.Headers.Add("Origin", consoleOrigin);
        using var response = await notifier.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe(["*"]);
    }

    [Fact]
    public async Task A_lastEventId_query_resumes_like_the_header_and_the_header_wins()
    {
        using var deadline = StartDeadline();
        await using var tenant = await fixture.NewTenantAsync("ticket-resume", deadline.Token);
        var job = await tenant.SubmitAsync(DemoJobs.Steps(steps: 3, stepDurationMs: 10), deadline.Token);
        var all = await JobEvents.ReadUntilTerminalAsync(tenant.Notifier, new Uri(job.Links.Events), lastEventId: "0", deadline.Token);
        all.Count.ShouldBeGreaterThan(3);
        using var anonymous = fixture.Client(fixture.Topology.NotifierUrl);

        // The job's stream with its token, as a job's page in a browser opens it.
        var byQuery = await JobEvents.ReadUntilTerminalAsync(anonymous, new Uri($"{job.Links.Events}?access_token={job.JobToken}&lastEventId=2"), lastEventId: null, deadline.Token);
        byQuery.Select(e => e.Data.Sequence).ShouldBe(all.Skip(2).Select(e => e.Data.Sequence));

        var headerWins = await JobEvents.ReadUntilTerminalAsync(anonymous, new Uri($"{job.Links.Events}?access_token={job.JobToken}&lastEventId=1"), lastEventId: "3", deadline.Token);
        headerWins.Select(e => e.Data.Sequence).ShouldBe(all.Skip(3).Select(e => e.Data.Sequence));

        // The tenant's stream (ids are global event ids) with a fresh ticket, resuming after the job's second event.
        var tenantAll = await JobEvents.ReadUntilTerminalAsync(tenant.Notifier, new Uri(fixture.Topology.NotifierUrl, "/events"), lastEventId: "0", deadline.Token);
        tenantAll.Select(e => e.Data.Sequence).ShouldBe(all.Select(e => e.Data.Sequence));
        var tenantEvents = new List<JobStreamEvent>();
        var ticket = await IssueAsync(tenant, deadline.Token);
        await foreach (var e in JobEvents.ReadAsync(anonymous, new Uri($"{ticket.EventsUrl}&lastEventId={tenantAll[1].Id}"), lastEventId: null, deadline.Token))
        {
            tenantEvents.Add(e);
            if (e.IsTerminal)
            {
                break;
            }
        }

        tenantEvents.Select(e => e.Data.Sequence).ShouldBe(all.Skip(2).Select(e => e.Data.Sequence));
    }

    private static async Task<StreamTicket> IssueAsync(TestTenant tenant, CancellationToken cancellationToken)
    {
        using var response = await tenant.Api.PostAsync("/stream-tickets", content: null, cancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(cancellationToken));
        return await response.ReadAsync<StreamTicket>(cancellationToken);
    }

    private static RedisKey RedisKeyOf(string ticket) =>
        "asyncjobs:stream-ticket:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ticket)));

    private static CancellationTokenSource StartDeadline()
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(Deadline);
        return deadline;
    }
}
