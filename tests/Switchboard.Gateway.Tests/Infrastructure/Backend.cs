using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.SignalR;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Switchboard.Gateway.Tests.Infrastructure;

/// <summary>
/// A stand-in node on loopback Kestrel: answers every path with its name, <c>/readyz</c> as told, a SignalR hub at
/// <c>/hubs/echo</c>, and (like a real node) its signing keys at <c>/.well-known/jwks.json</c>. Records what reached it.
/// </summary>
internal sealed class Backend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<ECDsaSecurityKey> _keys = [];

    private Backend(string name, WebApplication app)
    {
        Name = name;
        _app = app;
        RotateKey();
    }

    public string Name { get; }

    public string Url { get; private set; } = "";

    /// <summary>What <c>/readyz</c> says.</summary>
    public bool Ready { get; set; } = true;

    /// <summary>When true every proxied path answers 500.</summary>
    public bool Failing { get; set; }

    public ConcurrentQueue<SeenRequest> Seen { get; } = new();

    public static async Task<Backend> StartAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSignalR();
        builder.Services.AddSingleton(new BackendName(name));
        var app = builder.Build();
        var backend = new Backend(name, app);
        app.MapGet("/readyz", () => backend.Ready ? Results.Ok(new { status = "ready" }) : Results.StatusCode(503));
        app.MapGet("/.well-known/jwks.json", backend.Jwks);
        app.MapHub<EchoHub>("/hubs/echo");
        app.Map("/{**rest}", (Delegate)backend.AnswerAsync);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StartAsync(timeout.Token);
        backend.Url = app.Urls.First().TrimEnd('/');
        return backend;
    }

    /// <summary>Requests that reached the backend's catch-all path (not probes).</summary>
    public int Count => Seen.Count;

    private async Task<IResult> AnswerAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        Seen.Enqueue(new SeenRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, body,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        return Failing ? Results.StatusCode(500) : Results.Ok(new { node = Name, path = context.Request.Path.Value, body });
    }

    /// <summary>Adds a new signing key (the old ones stay published, as in a real rotation); tokens are signed with it from now on.</summary>
    public void RotateKey()
    {
        lock (_keys)
        {
            _keys.Add(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = $"{Name}-key-{_keys.Count + 1}" });
        }
    }

    private IResult Jwks()
    {
        lock (_keys)
        {
            return Results.Json(new
            {
                keys = _keys.Select(k =>
                {
                    var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(k);
                    return new { kty = jwk.Kty, use = "sig", alg = "ES256", kid = k.KeyId, crv = jwk.Crv, x = jwk.X, y = jwk.Y };
                }).ToArray(),
            });
        }
    }

    /// <summary>An access token as a node issues it, signed with the newest key (or <paramref name="key"/>).</summary>
    public string Issue(string subject, TimeSpan? lifetime = null, ECDsaSecurityKey? key = null, string issuer = "switchboard")
    {
        ECDsaSecurityKey signing;
        lock (_keys)
        {
            signing = key ?? _keys[^1];
        }
        var now = DateTime.UtcNow;
        var life = lifetime ?? TimeSpan.FromMinutes(5);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = "switchboard",
            IssuedAt = life < TimeSpan.Zero ? now + life - TimeSpan.FromMinutes(1) : now,
            NotBefore = life < TimeSpan.Zero ? now + life - TimeSpan.FromMinutes(1) : now,
            Expires = now + life,
            Claims = new Dictionary<string, object> { ["sub"] = subject },
            SigningCredentials = new SigningCredentials(signing, SecurityAlgorithms.EcdsaSha256),
        });
    }

    /// <summary>Stops listening: the port then refuses connections, as a dead node's does.</summary>
    public Task StopAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return _app.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
    }

    internal sealed record SeenRequest(string Method, string PathAndQuery, string Body, IReadOnlyDictionary<string, string> Headers);

    internal sealed record BackendName(string Value);

    /// <summary>Tells a client which backend holds its connection.</summary>
    internal sealed class EchoHub(BackendName name) : Hub
    {
        public string WhoAmI() => name.Value + "/" + Context.ConnectionId;
    }
}
