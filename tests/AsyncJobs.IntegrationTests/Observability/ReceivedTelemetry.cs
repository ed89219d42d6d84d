namespace AsyncJobs.IntegrationTests.Observability;

/// <summary>One exported span, as the receiver decoded it (ids in lowercase hex, as W3C <c>traceparent</c> writes them).</summary>
public sealed record ReceivedSpan(
    string Service, string TraceId, string SpanId, string ParentSpanId, string Name, int Kind, int StatusCode,
    IReadOnlyDictionary<string, string> Attributes)
{
    public const int ServerKind = 2;
    public const int ClientKind = 3;
    public const int ProducerKind = 4;
    public const int ConsumerKind = 5;
    public const int ErrorStatus = 2;

    public string? this[string attribute] => Attributes.GetValueOrDefault(attribute);

    public override string ToString() => $"{Service}:{Name} trace {TraceId} span {SpanId} parent {ParentSpanId} [{string.Join(", ", Attributes.Select(a => $"{a.Key}={a.Value}"))}]";
}

/// <summary>One exported log record: its category (the instrumentation scope), body, attributes (scopes included) and trace.</summary>
public sealed record ReceivedLog(string Service, string Category, string Body, string TraceId, IReadOnlyDictionary<string, string> Attributes)
{
    public string? this[string attribute] => Attributes.GetValueOrDefault(attribute);

    public override string ToString() => $"{Service}:{Category} \"{Body}\" trace {TraceId} [{string.Join(", ", Attributes.Select(a => $"{a.Key}={a.Value}"))}]";
}

/// <summary>
/// The latest exported value of one metric series: a counter's or gauge's value, or a histogram's count (every
/// instrument here is exported cumulatively, so the latest point is the total so far).
/// </summary>
public sealed record ReceivedPoint(string Service, string Name, IReadOnlyDictionary<string, string> Attributes, double Value, ulong TimeUnixNano)
{
    public string? this[string attribute] => Attributes.GetValueOrDefault(attribute);

    public override string ToString() => $"{Service}:{Name}{{{string.Join(", ", Attributes.Select(a => $"{a.Key}={a.Value}"))}}} = {Value}";
}
