using System.Text.Json;
using AsyncJobs.Client.Events;
using AsyncJobs.Client.Http;
using AsyncJobs.Client.Jobs;
using Shouldly;

namespace AsyncJobs.UnitTests.Client;

/// <summary>The client reads the API's and the notifier's documents as README describes them.</summary>
public sealed class ClientJsonTests
{
    [Fact]
    public void A_job_document_reads_with_lowercase_states_and_a_typed_error()
    {
        var job = JsonSerializer.Deserialize<Job>(
            """
            {"id":"5d1f0a57-5ad6-4b8c-9a53-2b2f0c1f7a10","type":"demo.simulate","status":"retrying","priority":"high","attempt":1,"maxAttempts":3,
             "timeoutSeconds":60,"progress":{"percent":40,"message":"step 2","step":"s2"},"result":null,
             "error":{"type":"simulated_failure","message":"boom","retryable":true,"attempt":1,"nextAttemptAt":"2026-11-24T21:00:05Z"},
             "metadata":{"k":"v"},"createdAt":"2026-11-24T21:00:00Z","startedAt":"2026-11-24T21:00:01Z","finishedAt":null,
             "history":[{"status":"queued","attempt":0,"error":null,"at":"2026-11-24T21:00:00Z"}],
             "links":{"self":"/jobs/x","events":"http://n/jobs/x/events","cancel":"/jobs/x/cancel","result":"/jobs/x/result"}}
            """,
            ClientJson.Options).ShouldNotBeNull();

        job.Status.ShouldBe(JobStatus.Retrying);
        job.Priority.ShouldBe(JobPriority.High);
        job.IsTerminal.ShouldBeFalse();
        job.Error.ShouldNotBeNull().NextAttemptAt.ShouldBe(DateTimeOffset.Parse("2026-11-24T21:00:05Z", System.Globalization.CultureInfo.InvariantCulture));
        job.History.ShouldHaveSingleItem().Status.ShouldBe(JobStatus.Queued);
        job.Result.ShouldBeNull();
    }

    [Fact]
    public void An_event_reads_from_its_SSE_data()
    {
        var jobEvent = JsonSerializer.Deserialize<JobEvent>(
            """
            {"jobId":"5d1f0a57-5ad6-4b8c-9a53-2b2f0c1f7a10","sequence":7,"type":"job.succeeded","status":"succeeded","attempt":1,
             "progress":{"percent":100,"message":null,"step":null},"result":{"ok":true},"error":null,"occurredAt":"2026-11-24T21:00:09Z"}
            """,
            ClientJson.Options).ShouldNotBeNull();

        jobEvent.Sequence.ShouldBe(7);
        jobEvent.IsTerminal.ShouldBeTrue();
        jobEvent.Status.ShouldBe(JobStatus.Succeeded);
        jobEvent.Result.ShouldNotBeNull().GetProperty("ok").GetBoolean().ShouldBeTrue();
    }

    [Theory]
    [InlineData(JobStatus.Queued, false)]
    [InlineData(JobStatus.Running, false)]
    [InlineData(JobStatus.Retrying, false)]
    [InlineData(JobStatus.Succeeded, true)]
    [InlineData(JobStatus.Failed, true)]
    [InlineData(JobStatus.Cancelled, true)]
    public void Only_succeeded_failed_and_cancelled_are_terminal(JobStatus status, bool terminal)
    {
        status.IsTerminal().ShouldBe(terminal);
        status.ToApiName().ShouldBe(status.ToString().ToLowerInvariant());
    }
}
