using AsyncJobs.Api.Jobs;
using Microsoft.Extensions.FileProviders;

namespace AsyncJobs.Api.LiveConsole;

/// <summary>
/// The live jobs console: static files under <c>wwwroot/console</c>, served without authentication (the page holds
/// no secret; it asks for the API key and sends it as a header on every call).
/// </summary>
public static class LiveConsoleExtensions
{
    public const string RequestPath = "/console";

    public static WebApplication UseLiveConsole(this WebApplication app)
    {
        var links = app.Services.GetRequiredService<JobLinkBuilder>();
        var securityPolicy = ContentSecurityPolicy(links.NotifierOrigin);
        var files = new PhysicalFileProvider(Path.Combine(app.Environment.WebRootPath, "console"));

        // /console → /console/ (DefaultFiles redirects to the trailing slash), then index.html.
        app.UseDefaultFiles(new DefaultFilesOptions { RequestPath = RequestPath, FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = RequestPath,
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.ContentSecurityPolicy = securityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.CacheControl = "no-cache";
            },
        });
        return app;
    }

    // Scripts and styles from this origin only; the page talks to the API (here) and to the notifier's streams.
    private static string ContentSecurityPolicy(string? notifierOrigin) =>
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
        $"connect-src 'self'{(notifierOrigin is null ? string.Empty : " " + notifierOrigin)}; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
}
