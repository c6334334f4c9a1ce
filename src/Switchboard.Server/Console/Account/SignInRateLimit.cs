using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Switchboard.Server.Platform;

namespace Switchboard.Server.WebConsole.Account;

/// <summary>
/// Password attempts through the console's form are limited per client IP exactly as <c>/v1/auth</c> is
/// (<c>Http:RateLimits:AuthPerIpPerMinute</c>); showing the form is not an attempt.
/// </summary>
internal sealed class SignInRateLimit(IOptionsMonitor<HttpOptions> http) : IRateLimiterPolicy<string>
{
    public const string Name = "console-signin";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => null;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var limits = http.CurrentValue.RateLimits;
        if (!limits.Enabled || !HttpMethods.IsPost(httpContext.Request.Method))
        {
            return RateLimitPartition.GetNoLimiter("console-signin:form");
        }
        return RateLimitPartition.GetFixedWindowLimiter("console-signin:" + (httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = limits.AuthPerIpPerMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
    }
}
