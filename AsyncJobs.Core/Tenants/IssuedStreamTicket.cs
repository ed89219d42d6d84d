namespace AsyncJobs.Core.Tenants;

/// <summary>A stream ticket as issued: the secret (shown once) and when it stops working if unused.</summary>
public sealed record IssuedStreamTicket(string Ticket, DateTimeOffset ExpiresAt);
