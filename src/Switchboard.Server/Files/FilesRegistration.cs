using Microsoft.Extensions.Options;
using Switchboard.Files;

namespace Switchboard.Server.Files;

internal static class FilesRegistration
{
    /// <summary>Resumable uploads: options, the service, the local-disk content store and the expiry sweep. Each engine registers its <see cref="IFileStore"/>.</summary>
    public static WebApplicationBuilder AddFiles(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<FilesOptions>().BindConfiguration(FilesOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FilesOptions>, FilesOptionsValidator>();
        services.AddSingleton<IFileContentStore, LocalFileContentStore>();
        services.AddSingleton<FileService>();
        services.AddSingleton<IFileCatalog, FileCatalog>();
        services.AddHostedService<FilesMaintenance>();
        services.AddSingleton<IStartupFilter, TusResumableHeader>();
        return builder;
    }
}
