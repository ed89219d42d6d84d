using System.Text.Json;

namespace AsyncJobs.Core;

/// <summary>The JSON conventions of the whole system: camelCase names, web defaults.</summary>
public static class JobsJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
