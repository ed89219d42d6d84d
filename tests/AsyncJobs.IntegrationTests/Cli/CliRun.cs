namespace AsyncJobs.IntegrationTests.Cli;

/// <summary>How one run of the <c>asyncjobs</c> process ended: its exit code and everything it printed.</summary>
public sealed record CliRun(string Command, int ExitCode, IReadOnlyList<string> Lines, string Stderr)
{
    public string Stdout => string.Join('\n', Lines);

    /// <summary>Everything, for assertion messages.</summary>
    public override string ToString() => $"asyncjobs {Command} exited {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";

    public CliRun ShouldExitWith(int exitCode)
    {
        ExitCode.ShouldBe(exitCode, ToString());
        return this;
    }
}
