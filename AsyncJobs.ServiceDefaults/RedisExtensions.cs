using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Redis registration with the behaviour of Aspire.StackExchange.Redis, built on the underlying
/// packages because no Aspire client package restores here.
/// </summary>
public static class RedisExtensions
{
    private const string AspireSettingsSection = "Aspire:StackExchange:Redis";

    /// <summary>
    /// Registers one shared <see cref="IConnectionMultiplexer"/> for the connection string
    /// <paramref name="connectionName"/> (plain or TLS, <c>host:port,password=...[,ssl=true]</c>)
    /// and a health check named <c>StackExchange.Redis</c>.
    /// </summary>
    public static IHostApplicationBuilder AddJobsRedis(this IHostApplicationBuilder builder, string connectionName = "redis")
    {
        // With Aspire client packages this whole method is: builder.AddRedisClient("redis").
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? builder.Configuration[$"{AspireSettingsSection}:ConnectionString"];

        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"No Redis connection string '{connectionName}': set ConnectionStrings__{connectionName} " +
                $"(or ConnectionStrings:{connectionName} in configuration).");
        }

        var options = ConfigurationOptions.Parse(connectionString);

        // Keep retrying in the background instead of failing at start: Redis may come up after
        // the service, and the health check reports it meanwhile. An explicit abortConnect wins.
        if (!connectionString.Contains("abortConnect=", StringComparison.OrdinalIgnoreCase))
        {
            options.AbortOnConnectFail = false;
        }

        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));

        builder.Services.AddHealthChecks()
            .AddRedis(services => services.GetRequiredService<IConnectionMultiplexer>(), name: "StackExchange.Redis");

        return builder;
    }
}
