namespace AsyncJobs.Core.Handlers;

/// <summary>
/// Thrown by a handler to fail an attempt with a stable error type and a say on retrying.
/// Any other exception counts as a retryable failure of type <c>unhandled_exception</c>.
/// </summary>
public sealed class JobFailedException(string errorType, string message, bool retryable, Exception? innerException = null)
    : Exception(message, innerException)
{
    public string ErrorType { get; } = errorType;

    public bool Retryable { get; } = retryable;
}
