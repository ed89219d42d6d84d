using System.Text.Json;
using System.Text.Json.Serialization;

namespace AsyncJobs.Cli.Output;

/// <summary>The JSON the CLI prints: the API's own shape (camelCase, lowercase enum names, nulls kept).</summary>
public static class CliJson
{
    public static readonly JsonSerializerOptions Document = Create(indented: true);

    /// <summary>One value per line, for NDJSON.</summary>
    public static readonly JsonSerializerOptions Line = Create(indented: false);

    public static string Pretty(JsonElement element) => JsonSerializer.Serialize(element, Document);

    private static JsonSerializerOptions Create(bool indented) => new(JsonSerializerDefaults.Web)
    {
        WriteIndented = indented,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };
}
