using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AsyncJobs.Core.Data.Migrations
{
    /// <summary>
    /// Job tokens now name their job (JobToken), so they are checked by id and need no index over their hashes; a token
    /// issued before this migration does not name its job and no longer authenticates. The partial index over unfinished
    /// jobs' updated_at repeated ix_jobs_tenant_in_flight's predicate, which serves its readers as well.
    /// </summary>
    public partial class DropTokenHashAndUnfinishedIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_jobs_job_token_hash",
                table: "jobs");

            migrationBuilder.DropIndex(
                name: "ix_jobs_unfinished",
                table: "jobs");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_jobs_job_token_hash",
                table: "jobs",
                column: "job_token_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_jobs_unfinished",
                table: "jobs",
                column: "updated_at",
                filter: "state IN ('queued', 'running', 'retrying')");
        }
    }
}
