using System.Text.Json;
using System.Text.Json.Serialization;
using AsyncJobs.Bench.Results;

namespace AsyncJobs.Bench.Reporting;

/// <summary>latest.json (everything), latest.md (the tables) and the PNG charts, in the output folder.</summary>
public static class ReportFiles
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static async Task<IReadOnlyList<string>> WriteAsync(BenchReport report, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var charts = Charts.Write(report, directory);
        var json = Path.Combine(directory, "latest.json");
        await File.WriteAllTextAsync(json, JsonSerializer.Serialize(report, Json), cancellationToken);
        var markdown = Path.Combine(directory, "latest.md");
        await File.WriteAllTextAsync(markdown, MarkdownReport.Render(report, charts.Select(Path.GetFileName).OfType<string>().ToList()), cancellationToken);
        return [json, markdown, .. charts];
    }
}
