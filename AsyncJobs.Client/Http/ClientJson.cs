using System.Text.Json;
using System.Text.Json.Serialization;

namespace AsyncJobs.Client.Http;

/// <summary>The API's JSON: camelCase names, lowercase enum names, nulls left out of requests.</summary>
internal static class ClientJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
