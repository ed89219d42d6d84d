using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using AsyncJobs.IntegrationTests.Observability.Otlp;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AsyncJobs.IntegrationTests.Observability;

/// <summary>
/// A local OTLP/HTTP collector: Kestrel on a loopback port inside the test, decoding what the services export
/// (<c>POST /v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c>, protobuf) and keeping it for the assertions.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedSpan> spans = new();
    private readonly ConcurrentQueue<ReceivedLog> logs = new();
    private readonly ConcurrentDictionary<string, ReceivedPoint> points = new();
    private readonly Lock arrivalGate = new();
    private TaskCompletionSource arrival = NewArrival();
    private WebApplication? app;

    private OtlpReceiver()
    {
    }

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<ReceivedSpan> Spans => [.. spans];

    public IReadOnlyList<ReceivedLog> Logs => [.. logs];

    public IReadOnlyList<ReceivedPoint> Points => [.. points.Values];

    public static async Task<OtlpReceiver> StartAsync(CancellationToken cancellationToken)
    {
        var receiver = new OtlpReceiver();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPost("/v1/traces", context => receiver.ReceiveAsync(context, ExportTraceServiceRequest.Parser, receiver.Add));
        app.MapPost("/v1/metrics", context => receiver.ReceiveAsync(context, ExportMetricsServiceRequest.Parser, receiver.Add));
        app.MapPost("/v1/logs", context => receiver.ReceiveAsync(context, ExportLogsServiceRequest.Parser, receiver.Add));
        await app.StartAsync(cancellationToken);
        receiver.app = app;
        receiver.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return receiver;
    }

    /// <summary>
    /// Waits for exports until <paramref name="probe"/> finds what it looks for (the token is the deadline); the
    /// failure message shows <paramref name="what"/> and what did arrive.
    /// </summary>
    public async Task<T> WaitForAsync<T>(Func<OtlpReceiver, T?> probe, string what, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            while (true)
            {
                Task next;
                lock (arrivalGate)
                {
                    next = arrival.Task;
                }

                if (probe(this) is { } found)
                {
                    return found;
                }

                await next.WaitAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new ShouldAssertException($"The telemetry never showed {what} before the deadline. Received {spans.Count} spans, {logs.Count} logs, {points.Count} series.");
        }
    }

    /// <summary>The latest value of every series of <paramref name="name"/> from <paramref name="service"/> matching <paramref name="attributes"/>, summed.</summary>
    public double? Value(string service, string name, params (string Key, string Value)[] attributes)
    {
        var matching = points.Values.Where(p => p.Service == service && p.Name == name && attributes.All(a => p[a.Key] == a.Value)).ToList();
        return matching.Count == 0 ? null : matching.Sum(p => p.Value);
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    private static TaskCompletionSource NewArrival() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task ReceiveAsync<TRequest>(HttpContext context, MessageParser<TRequest> parser, Action<TRequest> add)
        where TRequest : IMessage<TRequest>
    {
        var body = context.Request.Body;
        if (context.Request.Headers.ContentEncoding == "gzip")
        {
            body = new GZipStream(body, CompressionMode.Decompress);
        }

        using var buffer = new MemoryStream();
        await body.CopyToAsync(buffer, context.RequestAborted);
        add(parser.ParseFrom(buffer.ToArray()));

        // An empty Export*ServiceResponse: everything accepted.
        context.Response.ContentType = "application/x-protobuf";
        context.Response.StatusCode = StatusCodes.Status200OK;

        lock (arrivalGate)
        {
            arrival.TrySetResult();
            arrival = NewArrival();
        }
    }

    private void Add(ExportTraceServiceRequest request)
    {
        foreach (var resource in request.ResourceSpans)
        {
            var service = ServiceOf(resource.Resource);
            foreach (var span in resource.ScopeSpans.SelectMany(s => s.Spans))
            {
                spans.Enqueue(new ReceivedSpan(
                    service, Hex(span.TraceId), Hex(span.SpanId), Hex(span.ParentSpanId), span.Name, span.Kind, span.Status?.Code ?? 0, Attributes(span.Attributes)));
            }
        }
    }

    private void Add(ExportLogsServiceRequest request)
    {
        foreach (var resource in request.ResourceLogs)
        {
            var service = ServiceOf(resource.Resource);
            foreach (var scope in resource.ScopeLogs)
            {
                foreach (var record in scope.LogRecords)
                {
                    logs.Enqueue(new ReceivedLog(service, scope.Scope?.Name ?? "", Text(record.Body), Hex(record.TraceId), Attributes(record.Attributes)));
                }
            }
        }
    }

    private void Add(ExportMetricsServiceRequest request)
    {
        foreach (var resource in request.ResourceMetrics)
        {
            var service = ServiceOf(resource.Resource);
            foreach (var metric in resource.ScopeMetrics.SelectMany(s => s.Metrics))
            {
                var numbers = metric.DataCase switch
                {
                    Metric.DataOneofCase.Sum => metric.Sum.DataPoints.Select(p => (p.Attributes, Value: NumberOf(p), p.TimeUnixNano)),
                    Metric.DataOneofCase.Gauge => metric.Gauge.DataPoints.Select(p => (p.Attributes, Value: NumberOf(p), p.TimeUnixNano)),
                    Metric.DataOneofCase.Histogram => metric.Histogram.DataPoints.Select(p => (p.Attributes, Value: (double)p.Count, p.TimeUnixNano)),
                    _ => [],
                };
                foreach (var (attributes, value, time) in numbers)
                {
                    var point = new ReceivedPoint(service, metric.Name, Attributes(attributes), value, time);
                    var series = $"{service}|{metric.Name}|{string.Join(",", point.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}"))}";
                    points.AddOrUpdate(series, point, (_, known) => known.TimeUnixNano > time ? known : point);
                }
            }
        }
    }

    private static double NumberOf(NumberDataPoint point) =>
        point.ValueCase == NumberDataPoint.ValueOneofCase.AsInt ? point.AsInt : point.AsDouble;

    private static string ServiceOf(Resource? resource) =>
        resource?.Attributes.FirstOrDefault(a => a.Key == "service.name") is { } name ? Text(name.Value) : "";

    private static Dictionary<string, string> Attributes(RepeatedField<KeyValue> attributes)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var attribute in attributes)
        {
            map[attribute.Key] = Text(attribute.Value);
        }

        return map;
    }

    private static string Text(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.BytesValue => Hex(value.BytesValue),
        _ => "",
    };

    private static string Hex(ByteString bytes) => bytes.IsEmpty ? "" : Convert.ToHexStringLower(bytes.Span);
}
