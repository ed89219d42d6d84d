using AsyncJobs.Core.Data;
using AsyncJobs.Worker.Extensions;
using AsyncJobs.Worker.Hangfire;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

await app.Services.MigrateJobsDatabaseAsync();

app.MapDefaultEndpoints();
app.MapHangfireDashboard();

app.Run();
