namespace AsyncJobs.Api.StreamTickets;

/// <summary>A single-use ticket for the tenant event stream, and the stream's URL with the ticket in it.</summary>
public sealed record StreamTicketResponse(string Ticket, DateTimeOffset ExpiresAt, string EventsUrl);
