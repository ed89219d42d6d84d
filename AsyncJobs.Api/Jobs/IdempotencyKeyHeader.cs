namespace AsyncJobs.Api.Jobs;

public static class IdempotencyKeyHeader
{
    public const string Name = "Idempotency-Key";
    public const string ReplayedName = "Idempotent-Replayed";
    public const int MaxLength = 255;

    /// <summary>1 to 255 printable ASCII characters, no spaces (as in the IETF Idempotency-Key draft's examples).</summary>
    public static bool IsValid(string key) => key.Length is > 0 and <= MaxLength && key.All(c => c is >= '!' and <= '~');
}
