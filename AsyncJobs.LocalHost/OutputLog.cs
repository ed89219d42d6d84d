namespace AsyncJobs.LocalHost;

/// <summary>A service's console output: appended to its log file, the last lines kept for error messages.</summary>
internal sealed class OutputLog : IDisposable
{
    private const int TailLines = 200;

    private readonly Lock gate = new();
    private readonly Queue<string> tail = new();
    private readonly StreamWriter writer;
    private bool disposed;

    public OutputLog(string path)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        Path = path;
        writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    }

    public string Path { get; }

    public void Write(string line)
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            writer.WriteLine(line);
            tail.Enqueue(line);
            if (tail.Count > TailLines)
            {
                tail.Dequeue();
            }
        }
    }

    public string Tail()
    {
        lock (gate)
        {
            return string.Join('\n', tail);
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            disposed = true;
            writer.Dispose();
        }
    }
}
