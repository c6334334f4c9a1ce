using Microsoft.Extensions.DependencyInjection;

namespace Switchboard.Hosting;

internal static class FeatureRegistration
{
    /// <summary>
    /// True when a feature's <c>AddXxx()</c> already ran, told by its primary service. Each must run once: a feature
    /// that depends on another may call its <c>AddXxx()</c> too, and binding options twice appends to their lists
    /// (a route <c>[a, b]</c> would become <c>[a, b, a, b]</c>).
    /// </summary>
    public static bool AlreadyAdded<TPrimary>(this IServiceCollection services) =>
        services.Any(d => d.ServiceType == typeof(TPrimary));
}
