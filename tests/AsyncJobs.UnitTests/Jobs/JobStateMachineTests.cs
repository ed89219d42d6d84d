using AsyncJobs.Core.Jobs;
using Shouldly;

namespace AsyncJobs.UnitTests.Jobs;

public sealed class JobStateMachineTests
{
    public static TheoryData<JobState, JobState> LegalTransitions => new()
    {
        { JobState.Queued, JobState.Running },
        { JobState.Queued, JobState.Cancelled },
        { JobState.Running, JobState.Succeeded },
        { JobState.Running, JobState.Failed },
        { JobState.Running, JobState.Cancelled },
        { JobState.Running, JobState.Retrying },
        { JobState.Retrying, JobState.Running },
        { JobState.Retrying, JobState.Cancelled },
        { JobState.Failed, JobState.Queued },
    };

    [Theory]
    [MemberData(nameof(LegalTransitions))]
    public void Legal_transitions_are_allowed(JobState from, JobState to)
    {
        JobStateMachine.CanTransition(from, to).ShouldBeTrue();
        Should.NotThrow(() => JobStateMachine.EnsureTransition(from, to));
    }

    [Fact]
    public void Every_other_transition_is_refused()
    {
        var legal = LegalTransitions.Select(row => ((JobState)row.Data.Item1, (JobState)row.Data.Item2)).ToHashSet();
        var illegal = Enum.GetValues<JobState>()
            .SelectMany(from => Enum.GetValues<JobState>().Select(to => (from, to)))
            .Where(pair => !legal.Contains(pair))
            .ToList();

        illegal.Count.ShouldBe(36 - legal.Count);
        foreach (var (from, to) in illegal)
        {
            JobStateMachine.CanTransition(from, to).ShouldBeFalse($"{from} → {to}");
            var exception = Should.Throw<InvalidJobTransitionException>(() => JobStateMachine.EnsureTransition(from, to));
            exception.From.ShouldBe(from);
            exception.To.ShouldBe(to);
        }
    }

    [Theory]
    [InlineData(JobState.Succeeded, true)]
    [InlineData(JobState.Failed, true)]
    [InlineData(JobState.Cancelled, true)]
    [InlineData(JobState.Queued, false)]
    [InlineData(JobState.Running, false)]
    [InlineData(JobState.Retrying, false)]
    public void Terminal_states_are_the_three_outcomes(JobState state, bool terminal) =>
        JobStateMachine.IsTerminal(state).ShouldBe(terminal);

    [Fact]
    public void A_job_starts_only_from_queued_or_retrying() =>
        JobStateMachine.StatesLeadingTo(JobState.Running).ShouldBe([JobState.Queued, JobState.Retrying], ignoreOrder: true);

    [Theory]
    [InlineData(JobState.Queued, "queued")]
    [InlineData(JobState.Running, "running")]
    [InlineData(JobState.Retrying, "retrying")]
    [InlineData(JobState.Succeeded, "succeeded")]
    [InlineData(JobState.Failed, "failed")]
    [InlineData(JobState.Cancelled, "cancelled")]
    public void State_names_round_trip(JobState state, string name)
    {
        state.ToName().ShouldBe(name);
        JobStateNames.Parse(name).ShouldBe(state);
    }

    [Theory]
    [InlineData("Queued")]
    [InlineData("done")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_state_names_do_not_parse(string? name) =>
        JobStateNames.TryParse(name, out _).ShouldBeFalse();
}
