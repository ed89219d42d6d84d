using System.Threading.RateLimiting;
using AsyncJobs.Api.RateLimiting;
using AsyncJobs.IntegrationTests.Topology;
using StackExchange.Redis;

namespace AsyncJobs.IntegrationTests.Api;

/// <summary>
/// The submission limit reserved from Redis in blocks: two limiters on one key stand for two API replicas. Together they
/// never grant more than the limit, they lose at most a block each to the window's end, Redis is asked once per block,
/// and a refusal says when the window ends.
/// </summary>
[Collection(TopologyCollectionDefinition.Name)]
public sealed class BlockRateLimiterTests(LocalTopologyFixture fixture)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task Two_replicas_together_grant_the_limit_and_never_more()
    {
        const int Limit = 3_000;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Topology.RedisConnectionString);
        var key = UniqueKey();
        using var first = new RedisBlockRateLimiter(redis, key, Limit, Window, TimeProvider.System);
        using var second = new RedisBlockRateLimiter(redis, key, Limit, Window, TimeProvider.System);

        var granted = await Task.WhenAll(AcquireUntilRefusedAsync(first, clients: 8), AcquireUntilRefusedAsync(second, clients: 8));

        granted.Sum().ShouldBeLessThanOrEqualTo(Limit);
        granted.Sum().ShouldBeGreaterThanOrEqualTo(Limit - (2 * 8 * first.BlockSize), "each replica strands at most a block per concurrent client");
        granted.ShouldAllBe(count => count > 0, "both replicas drew on the shared window");
        ((int)await redis.GetDatabase().StringGetAsync(key)).ShouldBe(Limit, "every permit of the window was reserved, none twice");
    }

    [Fact]
    public async Task A_busy_replica_asks_redis_once_per_block()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Topology.RedisConnectionString);
        var key = UniqueKey();
        using var limiter = new RedisBlockRateLimiter(redis, key, limit: 1_000_000, Window, TimeProvider.System);
        limiter.BlockSize.ShouldBe(100);

        for (var i = 0; i < 250; i++)
        {
            using var lease = limiter.AttemptAcquire() is { IsAcquired: true } local ? local : await limiter.AcquireAsync(cancellationToken: TestContext.Current.CancellationToken);
            lease.IsAcquired.ShouldBeTrue();
        }

        ((int)await redis.GetDatabase().StringGetAsync(key)).ShouldBe(300, "three blocks of 100 served 250 permits");
        limiter.GetStatistics()!.CurrentAvailablePermits.ShouldBe(50);
    }

    [Fact]
    public async Task A_small_limit_is_exact_across_replicas()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Topology.RedisConnectionString);
        var key = UniqueKey();
        using var first = new RedisBlockRateLimiter(redis, key, limit: 5, Window, TimeProvider.System);
        using var second = new RedisBlockRateLimiter(redis, key, limit: 5, Window, TimeProvider.System);
        first.BlockSize.ShouldBe(1);

        (await AcquireUntilRefusedAsync(first, clients: 1, stopAfter: 2)).ShouldBe(2);
        (await AcquireUntilRefusedAsync(second, clients: 1)).ShouldBe(3);
        (await AcquireUntilRefusedAsync(first, clients: 1)).ShouldBe(0);
    }

    private static string UniqueKey() => $"asyncjobs:test:rate:{Guid.NewGuid():N}";

    /// <summary>Acquires as the rate-limiting middleware does (local attempt, then the awaited one) until refused.</summary>
    private static async Task<int> AcquireUntilRefusedAsync(RateLimiter limiter, int clients, int stopAfter = int.MaxValue)
    {
        var granted = 0;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (Volatile.Read(ref granted) < stopAfter)
            {
                using var lease = limiter.AttemptAcquire() is { IsAcquired: true } local
                    ? local
                    : await limiter.AcquireAsync(cancellationToken: TestContext.Current.CancellationToken);
                if (!lease.IsAcquired)
                {
                    lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter).ShouldBeTrue("a refusal says when to come back");
                    retryAfter.ShouldBeInRange(TimeSpan.Zero, Window);
                    return;
                }

                Interlocked.Increment(ref granted);
            }
        }));
        return granted;
    }
}
