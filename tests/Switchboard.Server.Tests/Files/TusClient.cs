using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Switchboard.Server.Tests.Files;

/// <summary>A minimal tus 1.0 client over <see cref="HttpClient"/>, so each test reads as the protocol flow it checks.</summary>
internal sealed class TusClient(HttpClient http)
{
    public const string OffsetContentType = "application/offset+octet-stream";

    public HttpClient Http => http;

    public static string Metadata(params (string Key, string Value)[] pairs) =>
        string.Join(',', pairs.Select(p => p.Key + " " + Convert.ToBase64String(Encoding.UTF8.GetBytes(p.Value))));

    public async Task<HttpResponseMessage> CreateRawAsync(long length, string? metadata, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/files") { Content = content };
        request.Headers.Add("Tus-Resumable", "1.0.0");
        request.Headers.Add("Upload-Length", length.ToString(CultureInfo.InvariantCulture));
        if (metadata is not null)
        {
            request.Headers.Add("Upload-Metadata", metadata);
        }
        return await http.SendAsync(request);
    }

    /// <summary>Creates an upload and returns its path (relative to the server), failing the test unless 201.</summary>
    public async Task<string> CreateAsync(long length, string name = "data.bin", string type = "application/octet-stream", string? sha256 = null)
    {
        var pairs = new List<(string, string)> { ("filename", name), ("filetype", type) };
        if (sha256 is not null)
        {
            pairs.Add(("sha256", sha256));
        }
        using var response = await CreateRawAsync(length, Metadata([.. pairs]));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Expected 201, got {(int)response.StatusCode}: {text}");
        return response.Headers.Location!.OriginalString.TrimStart('/');
    }

    public async Task<HttpResponseMessage> PatchAsync(string location, long offset, HttpContent content, string? checksum = null,
        CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, location) { Content = content };
        request.Headers.Add("Tus-Resumable", "1.0.0");
        request.Headers.Add("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
        if (checksum is not null)
        {
            request.Headers.Add("Upload-Checksum", checksum);
        }
        content.Headers.ContentType ??= new MediaTypeHeaderValue(OffsetContentType);
        return await http.SendAsync(request, cancellationToken);
    }

    public Task<HttpResponseMessage> PatchAsync(string location, long offset, byte[] bytes, string? checksum = null) =>
        PatchAsync(location, offset, new ByteArrayContent(bytes), checksum);

    /// <summary>PATCHes and expects 204 with the new offset, returning it.</summary>
    public async Task<long> AppendAsync(string location, long offset, HttpContent content)
    {
        using var response = await PatchAsync(location, offset, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"Expected 204, got {(int)response.StatusCode}: {text}");
        return long.Parse(response.Headers.GetValues("Upload-Offset").Single(), CultureInfo.InvariantCulture);
    }

    public async Task<HttpResponseMessage> HeadAsync(string location)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, location);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        return await http.SendAsync(request);
    }

    /// <summary>The offset HEAD reports, failing the test unless 200.</summary>
    public async Task<long> OffsetAsync(string location)
    {
        using var response = await HeadAsync(location);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return long.Parse(response.Headers.GetValues("Upload-Offset").Single(), CultureInfo.InvariantCulture);
    }

    public async Task<HttpResponseMessage> DeleteAsync(string location)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, location);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        return await http.SendAsync(request);
    }
}
