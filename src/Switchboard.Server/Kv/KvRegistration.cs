using Switchboard.Kv;

namespace Switchboard.Server.Kv;

internal static class KvRegistration
{
    /// <summary>KV buckets: options, the service, and the timer that sweeps expired keys. Each engine registers its <see cref="IKvStore"/>.</summary>
    public static WebApplicationBuilder AddKv(this WebApplicationBuilder builder)
    {
        builder.Services.AddKv();
        return builder;
    }
}
