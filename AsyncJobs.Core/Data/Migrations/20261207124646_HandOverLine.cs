using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AsyncJobs.Core.Data.Migrations
{
    /// <summary>
    /// Each hand-over records its Hangfire job (hangfire_job_id), so the rescuer tells a job Hangfire passed without
    /// running from one still in line by comparing that id with the head of its queue, through ix_jobs_handed_over,
    /// instead of reading every job waiting in Hangfire's queue. Jobs already handed over get the id of their latest
    /// Hangfire job, when Hangfire's schema ("hangfire", HangfireSetup.SchemaName) is in this database.
    /// ix_jobs_running lets the lease check read the running jobs alone.
    /// </summary>
    public partial class HandOverLine : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "hangfire_job_id",
                table: "jobs",
                type: "bigint",
                nullable: true);

            // The runner's arguments are ["\"<job id>\"","\"<queue>\"",null] (JobRunnerInvocation).
            migrationBuilder.Sql("""
                DO $$
                BEGIN
                    IF to_regclass('hangfire.job') IS NOT NULL THEN
                        UPDATE jobs SET hangfire_job_id = latest.hangfire_job_id
                        FROM (
                            SELECT substring(arguments->>0 from 2 for 36)::uuid AS job_id, max(id) AS hangfire_job_id
                            FROM hangfire.job
                            WHERE arguments->>0 ~ '^"[0-9a-fA-F-]{36}"$'
                            GROUP BY 1) AS latest
                        WHERE jobs.id = latest.job_id AND jobs.handed_over_at IS NOT NULL AND jobs.state IN ('queued', 'retrying');
                    END IF;
                END
                $$;
                """);

            migrationBuilder.CreateIndex(
                name: "ix_jobs_handed_over",
                table: "jobs",
                columns: new[] { "priority", "hangfire_job_id" },
                filter: "handed_over_at IS NOT NULL AND state IN ('queued', 'retrying')");

            migrationBuilder.CreateIndex(
                name: "ix_jobs_running",
                table: "jobs",
                column: "id",
                filter: "state = 'running'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_jobs_handed_over",
                table: "jobs");

            migrationBuilder.DropIndex(
                name: "ix_jobs_running",
                table: "jobs");

            migrationBuilder.DropColumn(
                name: "hangfire_job_id",
                table: "jobs");
        }
    }
}
