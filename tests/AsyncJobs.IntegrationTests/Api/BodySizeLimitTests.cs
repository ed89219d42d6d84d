using System.Net;
using System.Text;
using AsyncJobs.IntegrationTests.Topology;

namespace AsyncJobs.IntegrationTests.Api;

/// <summary>The 1 MiB body limit: a body under it is a job, a body over it is a 413 however it is sent.</summary>
[Collection(TopologyCollectionDefinition.Name)]
public sealed class BodySizeLimitTests(LocalTopologyFixture fixture) : ApiScenario(fixture)
{
    private const int OneMiB = 1024 * 1024;

    [Fact]
    public async Task A_body_just_under_the_limit_is_accepted()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("size-under", deadline.Token);
        var body = BodyOfSize(OneMiB - 1024);

        using var response = await tenant.PostJobAsync(body, deadline.Token);

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(deadline.Token));
        (await Rows.CountJobsAsync(tenant.Id, deadline.Token)).ShouldBe(1);
    }

    [Fact]
    public async Task A_body_over_the_limit_without_a_content_length_is_refused()
    {
        using var deadline = StartDeadline();
        await using var tenant = await NewTenantAsync("size-chunked", deadline.Token);
        // A stream of unknown length goes out chunked: the API must count what it reads, not trust Content-Length.
        using var content = new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes(BodyOfSize(OneMiB + 512 * 1024))));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/jobs") { Content = content };

        using var response = await tenant.Api.SendAsync(request, deadline.Token);

        request.Headers.TransferEncodingChunked.ShouldBe(true);
        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload-too-large", deadline.Token);
        await Rows.ShouldHaveNothingForAsync(tenant.Id, "an oversized chunked body", deadline.Token);
    }

    private static string BodyOfSize(int bytes)
    {
        var empty = DemoJobs.Quick("\"metadata\":{\"blob\":\"\"}");
        return DemoJobs.Quick($"\"metadata\":{{\"blob\":\"{new string('x', bytes - empty.Length)}\"}}");
    }

    /// <summary>A readable stream that will not tell its length, as a proxy or a generator would.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
