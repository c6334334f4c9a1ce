using System.Net;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.Platform;

public sealed class SecurityHeadersTests
{
    [Theory]
    [InlineData("healthz", HttpStatusCode.OK)]
    [InlineData("v1/missing", HttpStatusCode.NotFound)]
    [InlineData("openapi/v1.json", HttpStatusCode.OK)]
    public async Task Every_response_carries_the_security_headers_and_a_trace_id(string path, HttpStatusCode status)
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", Header(response, "Content-Security-Policy"));
        Assert.Matches("^[0-9a-f]{32}$", Header(response, "X-Trace-Id"));
        Assert.False(response.Headers.Contains("Server"), "The Server header must not be sent.");
        Assert.False(response.Headers.Contains("Strict-Transport-Security"), "HSTS is only for HTTPS.");
    }

    [Fact]
    public async Task Each_request_gets_its_own_trace_id()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.CreateClient();

        using var first = await client.GetAsync("healthz");
        using var second = await client.GetAsync("healthz");

        Assert.NotEqual(Header(first, "X-Trace-Id"), Header(second, "X-Trace-Id"));
    }

    [Fact]
    public async Task A_traceparent_from_the_caller_is_continued()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "healthz");
        request.Headers.Add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

        using var response = await client.SendAsync(request);

        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", Header(response, "X-Trace-Id"));
    }

    [Fact]
    public async Task The_docs_page_gets_a_policy_that_lets_its_script_run()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.CreateClient();

        using var response = await client.GetAsync("docs");

        var policy = Header(response, "Content-Security-Policy");
        Assert.Contains("script-src 'self'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
    }

    [Fact]
    public async Task Without_configured_origins_there_are_no_cors_headers()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "healthz");
        request.Headers.Add("Origin", "https://console.example.com");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Configured_origins_get_cors_headers_and_others_do_not()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Http:Cors:Origins:0"] = "https://console.example.com",
        });
        using var client = server.CreateClient();

        using var allowed = await SendWithOriginAsync(client, HttpMethod.Get, "https://console.example.com");
        using var other = await SendWithOriginAsync(client, HttpMethod.Get, "https://evil.example.com");
        using var preflight = await SendWithOriginAsync(client, HttpMethod.Options, "https://console.example.com", "POST");

        Assert.Equal("https://console.example.com", Header(allowed, "Access-Control-Allow-Origin"));
        Assert.False(allowed.Headers.Contains("Access-Control-Allow-Credentials"));
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal("https://console.example.com", Header(preflight, "Access-Control-Allow-Origin"));
        Assert.Contains("POST", Header(preflight, "Access-Control-Allow-Methods"));
    }

    [Fact]
    public async Task A_browser_tus_client_on_a_configured_origin_may_send_and_read_the_tus_headers()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Http:Cors:Origins:0"] = "https://console.example.com",
        });
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, "v1/files/0190a0a0-0000-7000-8000-000000000000");
        request.Headers.Add("Origin", "https://console.example.com");
        request.Headers.Add("Access-Control-Request-Method", "PATCH");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,tus-resumable,upload-offset,upload-checksum,content-type");
        using var preflight = await client.SendAsync(request);
        using var head = new HttpRequestMessage(HttpMethod.Get, "healthz");
        head.Headers.Add("Origin", "https://console.example.com");
        using var actual = await client.SendAsync(head);

        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Contains("PATCH", Header(preflight, "Access-Control-Allow-Methods"));
        var allowed = Header(preflight, "Access-Control-Allow-Headers").ToLowerInvariant();
        Assert.All(new[] { "tus-resumable", "upload-offset", "upload-checksum" }, h => Assert.Contains(h, allowed));
        var exposed = Header(actual, "Access-Control-Expose-Headers").ToLowerInvariant();
        Assert.All(new[] { "upload-offset", "location", "tus-resumable", "upload-expires" }, h => Assert.Contains(h, exposed));
    }

    private static async Task<HttpResponseMessage> SendWithOriginAsync(HttpClient client, HttpMethod method, string origin, string? preflightMethod = null)
    {
        using var request = new HttpRequestMessage(method, "healthz");
        request.Headers.Add("Origin", origin);
        if (preflightMethod is not null)
        {
            request.Headers.Add("Access-Control-Request-Method", preflightMethod);
            request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        }
        return await client.SendAsync(request);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var content) ? string.Join(",", content)
        : throw new Xunit.Sdk.XunitException($"Header {name} is missing from the {(int)response.StatusCode} response.");
}
