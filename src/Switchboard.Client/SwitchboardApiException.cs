using System.Net.Http.Headers;
using System.Text.Json;

namespace Switchboard.Client;

/// <summary>
/// A request the server refused or failed, carrying the RFC 9457 problem document it returned. Match on
/// <see cref="Code"/> (stable, e.g. <c>invalid_credentials</c>), never on the message.
/// </summary>
public sealed class SwitchboardApiException : Exception
{
    /// <summary>Creates an exception from the members of a problem document.</summary>
    /// <param name="status">The HTTP status code.</param>
    /// <param name="code">The machine-readable error code.</param>
    /// <param name="title">The short, general description of the error.</param>
    /// <param name="detail">What was wrong with this request, and what to do.</param>
    /// <param name="traceId">The id that finds this request in the server's logs.</param>
    /// <param name="errors">Field-level problems keyed by the field's JSON path.</param>
    public SwitchboardApiException(int status, string code, string title, string? detail = null, string? traceId = null,
        IReadOnlyDictionary<string, string[]>? errors = null)
        : base(detail is null ? $"{code}: {title} (HTTP {status})" : $"{code}: {detail} (HTTP {status})")
    {
        Status = status;
        Code = code;
        Title = title;
        Detail = detail;
        TraceId = traceId;
        Errors = errors ?? new Dictionary<string, string[]>();
    }

    /// <summary>The HTTP status code, e.g. 404.</summary>
    public int Status { get; }

    /// <summary>The stable machine-readable code, e.g. <c>not_found</c>; <c>http_{status}</c> when the response had none.</summary>
    public string Code { get; }

    /// <summary>The short, general description of the error.</summary>
    public string Title { get; }

    /// <summary>What was wrong with this request and what to do, when the server said.</summary>
    public string? Detail { get; }

    /// <summary>The id that finds this request in the server's logs.</summary>
    public string? TraceId { get; }

    /// <summary>Field-level problems keyed by the field's JSON path (camelCase); empty when there are none.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; }

    /// <summary>Reads the problem document of a failed response; a body that is not one still yields a useful exception.</summary>
    internal static async Task<SwitchboardApiException> FromResponseAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var fallbackTitle = response.ReasonPhrase is { Length: > 0 } reason ? reason : "The request failed.";
        string text;
        try
        {
            text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            text = "";
        }
        if (!IsJson(response.Content.Headers.ContentType) || text.Length == 0)
        {
            return new SwitchboardApiException(status, "http_" + status, fallbackTitle, text.Length == 0 ? null : Truncate(text));
        }
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new SwitchboardApiException(status, "http_" + status, fallbackTitle, Truncate(text));
            }
            return new SwitchboardApiException(
                root.TryGetProperty("status", out var s) && s.TryGetInt32(out var parsed) ? parsed : status,
                String(root, "code") ?? "http_" + status,
                String(root, "title") ?? fallbackTitle,
                String(root, "detail"),
                String(root, "traceId"),
                ReadErrors(root));
        }
        catch (JsonException)
        {
            return new SwitchboardApiException(status, "http_" + status, fallbackTitle, Truncate(text));
        }
    }

    private static bool IsJson(MediaTypeHeaderValue? contentType) =>
        contentType?.MediaType is { } media && (media.EndsWith("/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Dictionary<string, string[]>? ReadErrors(JsonElement root)
    {
        if (!root.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var result = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var field in errors.EnumerateObject())
        {
            result[field.Name] = field.Value.ValueKind switch
            {
                JsonValueKind.Array => field.Value.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.String ? m.GetString()! : m.ToString()).ToArray(),
                JsonValueKind.String => [field.Value.GetString()!],
                _ => [field.Value.ToString()],
            };
        }
        return result;
    }

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500] + "…";
}
