using System.Security.Claims;
using AsyncJobs.Core.Tenants;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;
using Shouldly;

namespace AsyncJobs.UnitTests.Tenants;

public sealed class ApiKeyCacheTests : IDisposable
{
    private static readonly byte[] KeyHash = SecretHasher.Hash("ajk_test-key");

    private readonly MemoryCache memory = new(new MemoryCacheOptions());
    private readonly ApiKeyCache cache;
    private int lookups;

    public ApiKeyCacheTests() => cache = new ApiKeyCache(memory);

    [Fact]
    public async Task Concurrent_requests_for_a_key_that_is_not_remembered_share_one_lookup()
    {
        var answer = new TaskCompletionSource<AuthenticationTicket?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiting = Enumerable.Range(0, 32).Select(_ => cache.LookUpOnceAsync(KeyHash, () => Count(answer.Task))).ToList();

        var ticket = Ticket();
        answer.SetResult(ticket);
        var tickets = await Task.WhenAll(waiting);

        lookups.ShouldBe(1);
        tickets.ShouldAllBe(t => ReferenceEquals(t, ticket));
        cache.TryGet(KeyHash, out var remembered).ShouldBeTrue();
        remembered.ShouldBeSameAs(ticket);
    }

    [Fact]
    public async Task An_unknown_key_is_not_remembered_and_is_looked_up_again()
    {
        (await cache.LookUpOnceAsync(KeyHash, () => Count(Task.FromResult<AuthenticationTicket?>(null)))).ShouldBeNull();
        (await cache.LookUpOnceAsync(KeyHash, () => Count(Task.FromResult<AuthenticationTicket?>(null)))).ShouldBeNull();

        lookups.ShouldBe(2);
        cache.TryGet(KeyHash, out _).ShouldBeFalse();
    }

    [Fact]
    public async Task A_failed_lookup_fails_every_caller_waiting_for_it_and_the_next_caller_looks_up_again()
    {
        var answer = new TaskCompletionSource<AuthenticationTicket?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = cache.LookUpOnceAsync(KeyHash, () => Count(answer.Task));
        var second = cache.LookUpOnceAsync(KeyHash, () => Count(answer.Task));
        answer.SetException(new InvalidOperationException("database down"));

        await Should.ThrowAsync<InvalidOperationException>(first);
        await Should.ThrowAsync<InvalidOperationException>(second);
        var ticket = Ticket();
        (await cache.LookUpOnceAsync(KeyHash, () => Count(Task.FromResult<AuthenticationTicket?>(ticket)))).ShouldBeSameAs(ticket);

        lookups.ShouldBe(2);
    }

    public void Dispose() => memory.Dispose();

    private Task<AuthenticationTicket?> Count(Task<AuthenticationTicket?> answer)
    {
        Interlocked.Increment(ref lookups);
        return answer;
    }

    private static AuthenticationTicket Ticket() =>
        new(new ClaimsPrincipal(new ClaimsIdentity([new Claim(CallerClaims.TenantId, Guid.NewGuid().ToString())], "test")), "test");
}
