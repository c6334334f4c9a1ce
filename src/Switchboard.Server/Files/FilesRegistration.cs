using Switchboard.Files;

namespace Switchboard.Server.Files;

internal static class FilesRegistration
{
    /// <summary>Resumable uploads: options, the service, the local-disk content store and the expiry sweep. Each engine registers its <see cref="IFileStore"/>.</summary>
    public static WebApplicationBuilder AddFiles(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddFiles();
        services.AddSingleton<IStartupFilter, TusResumableHeader>();
        return builder;
    }
}
