using System.Globalization;

namespace AsyncJobs.LocalHost;

/// <summary>
/// Claims a loopback port for this process across every topology on the machine: a file named after the port in
/// <c>$TMPDIR/asyncjobs-ports</c>, created exclusively and holding the owner's PID. <c>scripts/infra.sh</c> claims
/// PostgreSQL's and Redis's ports the same way. Without it, two topologies starting at once (parallel test
/// collections) could both pick a port that was free when tested and collide when the second service binds it.
/// A claim lasts as long as its owner process, so a service restarted on its port finds it still its own.
/// </summary>
internal static class PortReservation
{
    private static readonly string Directory = Path.Combine(Path.GetTempPath(), "asyncjobs-ports");

    /// <summary>True when this process newly holds <paramref name="port"/>; false while any live process (this one included) holds it.</summary>
    public static bool TryClaim(int port)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = PathOf(port);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                using var claim = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                using var writer = new StreamWriter(claim);
                writer.Write(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
                return true;
            }
            catch (IOException) when (File.Exists(path))
            {
                // This process's own claim counts as taken too: it belongs to another of its services.
                if (OwnerOf(path) is { } pid && IsAlive(pid))
                {
                    return false;
                }

                // The owner is gone (or never wrote its PID): the claim is stale.
                TryDelete(path);
            }
        }

        return false;
    }

    /// <summary>Gives back a port this process claimed but will not use.</summary>
    public static void Release(int port)
    {
        var path = PathOf(port);
        if (OwnerOf(path) == Environment.ProcessId)
        {
            TryDelete(path);
        }
    }

    private static string PathOf(int port) => Path.Combine(Directory, port.ToString(CultureInfo.InvariantCulture));

    private static int? OwnerOf(string path)
    {
        try
        {
            return int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsAlive(int pid) => System.IO.Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}");

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
