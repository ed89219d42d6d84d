using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AsyncJobs.Core.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without a running database.</summary>
internal sealed class DesignTimeJobsDbContextFactory : IDesignTimeDbContextFactory<JobsDbContext>
{
    public JobsDbContext CreateDbContext(string[] args) =>
        new(CreateOptions());

    private static DbContextOptions<JobsDbContext> CreateOptions()
    {
        var options = new DbContextOptionsBuilder<JobsDbContext>().UseNpgsql("Host=localhost;Database=jobsdb");
        JobsDbContext.Configure(options);
        return options.Options;
    }
}
