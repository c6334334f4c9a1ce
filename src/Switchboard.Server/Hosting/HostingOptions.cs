namespace Switchboard.Server.Hosting;

/// <summary>Top-level hosting keys: where the server listens.</summary>
public sealed class HostingOptions
{
    /// <summary>
    /// <c>;</c>-separated absolute <c>http://</c> or <c>https://</c> URLs. Default <c>http://127.0.0.1:8080</c>,
    /// or <c>https://127.0.0.1:8443</c> with <c>Tls:Enabled</c>. Port 0 picks a free port.
    /// </summary>
    public string Urls { get; set; } = HostingRegistration.DefaultUrl;

    /// <summary>The entries of <see cref="Urls"/>, trimmed, without empty ones.</summary>
    public IReadOnlyList<string> UrlList =>
        Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
