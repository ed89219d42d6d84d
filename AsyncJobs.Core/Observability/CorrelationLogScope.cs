using System.Collections;

namespace AsyncJobs.Core.Observability;

/// <summary>
/// The logging scope state of one request: its correlation id as the one property <c>CorrelationId</c>. A
/// notifier holds one per open event stream for as long as the stream lives, so it is one small object rather
/// than a dictionary.
/// </summary>
public sealed class CorrelationLogScope(string correlationId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 1;

    public KeyValuePair<string, object?> this[int index] => index == 0
        ? new(JobLogScope.CorrelationId, correlationId)
        : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"{JobLogScope.CorrelationId}:{correlationId}";
}
