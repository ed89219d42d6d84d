using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AsyncJobs.Core.Data.Migrations
{
    /// <summary>
    /// The job store wakes the outbox and event relays after each commit (PostCommitNotifier), so the triggers that
    /// sent NOTIFY inside every writing transaction go: such a NOTIFY holds PostgreSQL's single notification lock
    /// through the commit's WAL flush, which made every job-writing commit wait for the one before it.
    /// </summary>
    public partial class NotifyAfterCommit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS job_events_notify ON job_events;
                DROP FUNCTION IF EXISTS notify_job_events();
                DROP TRIGGER IF EXISTS jobs_outbox_notify ON jobs;
                DROP FUNCTION IF EXISTS notify_jobs_outbox();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION notify_job_events() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('job_events', '');
                    RETURN NULL;
                END $$;
                CREATE TRIGGER job_events_notify AFTER INSERT ON job_events
                    FOR EACH STATEMENT EXECUTE FUNCTION notify_job_events();
                CREATE FUNCTION notify_jobs_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('jobs_outbox', '');
                    RETURN NULL;
                END $$;
                CREATE TRIGGER jobs_outbox_notify AFTER INSERT OR UPDATE OF handed_over_at ON jobs
                    FOR EACH ROW WHEN (NEW.handed_over_at IS NULL) EXECUTE FUNCTION notify_jobs_outbox();
                """);
        }
    }
}
