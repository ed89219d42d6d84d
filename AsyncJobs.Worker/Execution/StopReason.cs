namespace AsyncJobs.Worker.Execution;

/// <summary>Why a running attempt's handler was told to stop; the first reason wins and decides the outcome.</summary>
public enum StopReason
{
    None = 0,

    /// <summary>The client cancelled the job: it ends <c>cancelled</c>.</summary>
    CancelRequested,

    /// <summary>The attempt exceeded the job's timeout: it fails with error type <c>timeout</c>.</summary>
    Timeout,

    /// <summary>This worker is shutting down: the job is handed back to run again elsewhere.</summary>
    Shutdown,

    /// <summary>The attempt no longer owns the job (it was rescued): stop without writing anything.</summary>
    LeaseLost,
}
