namespace AsyncJobs.IntegrationTests.Api;

/// <summary>Submission bodies for <c>demo.simulate</c>, written as raw JSON so each test states exactly what it sends.</summary>
public static class DemoJobs
{
    /// <summary>One instant step: succeeds within milliseconds of being picked up.</summary>
    public static string Quick(string extraMembers = "") => Simulate("\"steps\":1,\"stepDurationMs\":0", extraMembers);

    public static string Steps(int steps, int stepDurationMs, string extraMembers = "") =>
        Simulate($"\"steps\":{steps},\"stepDurationMs\":{stepDurationMs}", extraMembers);

    /// <summary>Fails permanently on its only attempt: a dead letter within milliseconds.</summary>
    public static string AlwaysFailing() => Simulate("\"alwaysFail\":true", "\"maxAttempts\":1");

    /// <summary>Runs until cancelled (or 60 s pass), with one attempt.</summary>
    public static string Hanging() => Simulate("\"hang\":true", "\"timeoutSeconds\":60,\"maxAttempts\":1");

    public static string Simulate(string payloadMembers, string extraMembers = "") =>
        $$"""{"type":"demo.simulate","payload":{{{payloadMembers}}}{{(extraMembers.Length == 0 ? string.Empty : "," + extraMembers)}}}""";
}
