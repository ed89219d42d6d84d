using AsyncJobs.Api.Extensions;
using AsyncJobs.Api.Jobs;
using AsyncJobs.Api.LiveConsole;
using AsyncJobs.Api.StreamTickets;
using AsyncJobs.Api.Tenants;
using AsyncJobs.Api.Webhooks;
using AsyncJobs.Core.Data;
using AsyncJobs.Core.Observability;
using Scalar.AspNetCore;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

await app.Services.MigrateJobsDatabaseAsync();
await app.Services.SeedDevelopmentTenantAsync();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<CorrelationIdMiddleware>();
app.UseLiveConsole();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

app.MapOpenApi().AllowAnonymous();
app.MapScalarApiReference(options => options.WithTitle("AsyncJobs API").DisableDefaultFonts()).AllowAnonymous();
app.MapDefaultEndpoints();
app.MapJobsApi();
app.MapAdminApi();
app.MapWebhooksApi();
app.MapStreamTicketsApi();

app.Run();
