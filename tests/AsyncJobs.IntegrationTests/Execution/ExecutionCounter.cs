using StackExchange.Redis;

namespace AsyncJobs.IntegrationTests.Execution;

/// <summary>
/// What <c>demo.simulate</c> counted in Redis under its <c>executionCounterKey</c>: how often the handler started,
/// and the most executions of the job ever running at once. Written by the handler, so it sees real executions,
/// not what the job row claims.
/// </summary>
public sealed record ExecutionCounter(long Started, long Active, long MaxActive)
{
    public static string NewKey(string purpose) => $"test:{purpose}:{Guid.NewGuid():N}";

    public static async Task<ExecutionCounter> ReadAsync(IDatabase redis, string key)
    {
        var values = await redis.StringGetAsync([$"{key}:started", $"{key}:active", $"{key}:maxActive"]);
        return new ExecutionCounter(AsLong(values[0]), AsLong(values[1]), AsLong(values[2]));
    }

    private static long AsLong(RedisValue value) => value.IsNull ? 0 : (long)value;
}
