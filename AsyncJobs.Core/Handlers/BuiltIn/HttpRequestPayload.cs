using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace AsyncJobs.Core.Handlers.BuiltIn;

/// <summary>Drives <see cref="HttpRequestHandler"/>: the call to make and what counts as success.</summary>
public sealed record HttpRequestPayload
{
    /// <summary>An absolute http or https URL, without user information (send credentials in <see cref="Headers"/>).</summary>
    [Required]
    [StringLength(2048)]
    public string Url { get; init; } = "";

    [AllowedValues("GET", "POST", "PUT", "DELETE", ErrorMessage = "Use GET, POST, PUT or DELETE.")]
    public string Method { get; init; } = "GET";

    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>Sent as JSON (<c>application/json</c> unless <see cref="Headers"/> sets another Content-Type).</summary>
    public JsonElement? Body { get; init; }

    /// <summary>For the whole call: connecting, sending, and reading the response.</summary>
    [Range(1, 300)]
    public int TimeoutSeconds { get; init; } = 30;

    /// <summary>The statuses that count as success; any 2xx when absent.</summary>
    public IReadOnlyList<int>? ExpectStatus { get; init; }
}
