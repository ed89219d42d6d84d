using System.ComponentModel.DataAnnotations;
using AsyncJobs.Worker;
using Shouldly;

namespace AsyncJobs.UnitTests.Execution;

public sealed class WorkerOptionsValidationTests
{
    [Fact]
    public void The_defaults_are_valid() => Validate(new WorkerOptions()).ShouldBeEmpty();

    [Theory]
    [InlineData(5, 8, 5, 30, "LeaseTimeout")]   // a single late heartbeat would lose a live job
    [InlineData(5, 20, 5, 25, "InvisibilityTimeout")]   // Hangfire would re-deliver before the rescuer recovers
    [InlineData(5, 20, 20, 30, "InvisibilityTimeout")]
    public void Leases_and_invisibility_must_fit_together(int heartbeatSeconds, int leaseSeconds, int rescueSeconds, int invisibilitySeconds, string member)
    {
        var options = new WorkerOptions
        {
            HeartbeatInterval = TimeSpan.FromSeconds(heartbeatSeconds),
            LeaseTimeout = TimeSpan.FromSeconds(leaseSeconds),
            RescueInterval = TimeSpan.FromSeconds(rescueSeconds),
            InvisibilityTimeout = TimeSpan.FromSeconds(invisibilitySeconds),
        };

        Validate(options).ShouldContain(r => r.MemberNames.Contains(member));
    }

    [Fact]
    public void Ranges_are_checked() =>
        Validate(new WorkerOptions { LeaseTimeout = TimeSpan.FromMilliseconds(10) }).ShouldContain(r => r.MemberNames.Contains(nameof(WorkerOptions.LeaseTimeout)));

    private static List<ValidationResult> Validate(WorkerOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }
}
