namespace AsyncJobs.Bench.Topology;

/// <summary>
/// The harness's HTTP clients: unlimited connections per server, so the concurrency a scenario asks for is the
/// concurrency the server sees; a separate client without timeout for long-lived event streams.
/// </summary>
public sealed class BenchHttp : IDisposable
{
    public HttpClient Requests { get; } = new(NewHandler()) { Timeout = TimeSpan.FromSeconds(60) };

    public HttpClient Streams { get; } = new(NewHandler()) { Timeout = Timeout.InfiniteTimeSpan };

    public static SocketsHttpHandler NewHandler() => new()
    {
        MaxConnectionsPerServer = int.MaxValue,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(30),
        UseProxy = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
    };

    public void Dispose()
    {
        Requests.Dispose();
        Streams.Dispose();
    }
}
