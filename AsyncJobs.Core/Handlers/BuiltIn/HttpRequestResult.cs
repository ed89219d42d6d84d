using System.Text.Json;

namespace AsyncJobs.Core.Handlers.BuiltIn;

/// <summary>
/// The response: its status, a few headers (<c>content-type</c>, <c>content-length</c>), and the body: parsed JSON when
/// it is JSON and at most 64 KiB, otherwise text cut at 64 KiB (<see cref="BodyTruncated"/>); null when empty.
/// </summary>
public sealed record HttpRequestResult(int Status, IReadOnlyDictionary<string, string> Headers, JsonElement? Body, bool BodyTruncated, long ElapsedMs);
