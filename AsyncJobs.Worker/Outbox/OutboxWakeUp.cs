using Npgsql;

namespace AsyncJobs.Worker.Outbox;

/// <summary>
/// Listens on PostgreSQL's <c>jobs_outbox</c> channel (NOTIFY from the jobs insert trigger) on one
/// dedicated connection, reconnecting when it drops, and wakes the relay.
/// </summary>
public sealed partial class OutboxWakeUp(NpgsqlDataSource dataSource, ILogger<OutboxWakeUp> logger) : BackgroundService
{
    public const string Channel = "jobs_outbox";

    private readonly SemaphoreSlim signal = new(0, 1);

    /// <summary>Waits for a NOTIFY or the timeout, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await signal.WaitAsync(timeout, cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => Wake();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                Wake();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogListenerLost(exception);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    public override void Dispose()
    {
        signal.Dispose();
        base.Dispose();
    }

    private void Wake()
    {
        if (signal.CurrentCount == 0)
        {
            try
            {
                signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled by a concurrent notification.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the outbox LISTEN connection; reconnecting (the periodic sweep covers the gap)")]
    private partial void LogListenerLost(Exception exception);
}
