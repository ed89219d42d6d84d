namespace AsyncJobs.Client.Events;

/// <summary>
/// An event stream could not be (re)opened: the notifier stayed unreachable for every reconnection attempt
/// (<see cref="AsyncJobsClientOptions.MaxStreamReconnectAttempts"/>). Enumerate the stream again to resume where it
/// stopped, or poll with <see cref="AsyncJobsClient.GetAsync(Guid, CancellationToken)"/>.
/// </summary>
public sealed class AsyncJobsStreamException : Exception
{
    /// <summary>An exception for the stream at <paramref name="url"/>.</summary>
    /// <param name="url">The stream's address.</param>
    /// <param name="attempts">How many connection attempts failed in a row.</param>
    /// <param name="lastEventId">The id of the last event received, if any (resume after it with <c>Last-Event-ID</c>).</param>
    /// <param name="innerException">The last failure.</param>
    public AsyncJobsStreamException(Uri url, int attempts, long? lastEventId, Exception? innerException)
        : base($"The event stream {url} could not be reached after {attempts} attempts.", innerException)
    {
        Url = url;
        Attempts = attempts;
        LastEventId = lastEventId;
    }

    /// <summary>The stream's address.</summary>
    public Uri Url { get; }

    /// <summary>How many connection attempts failed in a row.</summary>
    public int Attempts { get; }

    /// <summary>The id of the last event received (the job's sequence, or the global id on the tenant stream), if any.</summary>
    public long? LastEventId { get; }
}
