using AsyncJobs.Core.Webhooks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AsyncJobs.Notifier.Webhooks;

/// <summary>
/// The <c>webhook_deliveries</c> table as a queue shared by every notifier: due deliveries are claimed with one
/// statement (<c>FOR UPDATE SKIP LOCKED</c>, so two notifiers never claim the same attempt), and each outcome is
/// recorded with one statement fenced by the attempt number, so a late outcome cannot overwrite a newer attempt.
/// </summary>
public sealed class WebhookDeliveries(NpgsqlDataSource dataSource, IOptions<WebhookOptions> options)
{
    // The claim pushes next_attempt_at past the attempt (a lease): if this notifier dies mid-attempt, the delivery
    // becomes due again when the lease ends and another notifier takes it, with the next attempt number.
    private const string Claim = """
        WITH claimed AS (
            UPDATE webhook_deliveries SET next_attempt_at = now() + @lease, attempts = attempts + 1
            WHERE id IN (
                SELECT id FROM webhook_deliveries
                WHERE state = 'pending' AND next_attempt_at <= now()
                ORDER BY next_attempt_at
                LIMIT @limit
                FOR UPDATE SKIP LOCKED)
            RETURNING id, tenant_id, endpoint_id, url, job_id, event_type, payload, attempts
        )
        SELECT c.id, c.tenant_id, c.endpoint_id, c.url, c.job_id, c.event_type, c.payload::text, c.attempts,
               e.secret, CASE WHEN e.previous_secret_expires_at > now() THEN e.previous_secret END,
               CASE WHEN e.id IS NOT NULL AND NOT e.enabled THEN coalesce(e.disabled_reason, 'disabled') END,
               t.callback_secret, j.trace_parent, j.correlation_id
        FROM claimed c
        JOIN tenants t ON t.id = c.tenant_id
        LEFT JOIN webhook_endpoints e ON e.id = c.endpoint_id
        LEFT JOIN jobs j ON j.id = c.job_id
        """;

    // The attempt, the delivery's new state and the endpoint's failure clock, in one statement. The endpoint is written
    // only when its clock starts, stops, or runs out (then it is disabled, with the reason its tenant will see).
    private const string Record = """
        WITH attempt AS (
            INSERT INTO webhook_attempts (delivery_id, attempt, status_code, latency_ms, response_excerpt, error, at)
            VALUES (@id, @attempt, @status, @latency, @excerpt, @error, now())
        ), delivery AS (
            UPDATE webhook_deliveries SET
                state = @state,
                next_attempt_at = CASE WHEN @state = 'pending' THEN now() + @delay END,
                last_status_code = @status,
                delivered_at = CASE WHEN @state = 'succeeded' THEN now() ELSE delivered_at END
            WHERE id = @id AND attempts = @attempt AND state = 'pending'
            RETURNING endpoint_id
        )
        UPDATE webhook_endpoints e SET
            failing_since = CASE WHEN @succeeded THEN NULL ELSE coalesce(e.failing_since, now()) END,
            enabled = CASE WHEN NOT @succeeded AND e.failing_since < now() - @disable_after THEN false ELSE e.enabled END,
            disabled_at = CASE WHEN NOT @succeeded AND e.failing_since < now() - @disable_after THEN now() ELSE e.disabled_at END,
            disabled_reason = CASE WHEN NOT @succeeded AND e.failing_since < now() - @disable_after
                THEN 'Every delivery has failed since ' || to_char(e.failing_since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                    || ', longer than the ' || @disable_after::text || ' allowed; the last attempt got: ' || @last_failure
                ELSE e.disabled_reason END
        FROM delivery
        WHERE e.id = delivery.endpoint_id AND (
            (@succeeded AND e.failing_since IS NOT NULL) OR
            (NOT @succeeded AND (e.failing_since IS NULL OR (e.enabled AND e.failing_since < now() - @disable_after))))
        RETURNING NOT e.enabled
        """;

    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Claim);
        command.Parameters.AddWithValue("lease", options.Value.ClaimLease);
        command.Parameters.AddWithValue("limit", limit);
        var claimed = new List<ClaimedDelivery>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var secrets = new List<string>(2);
            if (!reader.IsDBNull(8))
            {
                secrets.Add(reader.GetString(8));
            }

            if (!reader.IsDBNull(9))
            {
                secrets.Add(reader.GetString(9));
            }

            claimed.Add(new ClaimedDelivery(
                reader.GetGuid(0),
                reader.GetGuid(1),
                reader.IsDBNull(2) ? null : reader.GetGuid(2),
                reader.GetString(3),
                reader.GetGuid(4),
                reader.GetString(5),
                reader.GetString(6),
                reader.GetInt32(7),
                secrets,
                reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.IsDBNull(11) ? null : reader.GetString(11),
                reader.IsDBNull(12) ? null : reader.GetString(12),
                reader.IsDBNull(13) ? null : reader.GetString(13)));
        }

        return claimed;
    }

    /// <summary>
    /// Records an attempt and moves the delivery on: succeeded, due again after <paramref name="retryAfter"/>, or failed
    /// (dead-lettered) when <paramref name="retryAfter"/> is null. True when this attempt disabled the endpoint.
    /// </summary>
    public async Task<bool> RecordAsync(ClaimedDelivery delivery, WebhookAttemptOutcome outcome, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        var state = outcome.Succeeded ? WebhookDeliveryStates.Succeeded
            : retryAfter is null ? WebhookDeliveryStates.Failed
            : WebhookDeliveryStates.Pending;
        await using var command = dataSource.CreateCommand(Record);
        command.Parameters.AddWithValue("id", delivery.Id);
        command.Parameters.AddWithValue("attempt", delivery.Attempt);
        command.Parameters.AddWithValue("status", (object?)outcome.StatusCode ?? DBNull.Value);
        command.Parameters.AddWithValue("latency", outcome.LatencyMs);
        command.Parameters.AddWithValue("excerpt", (object?)outcome.ResponseExcerpt ?? DBNull.Value);
        command.Parameters.AddWithValue("error", (object?)outcome.Error ?? DBNull.Value);
        command.Parameters.AddWithValue("state", state);
        command.Parameters.AddWithValue("delay", retryAfter ?? TimeSpan.Zero);
        command.Parameters.AddWithValue("succeeded", outcome.Succeeded);
        command.Parameters.AddWithValue("disable_after", options.Value.DisableEndpointAfter);
        command.Parameters.AddWithValue("last_failure", outcome.Describe());
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }
}
