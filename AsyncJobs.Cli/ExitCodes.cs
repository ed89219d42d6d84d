namespace AsyncJobs.Cli;

/// <summary>
/// What the process answers, so scripts can branch on it: the job's outcome for <c>--wait</c> and <c>watch</c>
/// (0, 1, 2), and sysexits(3) codes for everything that went wrong before there was an outcome.
/// </summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked; with <c>--wait</c> or <c>watch</c>, the job succeeded.</summary>
    public const int Success = 0;

    /// <summary>The job failed after its last attempt (a dead letter; <c>asyncjobs retry ID</c> replays it).</summary>
    public const int JobFailed = 1;

    /// <summary>The job was cancelled.</summary>
    public const int JobCancelled = 2;

    /// <summary>The API refused the call for the state of things: not found (404), conflict (409), and other 4xx problems.</summary>
    public const int Refused = 3;

    /// <summary>EX_USAGE: bad arguments, or no API URL or key.</summary>
    public const int Usage = 64;

    /// <summary>EX_DATAERR: the input is not valid (bad JSON here, or the API answered 400, 413, 415 or 422).</summary>
    public const int InvalidInput = 65;

    /// <summary>EX_NOINPUT: the payload file cannot be read.</summary>
    public const int NoInput = 66;

    /// <summary>EX_UNAVAILABLE: the API or the notifier cannot be reached, or answered 5xx.</summary>
    public const int Unavailable = 69;

    /// <summary>EX_SOFTWARE: an answer the CLI did not understand, or a bug.</summary>
    public const int Internal = 70;

    /// <summary>EX_TEMPFAIL: rate-limited or backlog full (429/503) for longer than the client waits; try again later.</summary>
    public const int Throttled = 75;

    /// <summary>EX_NOPERM: the API key is missing, wrong, or not allowed this call (401/403).</summary>
    public const int AccessDenied = 77;

    /// <summary>Interrupted (Ctrl+C): the CLI stopped waiting; the job goes on.</summary>
    public const int Interrupted = 130;
}
