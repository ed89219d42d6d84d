namespace AsyncJobs.Client.Http;

/// <summary>Reads <c>Retry-After</c> in either form (seconds or an HTTP date).</summary>
internal static class RetryAfter
{
    public static TimeSpan? Of(HttpResponseMessage response, TimeProvider? time = null)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - (time ?? TimeProvider.System).GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }
}
