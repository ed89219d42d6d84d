using Microsoft.Extensions.Configuration;

var builder = DistributedApplication.CreateBuilder(args);

IResourceBuilder<IResourceWithConnectionString> jobsdb, redis;
if (builder.Configuration.GetValue<bool>("AsyncJobs:ExistingServers"))
{
    // Where no container runtime exists (AddPostgres and AddRedis are container-only): PostgreSQL and
    // Redis already run, e.g. from scripts/infra.sh, and ConnectionStrings:jobsdb / ConnectionStrings:redis
    // say where. A model without containers skips Aspire's container-runtime check; DCP still runs the projects.
    jobsdb = builder.AddConnectionString("jobsdb");
    redis = builder.AddConnectionString("redis");
}
else
{
    var postgres = builder.AddPostgres("postgres")
        .WithDataVolume()
        .WithPgAdmin();
    jobsdb = postgres.AddDatabase("jobsdb");

    redis = builder.AddRedis("redis")
        .WithDataVolume();
}

var devApiKey = builder.AddParameter("dev-api-key", secret: true);
// The operator key: tenant administration on the API, full access to the worker's Hangfire dashboard.
var adminApiKey = builder.AddParameter("admin-api-key", secret: true);

// The API applies the EF Core migrations, so the worker and the notifier wait for it.
var api = builder.AddProject<Projects.AsyncJobs_Api>("api")
    .WithReference(jobsdb)
    .WithReference(redis)
    .WaitFor(jobsdb)
    .WaitFor(redis)
    .WithEnvironment("Seed__ApiKey", devApiKey)
    .WithEnvironment("Admin__ApiKey", adminApiKey)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.AsyncJobs_Worker>("worker")
    .WithReference(jobsdb)
    .WithReference(redis)
    .WaitFor(jobsdb)
    .WaitFor(redis)
    .WaitFor(api)
    .WithEnvironment("Admin__ApiKey", adminApiKey)
    .WithHttpHealthCheck("/health");

var notifier = builder.AddProject<Projects.AsyncJobs_Notifier>("notifier")
    .WithReference(jobsdb)
    .WithReference(redis)
    .WaitFor(jobsdb)
    .WaitFor(redis)
    .WaitFor(api)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health");

// The API builds absolute SSE links from services__notifier__http__0. A reference only, never
// WaitFor: the notifier already waits for the API, and waiting both ways would deadlock startup.
api.WithReference(notifier);

builder.Build().Run();
