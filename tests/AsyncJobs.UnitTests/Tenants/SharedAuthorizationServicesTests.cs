using System.Security.Claims;
using AsyncJobs.Core.Tenants;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace AsyncJobs.UnitTests.Tenants;

public sealed class SharedAuthorizationServicesTests
{
    [Fact]
    public void Every_request_scope_gets_the_same_authorization_services()
    {
        using var provider = CallerServices();
        using var first = provider.CreateScope();
        using var second = provider.CreateScope();

        second.ServiceProvider.GetRequiredService<IPolicyEvaluator>().ShouldBeSameAs(first.ServiceProvider.GetRequiredService<IPolicyEvaluator>());
        second.ServiceProvider.GetRequiredService<IAuthorizationService>().ShouldBeSameAs(first.ServiceProvider.GetRequiredService<IAuthorizationService>());
        second.ServiceProvider.GetRequiredService<IAuthorizationHandlerProvider>().ShouldBeSameAs(first.ServiceProvider.GetRequiredService<IAuthorizationHandlerProvider>());
    }

    [Fact]
    public async Task The_shared_services_still_refuse_an_anonymous_caller_and_admit_an_authenticated_one()
    {
        using var provider = CallerServices();
        var authorization = provider.GetRequiredService<IAuthorizationService>();
        var policy = (await provider.GetRequiredService<IAuthorizationPolicyProvider>().GetFallbackPolicyAsync()).ShouldNotBeNull();

        (await authorization.AuthorizeAsync(new ClaimsPrincipal(new ClaimsIdentity()), null, policy)).Succeeded.ShouldBeFalse();
        (await authorization.AuthorizeAsync(new ClaimsPrincipal(new ClaimsIdentity("test")), null, policy)).Succeeded.ShouldBeTrue();
    }

    private static ServiceProvider CallerServices() =>
        new ServiceCollection().AddLogging().AddCallerAuthentication().BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
}
