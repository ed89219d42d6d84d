using System.Text.Json;

namespace AsyncJobs.Cli.Jobs;

/// <summary>Reads a JSON option value: inline JSON, <c>@file</c>, or <c>@-</c> for stdin.</summary>
public static class JsonInput
{
    public static JsonElement Read(string value, string option)
    {
        var text = value.StartsWith('@') ? ReadReference(value[1..], option) : value;
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            throw new CliException($"{option} is not valid JSON: {exception.Message}", ExitCodes.InvalidInput);
        }
    }

    private static string ReadReference(string path, string option)
    {
        if (path == "-")
        {
            return Console.In.ReadToEnd();
        }

        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new CliException($"{option}: cannot read '{path}': {exception.Message}", ExitCodes.NoInput);
        }
    }
}
