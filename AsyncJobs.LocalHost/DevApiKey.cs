using System.Buffers.Text;
using System.Security.Cryptography;

namespace AsyncJobs.LocalHost;

public static class DevApiKey
{
    private const string Prefix = "ajk_dev_";
    private const string AdminPrefix = "ajadmin_";

    public static string Create() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));

    /// <summary>An operator key (<c>Admin__ApiKey</c>): tenant administration on the API, full access to the Hangfire dashboard.</summary>
    public static string CreateAdmin() => AdminPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));

    /// <summary>Reads the key kept in <paramref name="path"/>, creating it on first use, so a data folder keeps its key across runs.</summary>
    public static string LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.StartsWith(Prefix, StringComparison.Ordinal))
            {
                return existing;
            }
        }

        var key = Create();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, key + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return key;
    }
}
