namespace AsyncJobs.IntegrationTests.Topology;

/// <summary>The running system as a scenario sees it, whichever orchestrator started it (local processes or Aspire).</summary>
public interface ITopology
{
    string ApiKey { get; }

    Uri ApiUrl { get; }

    Uri NotifierUrl { get; }

    /// <summary>A client for the API, authenticated with <see cref="ApiKey"/>. The caller disposes it.</summary>
    HttpClient ApiClient();

    /// <summary>A client for the notifier, authenticated with <see cref="ApiKey"/>. The caller disposes it.</summary>
    HttpClient NotifierClient();
}
