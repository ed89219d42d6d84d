namespace AsyncJobs.Worker.Dashboard;

public static class DashboardRoles
{
    /// <summary>May change jobs in the dashboard (requeue, delete); everyone else only looks.</summary>
    public const string Admin = "hangfire-admin";

    public const string Viewer = "hangfire-viewer";
}
