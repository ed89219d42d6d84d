using System.Net;
using System.Text.Json;

namespace AsyncJobs.IntegrationTests.Api;

/// <summary>Every error of the API is an RFC 9457 problem whose <c>type</c> names its kind.</summary>
public static class ProblemAssertions
{
    public const string TypeBase = "https://asyncjobs.dev/problems/";

    /// <summary>Asserts the status, the media type, the problem <c>type</c> (its kind), the members every problem has, and the named field.</summary>
    public static async Task<ProblemDocument> ShouldBeProblemAsync(
        this HttpResponseMessage response, HttpStatusCode status, string kind, string? field, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var context = $"{ApiJson.Describe(response)}: {body}";
        response.StatusCode.ShouldBe(status, context);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", context);

        ProblemDocument? problem;
        try
        {
            problem = JsonSerializer.Deserialize<ProblemDocument>(body, ApiJson.Options);
        }
        catch (JsonException exception)
        {
            throw new ShouldAssertException($"{context}\nis not a problem document: {exception.Message}");
        }

        problem.ShouldNotBeNull(context);
        problem.Type.ShouldBe(TypeBase + kind, context);
        problem.Status.ShouldBe((int)status, context);
        problem.Title.ShouldNotBeNullOrWhiteSpace(context);
        problem.Detail.ShouldNotBeNullOrWhiteSpace(context);
        if (field is not null)
        {
            var errors = problem.Errors.ShouldNotBeNull($"no errors object; {context}");
            errors.ShouldContainKey(field, context);
            errors[field].ShouldNotBeEmpty(context);
            errors[field].ShouldAllBe(message => !string.IsNullOrWhiteSpace(message), context);
        }

        return problem;
    }

    public static Task<ProblemDocument> ShouldBeProblemAsync(
        this HttpResponseMessage response, HttpStatusCode status, string kind, CancellationToken cancellationToken) =>
        response.ShouldBeProblemAsync(status, kind, field: null, cancellationToken);

    /// <summary>Retry-After as the contract gives it: delay-seconds, an integer of at least one.</summary>
    public static int ShouldHaveRetryAfterSeconds(this HttpResponseMessage response)
    {
        response.Headers.TryGetValues("Retry-After", out var values).ShouldBeTrue($"{ApiJson.Describe(response)} has no Retry-After header");
        var value = values!.ShouldHaveSingleItem();
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            .ShouldBeTrue($"Retry-After '{value}' of {ApiJson.Describe(response)} is not an integer number of seconds");
        seconds.ShouldBeGreaterThanOrEqualTo(1, $"Retry-After of {ApiJson.Describe(response)}");
        return seconds;
    }
}
