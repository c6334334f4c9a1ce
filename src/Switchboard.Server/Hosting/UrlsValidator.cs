using System.Globalization;
using Microsoft.Extensions.Options;

namespace Switchboard.Server.Hosting;

/// <summary>
/// Checks <c>Urls</c> before Kestrel sees it, so a typo is reported with its key instead of as a bind
/// failure deep in the server's start-up.
/// </summary>
internal sealed class UrlsValidator : IValidateOptions<HostingOptions>
{
    public const string Key = "Urls";

    public ValidateOptionsResult Validate(string? name, HostingOptions options)
    {
        var urls = options.UrlList;
        if (urls.Count == 0)
        {
            return ValidateOptionsResult.Fail($"{Key}: must name at least one URL, e.g. '{HostingRegistration.DefaultUrl}'.");
        }
        var errors = urls.Select(Check).OfType<string>().ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>The problem with one entry, or null when Kestrel can bind it.</summary>
    internal static string? Check(string url)
    {
        var notUrl = $"{Key}: '{url}' is not an absolute http:// or https:// URL.";
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            return notUrl;
        }
        var scheme = url[..schemeEnd];
        if (!scheme.Equals("http", StringComparison.OrdinalIgnoreCase) && !scheme.Equals("https", StringComparison.OrdinalIgnoreCase))
        {
            return notUrl;
        }
        var rest = url[(schemeEnd + 3)..];
        var pathStart = rest.IndexOf('/');
        var authority = pathStart < 0 ? rest : rest[..pathStart];
        if (!TrySplitAuthority(authority, out var host, out var port))
        {
            return notUrl;
        }
        if (port is not null)
        {
            if (port.Length == 0 || !port.All(char.IsAsciiDigit))
            {
                return notUrl;
            }
            // Port 0 is allowed: Kestrel then picks a free port (used by tests and embedding).
            if (!long.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > 65535)
            {
                return $"{Key}: '{url}' has port {port}, outside 1–65535.";
            }
        }
        // Kestrel's wildcards bind every interface; Uri does not accept them as hosts.
        var probeHost = host is "*" or "+" ? "localhost" : host;
        if (!Uri.TryCreate($"{scheme}://{probeHost}/", UriKind.Absolute, out var parsed) || string.IsNullOrEmpty(parsed.Host))
        {
            return notUrl;
        }
        return null;
    }

    private static bool TrySplitAuthority(string authority, out string host, out string? port)
    {
        host = authority;
        port = null;
        if (authority.Length == 0 || authority.Contains('@'))
        {
            return false;
        }
        if (authority.StartsWith('['))
        {
            // IPv6 literal: [::1]:8080
            var close = authority.IndexOf(']');
            if (close < 0)
            {
                return false;
            }
            host = authority[..(close + 1)];
            var after = authority[(close + 1)..];
            if (after.Length > 0)
            {
                if (after[0] != ':')
                {
                    return false;
                }
                port = after[1..];
            }
            return true;
        }
        var colon = authority.IndexOf(':');
        if (colon >= 0)
        {
            host = authority[..colon];
            port = authority[(colon + 1)..];
        }
        return host.Length > 0;
    }
}
