using System.Security.Claims;
using AsyncJobs.Api.Problems;
using AsyncJobs.Core.Tenants;
using AsyncJobs.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AsyncJobs.Api.Webhooks;

/// <summary>
/// A tenant's webhook endpoints, its callback secret, and its deliveries (with every attempt, and manual redelivery).
/// API keys only: a job token reads one job and nothing else (403). Another tenant's ids are not found (404).
/// </summary>
public static class WebhooksApi
{
    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapGroup("/webhooks").WithTags("Webhooks")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        webhooks.MapPost("/endpoints", CreateWebhookEndpoint)
            .WithName(nameof(CreateWebhookEndpoint))
            .WithSummary("Create a webhook endpoint")
            .WithDescription("Job events of the listed types (all when none) are POSTed to the URL, signed by the Standard Webhooks " +
                "specification with the secret in the answer. The secret is shown here and on rotation only.")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        webhooks.MapGet("/endpoints", ListWebhookEndpoints)
            .WithName(nameof(ListWebhookEndpoints))
            .WithSummary("List the webhook endpoints");

        webhooks.MapGet("/endpoints/{id:guid}", GetWebhookEndpoint)
            .WithName(nameof(GetWebhookEndpoint))
            .WithSummary("Get a webhook endpoint, with why it was disabled if it was")
            .ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapDelete("/endpoints/{id:guid}", DeleteWebhookEndpoint)
            .WithName(nameof(DeleteWebhookEndpoint))
            .WithSummary("Delete a webhook endpoint and its deliveries")
            .ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapPost("/endpoints/{id:guid}/rotate-secret", RotateWebhookSecret)
            .WithName(nameof(RotateWebhookSecret))
            .WithSummary("Rotate an endpoint's signing secret")
            .WithDescription("Until previousSecretExpiresAt, deliveries carry two signatures, one per secret, so the receiver can switch over.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapPost("/endpoints/{id:guid}/enable", EnableWebhookEndpoint)
            .WithName(nameof(EnableWebhookEndpoint))
            .WithSummary("Enable an endpoint that was disabled after failing for too long")
            .ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapGet("/callback-secret", GetCallbackSecret)
            .WithName(nameof(GetCallbackSecret))
            .WithSummary("Get the secret that signs deliveries to jobs' own callbackUrl (created on first use)");

        webhooks.MapPost("/callback-secret/rotate", RotateCallbackSecret)
            .WithName(nameof(RotateCallbackSecret))
            .WithSummary("Replace the callback secret")
            .WithDescription("Takes effect at once: deliveries from now on are signed with the new secret only.");

        webhooks.MapGet("/deliveries", ListWebhookDeliveries)
            .WithName(nameof(ListWebhookDeliveries))
            .WithSummary("List webhook deliveries, newest first")
            .WithDescription("Filters: state (pending, succeeded, failed: failed lists the dead letters), endpointId, jobId; limit 1–100 (default 20).")
            .ProducesProblem(StatusCodes.Status400BadRequest);

        webhooks.MapGet("/deliveries/{id:guid}", GetWebhookDelivery)
            .WithName(nameof(GetWebhookDelivery))
            .WithSummary("Get a delivery, its body, and every attempt (status, latency, response excerpt, error)")
            .ProducesProblem(StatusCodes.Status404NotFound);

        webhooks.MapPost("/deliveries/{id:guid}/redeliver", RedeliverWebhook)
            .WithName(nameof(RedeliverWebhook))
            .WithSummary("Deliver a failed (dead-lettered) or succeeded delivery again, now")
            .WithDescription("The delivery becomes pending and is attempted at once with the same webhook-id; attempt numbers continue.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        return app;
    }

    public static async Task<Results<Created<CreatedWebhookEndpointResponse>, ProblemHttpResult>> CreateWebhookEndpoint(
        CreateWebhookEndpointRequest request, ClaimsPrincipal caller, HttpContext http, [AsParameters] WebhookServices services)
    {
        if (!caller.IsTenantKey())
        {
            return TokenCannotManageWebhooks().ToResult();
        }

        if (services.Validation.Validate(request) is { } problem)
        {
            return problem.ToResult();
        }

        var endpoint = await services.Endpoints.CreateAsync(caller.GetTenantId(), request, http.RequestAborted);
        return TypedResults.Created($"/webhooks/endpoints/{endpoint.Id}", CreatedWebhookEndpointResponse.From(endpoint));
    }

    public static async Task<Results<Ok<IReadOnlyList<WebhookEndpointResponse>>, ProblemHttpResult>> ListWebhookEndpoints(
        ClaimsPrincipal caller, HttpContext http, [AsParameters] WebhookServices services)
    {
        if (!caller.IsTenantKey())
        {
            return TokenCannotManageWebhooks().ToResult();
        }

        var endpoints = await services.Endpoints.ListAsync(caller.GetTenantId(), http.RequestAborted);
        return TypedResults.Ok<IReadOnlyList<WebhookEndpointResponse>>([.. endpoints.Select(WebhookEndpointResponse.From)]);
    }

    public static async Task<Results<Ok<WebhookEndpointResponse>, ProblemHttpResult>> GetWebhookEndpoint(
        Guid id, ClaimsPrincipal caller, HttpContext http, [AsParameters] WebhookServices services)
    {
        if (!caller.IsTenantKey())
        {
            return TokenCannotManageWebhooks().ToResult();
        }

        var endpoint = await services.Endpoints.FindAsync(caller.GetTenantId(), id, http.RequestAborted);
        return endpoint is null ? EndpointNotFound(id).ToResult() : TypedResults.Ok(WebhookEndpointResponse.From(endpoint));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteWebhookEndpoint(
        Guid id, ClaimsPrincipal caller, HttpContext http, [AsParameters] WebhookServices services)
    {
        if (!caller.IsTenantKey())
        {
            return TokenCannotManageWebhooks().ToResult();
        }

        return await services.Endpoints.DeleteAsync(caller.GetTenantId(), id, http.RequestAborted)
            ? TypedResults.NoContent()
            : EndpointNotFound(id).ToResult();
    }

    public static async Task<Results<Ok<RotatedSecretResponse>, ProblemHttpResult>> RotateWebhookSecret(
        Guid id, ClaimsPrincipal caller, HttpContext http, [AsParameters] WebhookServices services)
    {
        if (!caller.IsTenantKey())
        {
            return TokenCannotManageWebhooks().ToResult();
        }

        var rotated = await services.Endpoints.RotateSecretAsync(caller.GetTenantId(), id, http.RequestAborted);
        return rotated is null ? EndpointNotFound(id).ToResult() : TypedResults.Ok(rotated);
    }

    public static async Task<Results<Ok<WebhookEndpointResponse>, ProblemHttpResult>> EnableWebhookEndpoint(
        Guid id, ClaimsPrincipal caller, HttpContext http, [AsParameters] WebhookServices services)
    {
        if (!caller.IsTenantKey())
        {
            return TokenCannotManageWebhooks().ToResult();
        }

        var endpoint = await services.Endpoints.EnableAsync(caller.GetTenantId(), id, http.RequestAborted);
        return endpoint is null ? EndpointNotFound(id).ToResult() : TypedResults.Ok(WebhookEndpointResponse.From(endpoint));
    }

    public static async Task<Results<Ok<CallbackSecretResponse>, ProblemHttpResult>> GetCallbackSecret(
        ClaimsPrincipal caller, HttpContext http, [AsParameters] WebhookServices services)
    {
        if (!caller.IsTenantKey())
        {
            return TokenCannotManageWebhooks().ToResult();
        }

        var secret = await services.CallbackSecrets.GetOrCreateAsync(caller.GetTenantId(), WebhookSecret.Generate(), http.RequestAborted)
            ?? throw new InvalidOperationException("An authenticated tenant does not exist.");
        return TypedResults.Ok(new CallbackSecretResponse(secret));
    }

    public static async Task<Results<Ok<CallbackSecretResponse>, ProblemHttpResult>> RotateCallbackSecret(
        ClaimsPrincipal caller, HttpContext http, [AsParameters] WebhookServices services)
    {
        if (!caller.IsTenantKey())
        {
            return TokenCannotManageWebhooks().ToResult();
        }

        var secret = WebhookSecret.Generate();
        if (!await services.CallbackSecrets.ReplaceAsync(caller.GetTenantId(), secret, http.RequestAborted))
        {
            throw new InvalidOperationException("An authenticated tenant does not exist.");
        }

        return TypedResults.Ok(new CallbackSecretResponse(secret));
    }

    public static async Task<Results<Ok<WebhookDeliveryListResponse>, ProblemHttpResult>> ListWebhookDeliveries(
        ClaimsPrincipal caller, HttpContext http, [AsParameters] WebhookServices services)
    {
        if (!caller.IsTenantKey())
        {
            return TokenCannotManageWebhooks().ToResult();
        }

        var (query, problem) = WebhookDeliveryQuery.Parse(http.Request.Query);
        if (problem is not null)
        {
            return problem.ToResult();
        }

        var items = await services.Deliveries.ListAsync(caller.GetTenantId(), query!, http.RequestAborted);
        return TypedResults.Ok(new WebhookDeliveryListResponse(items));
    }

    public static async Task<Results<Ok<WebhookDeliveryDetailResponse>, ProblemHttpResult>> GetWebhookDelivery(
        Guid id, ClaimsPrincipal caller, HttpContext http, [AsParameters] WebhookServices services)
    {
        if (!caller.IsTenantKey())
        {
            return TokenCannotManageWebhooks().ToResult();
        }

        var delivery = await services.Deliveries.GetAsync(caller.GetTenantId(), id, http.RequestAborted);
        return delivery is null ? DeliveryNotFound(id).ToResult() : TypedResults.Ok(delivery);
    }

    public static async Task<Results<Accepted<WebhookDeliveryResponse>, ProblemHttpResult>> RedeliverWebhook(
        Guid id, ClaimsPrincipal caller, HttpContext http, [AsParameters] WebhookServices services)
    {
        if (!caller.IsTenantKey())
        {
            return TokenCannotManageWebhooks().ToResult();
        }

        var (outcome, delivery) = await services.Deliveries.RedeliverAsync(caller.GetTenantId(), id, http.RequestAborted);
        return outcome switch
        {
            WebhookDeliveryStore.RedeliveryOutcome.Redelivered => TypedResults.Accepted($"/webhooks/deliveries/{id}", delivery),
            WebhookDeliveryStore.RedeliveryOutcome.AlreadyPending =>
                new ApiProblem(StatusCodes.Status409Conflict, WebhookProblemTypes.DeliveryPending, "The delivery is still being attempted",
                    $"Delivery {id} is pending; only failed or succeeded deliveries can be redelivered.").ToResult(),
            _ => DeliveryNotFound(id).ToResult(),
        };
    }

    private static ApiProblem EndpointNotFound(Guid id) =>
        new(StatusCodes.Status404NotFound, WebhookProblemTypes.EndpointNotFound, "Webhook endpoint not found", $"There is no webhook endpoint {id} for this caller.");

    private static ApiProblem DeliveryNotFound(Guid id) =>
        new(StatusCodes.Status404NotFound, WebhookProblemTypes.DeliveryNotFound, "Webhook delivery not found", $"There is no webhook delivery {id} for this caller.");

    private static ApiProblem TokenCannotManageWebhooks() =>
        new(StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "A job token only reads its job", "Use an API key to manage webhooks.");
}
