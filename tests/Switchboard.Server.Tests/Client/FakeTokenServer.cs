using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Switchboard.Server.Tests.Client;

/// <summary>
/// A loopback stand-in for the token endpoints with the real contract (login, rotating refresh, bearer check on
/// <c>/v1/auth/me</c>) that counts what the client did, so the SDK's renewal logic is tested on its own.
/// </summary>
public sealed class FakeTokenServer : IAsyncDisposable
{
    public const string Password = "fake-password";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, bool> _accessTokens = new();
    private readonly ConcurrentDictionary<string, bool> _refreshTokens = new();
    private int _logins;
    private int _refreshes;
    private int _rejected;

    private FakeTokenServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public int Logins => _logins;

    public int Refreshes => _refreshes;

    public int Rejected => _rejected;

    /// <summary>Makes the server forget every access token, as after a key rotation.</summary>
    public void RevokeAccessTokens() => _accessTokens.Clear();

    /// <summary>Makes the server forget every refresh token, as after they expire.</summary>
    public void RevokeRefreshTokens() => _refreshTokens.Clear();

    public sealed record Credentials(string Username, string Password);

    public sealed record Refresh(string RefreshToken);

    public static async Task<FakeTokenServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeTokenServer(app);
        app.MapPost("/v1/auth/token", (Credentials body) =>
        {
            if (body.Password != Password)
            {
                return Problem(401, "invalid_credentials");
            }
            Interlocked.Increment(ref fake._logins);
            return fake.Issue();
        });
        app.MapPost("/v1/auth/refresh", (Refresh body) =>
        {
            if (!fake._refreshTokens.TryRemove(body.RefreshToken, out _))
            {
                return Problem(401, "invalid_refresh_token");
            }
            Interlocked.Increment(ref fake._refreshes);
            return fake.Issue();
        });
        app.MapGet("/v1/auth/me", (HttpContext context) =>
        {
            var header = context.Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || !fake._accessTokens.ContainsKey(header["Bearer ".Length..]))
            {
                Interlocked.Increment(ref fake._rejected);
                return Problem(401, "invalid_token");
            }
            return Results.Json(new { id = "1", username = "admin", displayName = (string?)null, role = "admin", kind = "user", scopes = new[] { "*" } });
        });
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseAddress = new Uri(address + "/");
        return fake;
    }

    private IResult Issue()
    {
        var access = "access-" + Guid.NewGuid().ToString("n");
        var refresh = "refresh-" + Guid.NewGuid().ToString("n");
        _accessTokens[access] = true;
        _refreshTokens[refresh] = true;
        return Results.Json(new { accessToken = access, refreshToken = refresh, tokenType = "Bearer", expiresIn = 900 });
    }

    private static IResult Problem(int status, string code) => Results.Json(
        new { type = "https://switchboard.dev/problems/" + code, title = code, status, code, traceId = "fake" },
        statusCode: status, contentType: "application/problem+json");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
    }
}
