using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Switchboard.Server.Platform;

/// <summary>
/// Behind the gateway the client's address, scheme and host arrive in <c>X-Forwarded-*</c>. They are believed only
/// from the proxies in <c>Http:TrustedProxies</c>; otherwise any client could claim any address and dodge per-IP limits.
/// </summary>
internal static class TrustedForwardedHeaders
{
    public static WebApplication UseTrustedForwardedHeaders(this WebApplication app)
    {
        var proxies = app.Services.GetRequiredService<IOptions<HttpOptions>>().Value.TrustedProxies;
        if (proxies.Count == 0)
        {
            return app;
        }
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost,
            ForwardLimit = 1,
        };
        options.KnownIPNetworks.Clear();
        options.KnownProxies.Clear();
        foreach (var proxy in proxies)
        {
            if (IPAddress.TryParse(proxy, out var address))
            {
                options.KnownProxies.Add(address);
            }
            else
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy));
            }
        }
        app.UseForwardedHeaders(options);
        return app;
    }
}
