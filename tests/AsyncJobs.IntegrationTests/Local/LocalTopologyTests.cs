using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.IntegrationTests.Local;

[Collection(TopologyCollectionDefinition.Name)]
public sealed class LocalTopologyTests(LocalTopologyFixture fixture)
{
    [Fact]
    public async Task The_topology_is_five_processes_postgres_redis_and_three_services()
    {
        var topology = fixture.Topology;
        var cancellationToken = TestContext.Current.CancellationToken;

        (await PostgresAnswerAsync(topology.PostgresPort, cancellationToken)).ShouldBeOneOf((byte)'N', (byte)'S');
        (await RedisAnswerAsync(topology.RedisPort, cancellationToken)).ShouldMatch(@"^(\+PONG|-NOAUTH)");

        string[] services = ["api", "worker", "notifier"];
        var pids = services.Select(name => topology.ProcessId(name).ShouldNotBeNull($"{name} is not running")).ToArray();
        pids.Distinct().Count().ShouldBe(services.Length);
        pids.ShouldNotContain(Environment.ProcessId);
        foreach (var pid in pids)
        {
            using var process = Process.GetProcessById(pid);
            process.HasExited.ShouldBeFalse();
        }

        using var http = new HttpClient();
        foreach (var url in new[] { topology.ApiUrl, topology.WorkerUrl, topology.NotifierUrl })
        {
            using var health = await http.GetAsync(new Uri(url, "/health"), cancellationToken);
            health.StatusCode.ShouldBe(HttpStatusCode.OK, $"{url}health");
        }
    }

    /// <summary>The first byte PostgreSQL sends back to an SSLRequest: 'S' or 'N'.</summary>
    private static async Task<byte> PostgresAnswerAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
        var stream = client.GetStream();
        var sslRequest = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(sslRequest, 8);
        BinaryPrimitives.WriteInt32BigEndian(sslRequest.AsSpan(4), 80877103);
        await stream.WriteAsync(sslRequest, cancellationToken);
        var answer = new byte[1];
        await stream.ReadExactlyAsync(answer, cancellationToken);
        return answer[0];
    }

    private static async Task<string> RedisAnswerAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
        var stream = client.GetStream();
        await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
        var buffer = new byte[256];
        var read = await stream.ReadAsync(buffer, cancellationToken);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }
}
