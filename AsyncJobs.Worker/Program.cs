using AsyncJobs.Core.Data;
using AsyncJobs.Worker.Dashboard;
using AsyncJobs.Worker.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

await app.Services.MigrateJobsDatabaseAsync();

app.MapDefaultEndpoints();
app.MapWorkerDashboard();

app.Run();
