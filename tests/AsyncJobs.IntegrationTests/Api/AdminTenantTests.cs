using System.Net;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.IntegrationTests.Api;

/// <summary>POST /admin/tenants: the admin key creates a tenant and its first API key, and nothing else does.</summary>
[Collection(TopologyCollectionDefinition.Name)]
public sealed class AdminTenantTests(LocalTopologyFixture fixture) : ApiScenario(fixture)
{
    [Fact]
    public async Task The_admin_key_creates_a_tenant_whose_api_key_works_at_once()
    {
        using var deadline = StartDeadline();
        using var admin = AnonymousApi();
        var name = TenantAdmin.UniqueName("admin-create");

        using var response = await TenantAdmin.PostTenantAsync(admin, Topology.AdminKey, name, submissionsPerMinute: 30, maxInFlight: 4, deadline.Token);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(deadline.Token));
        var tenant = await response.ReadAsync<CreatedTenant>(deadline.Token);
        tenant.TenantId.ShouldNotBe(Guid.Empty);
        tenant.Name.ShouldBe(name);
        tenant.ApiKey.ShouldStartWith("ajk_");
        tenant.ApiKey.Length.ShouldBeGreaterThan("ajk_".Length + 16, "the key should carry real entropy");
        (await Rows.CountTenantsNamedAsync(name, deadline.Token)).ShouldBe(1);

        using var api = ApiAs(tenant.ApiKey);
        using var list = await api.GetAsync("/jobs", deadline.Token);
        list.StatusCode.ShouldBe(HttpStatusCode.OK, await list.Content.ReadAsStringAsync(deadline.Token));
        (await list.ReadAsync<JobPage>(deadline.Token)).Items.ShouldBeEmpty("a new tenant has no jobs");
    }

    [Fact]
    public async Task Two_tenants_get_different_ids_and_keys()
    {
        using var deadline = StartDeadline();
        using var admin = AnonymousApi();

        var first = await TenantAdmin.CreateAsync(admin, Topology.AdminKey, TenantAdmin.UniqueName("admin-first"), null, null, deadline.Token);
        var second = await TenantAdmin.CreateAsync(admin, Topology.AdminKey, TenantAdmin.UniqueName("admin-second"), null, null, deadline.Token);

        second.TenantId.ShouldNotBe(first.TenantId);
        second.ApiKey.ShouldNotBe(first.ApiKey);
    }

    [Fact]
    public async Task Without_the_admin_key_no_tenant_is_created()
    {
        using var deadline = StartDeadline();
        using var admin = AnonymousApi();
        var name = TenantAdmin.UniqueName("admin-missing");

        using var response = await TenantAdmin.PostTenantAsync(admin, adminKey: null, name, null, null, deadline.Token);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized", deadline.Token);
        (await Rows.CountTenantsNamedAsync(name, deadline.Token)).ShouldBe(0);
    }

    [Fact]
    public async Task A_wrong_admin_key_creates_no_tenant()
    {
        using var deadline = StartDeadline();
        using var admin = AnonymousApi();
        var name = TenantAdmin.UniqueName("admin-wrong");

        using var response = await TenantAdmin.PostTenantAsync(admin, Topology.AdminKey + "x", name, null, null, deadline.Token);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized", deadline.Token);
        (await Rows.CountTenantsNamedAsync(name, deadline.Token)).ShouldBe(0);
    }

    [Fact]
    public async Task A_tenant_api_key_is_not_an_admin_key()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("admin-tenant-key", deadline.Token);
        var name = TenantAdmin.UniqueName("admin-by-tenant");

        // Both as the admin header and as the tenant's own credential.
        using var asAdminHeader = await TenantAdmin.PostTenantAsync(tenant.Api, tenant.ApiKey, name, null, null, deadline.Token);
        using var asBearerOnly = await TenantAdmin.PostTenantAsync(tenant.Api, adminKey: null, name, null, null, deadline.Token);

        await asAdminHeader.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized", deadline.Token);
        await asBearerOnly.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "unauthorized", deadline.Token);
        (await Rows.CountTenantsNamedAsync(name, deadline.Token)).ShouldBe(0);
    }

    [Fact]
    public async Task A_second_tenant_with_the_same_name_is_a_conflict()
    {
        using var deadline = StartDeadline();
        using var admin = AnonymousApi();
        var name = TenantAdmin.UniqueName("admin-duplicate");
        var first = await TenantAdmin.CreateAsync(admin, Topology.AdminKey, name, null, null, deadline.Token);

        using var again = await TenantAdmin.PostTenantAsync(admin, Topology.AdminKey, name, null, null, deadline.Token);

        await again.ShouldBeProblemAsync(HttpStatusCode.Conflict, "tenant-exists", deadline.Token);
        (await Rows.CountTenantsNamedAsync(name, deadline.Token)).ShouldBe(1);
        using var api = ApiAs(first.ApiKey);
        using var stillWorks = await api.GetAsync("/jobs", deadline.Token);
        stillWorks.StatusCode.ShouldBe(HttpStatusCode.OK, "the first tenant's key is untouched by the rejected duplicate");
    }
}
