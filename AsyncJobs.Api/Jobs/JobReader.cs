using System.Text.Json;
using AsyncJobs.Core.Data;
using AsyncJobs.Core.Events;
using AsyncJobs.Core.Jobs;
using Microsoft.EntityFrameworkCore;

namespace AsyncJobs.Api.Jobs;

/// <summary>Reads jobs as clients see them, always within one tenant.</summary>
public sealed class JobReader(JobsDbContext db, JobLinkBuilder links)
{
    public sealed record View(JobResponse Job, JobState State, int Version);

    public Task<Job?> FindAsync(Guid tenantId, Guid id, CancellationToken cancellationToken) =>
        db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id && j.TenantId == tenantId, cancellationToken);

    public async Task<View?> GetAsync(Guid tenantId, Guid id, CancellationToken cancellationToken)
    {
        var job = await FindAsync(tenantId, id, cancellationToken);
        if (job is null)
        {
            return null;
        }

        var history = await HistoryAsync(id, int.MaxValue, cancellationToken);

        var response = new JobResponse(
            job.Id,
            job.Type,
            job.State.ToName(),
            job.Priority.ToName(),
            job.Attempt,
            job.MaxAttempts,
            job.TimeoutSeconds,
            ProgressOf(job),
            ParseJson(job.Result),
            ParseJson(job.Error),
            ParseJson(job.Metadata),
            job.CreatedAt,
            job.StartedAt,
            job.FinishedAt,
            history.Select(ToHistoryEntry).ToList(),
            links.For(job.Id));
        return new View(response, job.State, job.LastSequence);
    }

    /// <summary>
    /// The job as it was right after its event <paramref name="sequence"/>: what a state change answers, even when
    /// the worker has already moved the job on by the time the answer is written.
    /// </summary>
    public async Task<JobResponse> GetAsOfAsync(Guid tenantId, Guid id, int sequence, CancellationToken cancellationToken)
    {
        var job = await FindAsync(tenantId, id, cancellationToken) ?? throw new InvalidOperationException($"Job {id} vanished.");
        var history = await HistoryAsync(id, sequence, cancellationToken);
        var snapshotData = await db.JobEvents.AsNoTracking()
            .Where(e => e.JobId == id && e.Sequence == sequence)
            .Select(e => e.Data)
            .SingleAsync(cancellationToken);
        var snapshot = JsonElement.Parse(snapshotData);
        var status = snapshot.GetProperty("status").GetString()!;
        var progress = snapshot.GetProperty("progress");
        var terminal = JobStateNames.TryParse(status, out var state) && JobStateMachine.IsTerminal(state);
        return new JobResponse(
            job.Id,
            job.Type,
            status,
            job.Priority.ToName(),
            snapshot.GetProperty("attempt").GetInt32(),
            job.MaxAttempts,
            job.TimeoutSeconds,
            new JobProgressResponse(progress.GetProperty("percent").GetInt32(), progress.GetProperty("message").GetString(), progress.GetProperty("step").GetString()),
            NullIfJsonNull(snapshot.GetProperty("result")),
            NullIfJsonNull(snapshot.GetProperty("error")),
            ParseJson(job.Metadata),
            job.CreatedAt,
            history.FirstOrDefault(e => e.Type == JobEventTypes.Running)?.CreatedAt,
            terminal ? history[^1].CreatedAt : null,
            history.Select(ToHistoryEntry).ToList(),
            links.For(job.Id));
    }

    public async Task<(IReadOnlyList<JobSummary> Items, JobCursor? Next)> ListAsync(Guid tenantId, JobListQuery query, CancellationToken cancellationToken)
    {
        var jobs = query.Cursor is { } cursor
            ? db.Jobs.FromSql($"SELECT * FROM jobs WHERE tenant_id = {tenantId} AND (created_at, id) < ({cursor.CreatedAt}, {cursor.Id})")
            : db.Jobs.Where(j => j.TenantId == tenantId);
        if (query.State is { } state)
        {
            jobs = jobs.Where(j => j.State == state);
        }

        if (query.Type is { } type)
        {
            jobs = jobs.Where(j => j.Type == type);
        }

        if (query.CreatedAfter is { } after)
        {
            jobs = jobs.Where(j => j.CreatedAt > after);
        }

        var page = await jobs.AsNoTracking()
            .OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id)
            .Take(query.Limit + 1)
            .ToListAsync(cancellationToken);
        var items = page.Take(query.Limit)
            .Select(j => new JobSummary(j.Id, j.Type, j.State.ToName(), j.Priority.ToName(), j.Attempt, ProgressOf(j), j.CreatedAt, j.FinishedAt, links.For(j.Id)))
            .ToList();
        var next = page.Count > query.Limit ? new JobCursor(items[^1].CreatedAt, items[^1].Id) : null;
        return (items, next);
    }

    private sealed record HistoryEvent(string Type, string Data, DateTimeOffset CreatedAt);

    private async Task<List<HistoryEvent>> HistoryAsync(Guid id, int upToSequence, CancellationToken cancellationToken) =>
        await db.JobEvents.AsNoTracking()
            .Where(e => e.JobId == id && e.Type != JobEventTypes.Progress && e.Sequence <= upToSequence)
            .OrderBy(e => e.Sequence)
            .Select(e => new HistoryEvent(e.Type, e.Data, e.CreatedAt))
            .ToListAsync(cancellationToken);

    private static JobHistoryEntry ToHistoryEntry(HistoryEvent e) =>
        new(e.Type["job.".Length..], AttemptOf(e.Data), ErrorOf(e.Type, e.Data), e.CreatedAt);

    private static JsonElement? NullIfJsonNull(JsonElement element) => element.ValueKind == JsonValueKind.Null ? null : element;

    private static JobProgressResponse ProgressOf(Job job) => new(job.ProgressPercent, job.ProgressMessage, job.ProgressStep);

    private static JsonElement? ParseJson(string? json) => json is null ? null : JsonElement.Parse(json);

    private static int AttemptOf(string eventData) => JsonElement.Parse(eventData).GetProperty("attempt").GetInt32();

    private static JsonElement? ErrorOf(string type, string eventData) =>
        type is JobEventTypes.Retrying or JobEventTypes.Failed && JsonElement.Parse(eventData).GetProperty("error") is { ValueKind: JsonValueKind.Object } error
            ? error
            : null;
}
