using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AsyncJobs.Core.Observability;

/// <summary>
/// Takes the caller's <c>X-Correlation-Id</c> (or makes one from the trace id), echoes it on the response,
/// and puts it in the logging scope so every log line of the request carries it.
/// </summary>
public sealed class CorrelationIdMiddleware(RequestDelegate next, ILogger<CorrelationIdMiddleware> logger)
{
    public const string HeaderName = "X-Correlation-Id";
    private const int MaxLength = 128;

    public async Task InvokeAsync(HttpContext context)
    {
        var correlationId = Read(context) ?? Activity.Current?.TraceId.ToString() ?? Guid.NewGuid().ToString("N");
        context.Response.Headers[HeaderName] = correlationId;
        Activity.Current?.SetTag("correlation.id", correlationId);
        using (logger.BeginScope(new CorrelationLogScope(correlationId)))
        {
            await next(context);
        }
    }

    /// <summary>
    /// The request's correlation id: the one echoed on its response (read back from there rather than kept in
    /// <c>HttpContext.Items</c>, whose dictionary every open event stream would otherwise hold).
    /// </summary>
    public static string? Get(HttpContext context) => context.Response.Headers[HeaderName] is { Count: 1 } echoed ? echoed[0] : null;

    private static string? Read(HttpContext context)
    {
        string? value = context.Request.Headers[HeaderName];
        return value is { Length: > 0 and <= MaxLength } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')
            ? value
            : null;
    }
}
