namespace AsyncJobs.Cli;

/// <summary>A failure the CLI explains in one line and answers with <see cref="ExitCode"/> (bad arguments, unreadable input).</summary>
public sealed class CliException(string message, int exitCode) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
