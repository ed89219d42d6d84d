using AsyncJobs.Core.Data;
using AsyncJobs.Core.Observability;
using AsyncJobs.Notifier.Events;
using AsyncJobs.Notifier.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

await app.Services.MigrateJobsDatabaseAsync();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<CorrelationIdMiddleware>();
app.UseCors();
app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapJobEventsApi();

app.Run();
