namespace AsyncJobs.LocalHost;

public static class RepositoryRoot
{
    public static string Find() => Find(AppContext.BaseDirectory);

    public static string Find(string startDirectory)
    {
        for (var dir = new DirectoryInfo(startDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AsyncJobs.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No AsyncJobs.sln found in {startDirectory} or any folder above it.");
    }
}
