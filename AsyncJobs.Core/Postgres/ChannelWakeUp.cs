using Microsoft.Extensions.Logging;
using Npgsql;

namespace AsyncJobs.Core.Postgres;

/// <summary>
/// Listens on one PostgreSQL NOTIFY channel on a dedicated connection, reconnecting when it drops, and wakes
/// whoever waits. A waiter also wakes on its own timeout, so a notification lost during a reconnect costs
/// at most that timeout.
/// </summary>
public sealed partial class ChannelWakeUp(NpgsqlDataSource dataSource, string channel, ILogger logger) : IDisposable
{
    private readonly SemaphoreSlim signal = new(0, 1);

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => await signal.WaitAsync(timeout, cancellationToken);

    /// <summary>Blocks the calling thread, for callers that must be synchronous (Hangfire's dequeue).</summary>
    public void Wait(TimeSpan timeout, CancellationToken cancellationToken) => signal.Wait(timeout, cancellationToken);

    /// <summary>Runs until cancelled; start it once, in the background.</summary>
    public async Task ListenAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
                connection.Notification += (_, _) => Wake();
                try
                {
                    await using (var listen = new NpgsqlCommand($"LISTEN {channel}", connection))
                    {
                        await listen.ExecuteNonQueryAsync(cancellationToken);
                    }

                    Wake();
                    while (!cancellationToken.IsCancellationRequested)
                    {
                        await connection.WaitAsync(cancellationToken);
                    }
                }
                finally
                {
                    // One still listening would carry every notification to its next borrower.
                    await SessionCleanup.UndoAsync(connection, $"UNLISTEN {channel}");
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                LogListenerLost(channel, exception);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    public void Wake()
    {
        try
        {
            if (signal.CurrentCount == 0)
            {
                signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // A concurrent wake-up already signalled.
        }
    }

    public void Dispose() => signal.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the LISTEN connection for {Channel}; reconnecting")]
    private partial void LogListenerLost(string channel, Exception exception);
}
