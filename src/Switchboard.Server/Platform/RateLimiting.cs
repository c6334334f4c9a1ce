using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Switchboard.Errors;
using Switchboard.Server.Identity;

namespace Switchboard.Server.Platform;

/// <summary>
/// One global limiter so no feature has to attach a policy: sign-in endpoints are limited per client IP,
/// everything else per principal (per API key for keys) or per IP when anonymous. Endpoints opt out with
/// <c>.DisableRateLimiting()</c> (health and metrics do).
/// </summary>
internal static class RateLimiting
{
    public const string AuthPath = "/v1/auth";

    /// <summary>The claim naming the API key on a principal authenticated by one; without it the key's subject is used.</summary>
    public const string ApiKeyIdClaim = "sb_key_id";

    public static void Configure(RateLimiterOptions options, HttpRateLimitOptions limits)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.OnRejected = OnRejectedAsync;
        if (limits.Enabled)
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, limits));
        }
    }

    internal static RateLimitPartition<string> Partition(HttpContext context, HttpRateLimitOptions limits)
    {
        if (context.Request.Path.StartsWithSegments(AuthPath))
        {
            return RateLimitPartition.GetFixedWindowLimiter("auth:" + ClientIp(context), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = limits.AuthPerIpPerMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        }
        return RateLimitPartition.GetTokenBucketLimiter(PrincipalKey(context.User) ?? "ip:" + ClientIp(context), _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.PerPrincipalBurst,
            TokensPerPeriod = limits.PerPrincipalPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>Who is spending the budget: the API key itself for keys, otherwise the subject.</summary>
    internal static string? PrincipalKey(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return null;
        }
        var subject = user.FindFirstValue(SwitchboardClaims.Subject) ?? user.FindFirstValue(ClaimTypes.NameIdentifier);
        var kind = user.FindFirstValue(SwitchboardClaims.Kind) ?? SwitchboardClaims.KindUser;
        if (kind == SwitchboardClaims.KindApiKey)
        {
            var keyId = user.FindFirstValue(ApiKeyIdClaim);
            return keyId is not null ? "key:" + keyId : subject is not null ? "key:" + subject : null;
        }
        return subject is null ? null : kind + ":" + subject;
    }

    private static string ClientIp(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var problem = Problems.Create(context, ErrorCodes.RateLimited, $"Too many requests from this client; retry after {seconds} s.");
        problem.Extensions["retryAfterSeconds"] = seconds;
        var writer = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await writer.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).ConfigureAwait(false);
    }
}
