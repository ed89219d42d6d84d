using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AsyncJobs.LocalHost;

internal static class LoopbackPort
{
    private const int Lowest = 10000;

    /// <summary>
    /// <paramref name="count"/> distinct free ports below the kernel's ephemeral range, so that an outgoing connection
    /// cannot take one while a service is restarted on it, each claimed for this process (<see cref="PortReservation"/>)
    /// so that no other topology picks it before the service binds it. All are held until every one is chosen.
    /// </summary>
    public static int[] PickFree(int count)
    {
        var highest = EphemeralRangeStart() - 1;
        var listeners = new List<TcpListener>();
        try
        {
            for (var attempt = 0; listeners.Count < count && attempt < 500; attempt++)
            {
                var port = Random.Shared.Next(Lowest, highest);
                if (!PortReservation.TryClaim(port))
                {
                    continue;
                }

                var listener = new TcpListener(IPAddress.Loopback, port);
                try
                {
                    listener.Start();
                    listeners.Add(listener);
                }
                catch (SocketException)
                {
                    listener.Dispose();
                    PortReservation.Release(port);
                }
            }

            return listeners.Count == count
                ? listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray()
                : throw new InvalidOperationException($"No {count} free loopback ports found between {Lowest} and {highest}.");
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Dispose();
            }
        }
    }

    private static int EphemeralRangeStart()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var start = int.Parse(range[0], CultureInfo.InvariantCulture);
            return start > Lowest + 2000 ? start : 60000;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 32768;
        }
    }
}
