using System.Diagnostics;
using System.Globalization;
using AsyncJobs.LocalHost;

namespace AsyncJobs.IntegrationTests.Local;

/// <summary>
/// The claim that keeps two topologies starting at once (parallel test collections) from picking the same port:
/// a CI run failed when one topology's Redis took the port another had just picked for its worker.
/// </summary>
public sealed class PortReservationTests
{
    private static readonly string ClaimDirectory = Path.Combine(Path.GetTempPath(), "asyncjobs-ports");

    [Fact]
    public void A_port_is_claimed_once_and_stays_taken_while_its_owner_lives()
    {
        var port = UnclaimedPort();
        try
        {
            PortReservation.TryClaim(port).ShouldBeTrue();
            ClaimOwner(port).ShouldBe(Environment.ProcessId);
            // A second service of the same process must not get it either.
            PortReservation.TryClaim(port).ShouldBeFalse();

            PortReservation.Release(port);
            File.Exists(ClaimPath(port)).ShouldBeFalse();
            PortReservation.TryClaim(port).ShouldBeTrue();
        }
        finally
        {
            PortReservation.Release(port);
        }
    }

    [Fact]
    public void Another_live_process_claim_is_respected_and_never_released_by_us()
    {
        var port = UnclaimedPort();
        Directory.CreateDirectory(ClaimDirectory);
        // PID 1 always lives.
        File.WriteAllText(ClaimPath(port), "1");
        try
        {
            PortReservation.TryClaim(port).ShouldBeFalse();
            PortReservation.Release(port);
            ClaimOwner(port).ShouldBe(1);
        }
        finally
        {
            File.Delete(ClaimPath(port));
        }
    }

    [Fact]
    public async Task A_claim_whose_owner_exited_is_taken_over()
    {
        var port = UnclaimedPort();
        using var exited = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await exited.WaitForExitAsync(TestContext.Current.CancellationToken);
        Directory.CreateDirectory(ClaimDirectory);
        File.WriteAllText(ClaimPath(port), exited.Id.ToString(CultureInfo.InvariantCulture));
        try
        {
            PortReservation.TryClaim(port).ShouldBeTrue();
            ClaimOwner(port).ShouldBe(Environment.ProcessId);
        }
        finally
        {
            PortReservation.Release(port);
        }
    }

    [Fact]
    public void Picked_ports_are_claimed_for_this_process()
    {
        var ports = LoopbackPort.PickFree(3);
        try
        {
            ports.Distinct().Count().ShouldBe(3);
            ports.ShouldAllBe(p => ClaimOwner(p) == Environment.ProcessId);
        }
        finally
        {
            foreach (var port in ports)
            {
                PortReservation.Release(port);
            }
        }
    }

    private static int UnclaimedPort()
    {
        while (true)
        {
            // Above the range the topologies pick from (10,000 up to the ephemeral range), so no topology running
            // in parallel can hold it.
            var port = Random.Shared.Next(61_000, 65_000);
            if (!File.Exists(ClaimPath(port)))
            {
                return port;
            }
        }
    }

    private static string ClaimPath(int port) => Path.Combine(ClaimDirectory, port.ToString(CultureInfo.InvariantCulture));

    private static int ClaimOwner(int port) => int.Parse(File.ReadAllText(ClaimPath(port)).Trim(), CultureInfo.InvariantCulture);
}
