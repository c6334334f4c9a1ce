using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Switchboard.Hosting;

namespace Switchboard.Files;

public static class FilesRegistration
{
    /// <summary>Uploads and downloads: the service, the content on disk, the catalogue chat reads, and expiry. Each engine registers its <see cref="IFileStore"/>.</summary>
    public static IServiceCollection AddFiles(this IServiceCollection services)
    {
        if (services.AlreadyAdded<FileService>())
        {
            return services;
        }
        services.AddOptions<FilesOptions>().BindConfiguration(FilesOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FilesOptions>, FilesOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IFileContentStore, LocalFileContentStore>();
        services.TryAddSingleton<FileService>();
        services.TryAddSingleton<IFileCatalog, FileCatalog>();
        services.AddHostedService<FilesMaintenance>();
        return services;
    }
}
