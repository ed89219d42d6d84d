namespace AsyncJobs.LocalHost;

internal static class RunBanner
{
    public static void Write(TextWriter output, LocalTopology topology)
    {
        var api = topology.ApiUrl.ToString().TrimEnd('/');
        var worker = topology.WorkerUrl.ToString().TrimEnd('/');
        var notifier = topology.NotifierUrl.ToString().TrimEnd('/');
        output.WriteLine($"""

            AsyncJobs is running (data and logs in {topology.DataDirectory})

              API                {api}
              Live console       {api}/console   (sign in with the dev API key)
              OpenAPI document   {api}/openapi/v1.json
              Scalar UI          {api}/scalar
              Hangfire dashboard {worker}/hangfire
              SSE events         {notifier}/jobs/{"{id}"}/events
              Dev API key        {topology.ApiKey}
              Admin key          {topology.AdminKey}

            The Hangfire dashboard asks for a user name (any) and a password: the admin key for full access,
            or an API key for a read-only view.

            Submit a job:

              curl -i -X POST {api}/jobs \
                -H 'Authorization: Bearer {topology.ApiKey}' \
                -H 'Content-Type: application/json' \
                -d '{"{"}"type":"demo.simulate","payload":{"{"}"steps":5,"stepDurationMs":500{"}}"}'

            Follow it (use the id from the answer):

              curl -N -H 'Authorization: Bearer {topology.ApiKey}' {notifier}/jobs/<id>/events

            Or with the CLI (see README, "CLI"):

              export ASYNCJOBS_API_URL={api} ASYNCJOBS_API_KEY={topology.ApiKey}
              dotnet run --project AsyncJobs.Cli -- submit demo.simulate --payload '{"{"}"steps":5,"stepDurationMs":500{"}"}' --wait

            Press Ctrl+C to stop everything.
            """);
    }
}
