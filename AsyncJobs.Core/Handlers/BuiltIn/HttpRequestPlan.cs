namespace AsyncJobs.Core.Handlers.BuiltIn;

/// <summary>What an <c>http.request</c> job would call; a dry run calls nothing.</summary>
public sealed record HttpRequestPlan(string Method, string Url, int TimeoutSeconds);
