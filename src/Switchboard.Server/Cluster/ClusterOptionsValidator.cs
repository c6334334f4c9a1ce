using Microsoft.Extensions.Options;

namespace Switchboard.Server.Cluster;

internal sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        var errors = new List<string>();
        if (options.AdvertiseUrl is { Length: > 0 } url
            && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.PathAndQuery != "/"))
        {
            errors.Add($"Cluster:AdvertiseUrl: '{url}' is not a base URL; write scheme, host and port without a path, e.g. http://10.0.0.5:8080.");
        }
        if (options.NodeId is { } id && (id.Length is 0 or > 100 || id.Any(char.IsWhiteSpace)))
        {
            errors.Add($"Cluster:NodeId: '{id}' must be 1 to 100 characters without spaces, or unset for a new id each start.");
        }
        if (options.HeartbeatInterval < TimeSpan.FromMilliseconds(100) || options.HeartbeatInterval > TimeSpan.FromMinutes(1))
        {
            errors.Add($"Cluster:HeartbeatInterval: must be between 00:00:00.1 and 00:01:00 (default 00:00:02), got {options.HeartbeatInterval}.");
        }
        if (options.DrainDelay < TimeSpan.Zero || options.DrainDelay > TimeSpan.FromMinutes(5))
        {
            errors.Add($"Cluster:DrainDelay: must be between 00:00:00 and 00:05:00 (default 00:00:03), got {options.DrainDelay}.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
