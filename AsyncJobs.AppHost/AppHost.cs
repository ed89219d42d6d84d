var builder = DistributedApplication.CreateBuilder(args);

var postgres = builder.AddPostgres("postgres")
    .WithDataVolume()
    .WithPgAdmin();
var jobsdb = postgres.AddDatabase("jobsdb");

var redis = builder.AddRedis("redis")
    .WithDataVolume();

var devApiKey = builder.AddParameter("dev-api-key", secret: true);

// The API applies the EF Core migrations, so the worker and the notifier wait for it.
var api = builder.AddProject<Projects.AsyncJobs_Api>("api")
    .WithReference(jobsdb)
    .WithReference(redis)
    .WaitFor(jobsdb)
    .WaitFor(redis)
    .WithEnvironment("Seed__ApiKey", devApiKey)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.AsyncJobs_Worker>("worker")
    .WithReference(jobsdb)
    .WithReference(redis)
    .WaitFor(jobsdb)
    .WaitFor(redis)
    .WaitFor(api)
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
