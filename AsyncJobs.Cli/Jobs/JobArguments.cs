using System.CommandLine;

namespace AsyncJobs.Cli.Jobs;

/// <summary>Arguments and options several job commands share.</summary>
public static class JobArguments
{
    public static readonly string[] States = ["queued", "running", "retrying", "succeeded", "failed", "cancelled"];

    public static Argument<Guid> JobId() => new("ID") { Description = "The job's id" };

    public static Option<bool> Wait(string what) => new("--wait", "-w") { Description = what };

    public static Option<int> Limit(int defaultValue)
    {
        var limit = new Option<int>("--limit", "-n")
        {
            Description = "How many jobs to show, newest first",
            DefaultValueFactory = _ => defaultValue,
            HelpName = "N",
        };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 1000)
            {
                result.AddError("--limit must be between 1 and 1000.");
            }
        });
        return limit;
    }

    public static Option<string?> Type(string description) => new("--type", "-t") { Description = description, HelpName = "TYPE" };
}
