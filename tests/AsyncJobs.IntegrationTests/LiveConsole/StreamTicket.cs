namespace AsyncJobs.IntegrationTests.LiveConsole;

/// <summary>The answer of POST /stream-tickets.</summary>
public sealed record StreamTicket(string Ticket, DateTimeOffset ExpiresAt, string EventsUrl);
