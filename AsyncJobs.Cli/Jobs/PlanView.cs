using AsyncJobs.Cli.Output;
using AsyncJobs.Client.Jobs;
using Spectre.Console;

namespace AsyncJobs.Cli.Jobs;

/// <summary>A dry run's answer for people.</summary>
public static class PlanView
{
    public static void Write(IAnsiConsole console, JobPlan plan)
    {
        console.Write(JobView.Line($"Valid: a {plan.Type} job would run with priority {plan.Priority.ToString().ToLowerInvariant()}, " +
            $"up to {plan.MaxAttempts} attempt(s) of {plan.TimeoutSeconds} s each. Nothing was submitted.", Color.Green));
        if (plan.Plan is { } handlerPlan)
        {
            console.Write(JobView.Line("Plan:"));
            console.Write(JobView.Line(CliJson.Pretty(handlerPlan)));
        }
    }
}
