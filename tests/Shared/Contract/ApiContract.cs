using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Switchboard.Tests.Contract;

/// <summary>
/// The server's own OpenAPI document as a contract that a response either keeps or breaks: the status must be
/// declared for the operation, the content type declared for that status, and a JSON body must validate against
/// the declared schema (JsonSchema.Net, JSON Schema 2020-12, which OpenAPI 3.1 schemas are). Paths and methods the
/// document does not describe (hubs, GraphQL, metrics, the document itself) are not checked.
/// </summary>
public sealed class ApiContract
{
    private static readonly ConcurrentDictionary<string, ApiContract> Loaded = new(StringComparer.Ordinal);

    private readonly List<PathTemplate> _paths;
    private readonly JsonObject _schemas;
    private readonly ConcurrentDictionary<string, JsonSchema> _compiled = new(StringComparer.Ordinal);

    private ApiContract(JsonObject document)
    {
        _schemas = document["components"]?["schemas"]?.DeepClone().AsObject() ?? [];
        _paths = (document["paths"]?.AsObject() ?? [])
            .Select(p => new PathTemplate(p.Key, p.Value!.AsObject()))
            // The most literal template wins: /v1/channels/stats before /v1/channels/{name}.
            .OrderByDescending(p => p.LiteralSegments)
            .ToList();
    }

    public static ApiContract Parse(string json) =>
        new(JsonNode.Parse(json)?.AsObject() ?? throw new ArgumentException("The OpenAPI document is not a JSON object.", nameof(json)));

    /// <summary>Fetches <c>/openapi/v1.json</c> from a running server.</summary>
    public static async Task<ApiContract> LoadAsync(Uri baseAddress, HttpMessageHandler? handler = null)
    {
        using var client = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        client.Timeout = TimeSpan.FromSeconds(30);
        var json = await FetchAsync(client, new Uri(baseAddress, "/openapi/v1.json"));
        // Servers of one build serve the same document: its compiled schemas are shared, not rebuilt per server.
        return Loaded.GetOrAdd(json, Parse);
    }

    /// <summary>
    /// The document, waiting out a 429: a test that exhausts its IP's rate limit on purpose may be the first to need
    /// the document, and the limiter refills within its Retry-After.
    /// </summary>
    private static async Task<string> FetchAsync(HttpClient client, Uri address)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var response = await client.GetAsync(address);
            if (response.StatusCode != System.Net.HttpStatusCode.TooManyRequests || attempt == 10)
            {
                response.EnsureSuccessStatusCode();
                return await response.Content.ReadAsStringAsync();
            }
            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Every way the response breaks the document; empty when it keeps it or is not described.</summary>
    public IReadOnlyList<string> Check(string method, string path, int status, string? contentType, ReadOnlySpan<byte> body)
    {
        var template = _paths.FirstOrDefault(p => p.Matches(path) && p.Operation(method) is not null);
        if (template?.Operation(method) is not { } operation)
        {
            return [];
        }
        var name = $"{method.ToUpperInvariant()} {template.Template} ({operation["operationId"]?.GetValue<string>() ?? "no operationId"})";
        var responses = operation["responses"]?.AsObject();
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var declared = responses?[key] ?? responses?[$"{key[0]}XX"] ?? responses?["default"];
        if (declared is null)
        {
            return [$"{name} answered {status}, which the operation does not declare (declared: {string.Join(", ", responses?.Select(r => r.Key) ?? [])})."];
        }
        var content = declared["content"]?.AsObject();
        var isHead = string.Equals(method, "HEAD", StringComparison.OrdinalIgnoreCase);
        if (body.Length == 0 || isHead)
        {
            return [];
        }
        var mediaType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType).MediaType;
        if (content is null || content.Count == 0)
        {
            return [$"{name} answered {status} with a {mediaType ?? "typeless"} body, but the response declares no content."];
        }
        var media = mediaType is null ? null : Find(content, mediaType);
        if (media is null)
        {
            return [$"{name} answered {status} with content type {mediaType ?? "(none)"}, which is not declared (declared: {string.Join(", ", content.Select(c => c.Key))})."];
        }
        if (!IsJson(mediaType!) || media["schema"] is not { } schemaNode)
        {
            return [];
        }
        JsonDocument instance;
        try
        {
            instance = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException e)
        {
            return [$"{name} answered {status} with {mediaType} that is not JSON: {e.Message}"];
        }
        using (instance)
        {
            var schema = Compile($"{template.Template}|{method}|{key}|{mediaType}", schemaNode);
            var result = schema.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (result.IsValid)
            {
                return [];
            }
            return [$"{name} answered {status} {mediaType} that breaks its schema: {Describe(result)}"];
        }
    }

    private static string Describe(EvaluationResults result)
    {
        var errors = new StringBuilder();
        foreach (var detail in (result.Details ?? []).Prepend(result))
        {
            foreach (var (keyword, message) in detail.Errors ?? new Dictionary<string, string>())
            {
                // Failures of one branch of anyOf/oneOf repeat below it; the leaves name the real problem.
                errors.Append(errors.Length == 0 ? "" : "; ")
                    .Append("at ").Append(Path(detail.InstanceLocation.ToString())).Append(' ')
                    .Append(keyword).Append(": ").Append(message);
            }
        }
        return errors.Length == 0 ? "invalid" : errors.ToString();
    }

    /// <summary>A JSON pointer as the JSON path users read in problem documents: <c>$.messages[0].id</c>.</summary>
    private static string Path(string pointer)
    {
        var path = new StringBuilder("$");
        foreach (var segment in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var unescaped = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            path.Append(unescaped.All(char.IsAsciiDigit) ? $"[{unescaped}]" : $".{unescaped}");
        }
        return path.ToString();
    }

    private JsonSchema Compile(string cacheKey, JsonNode schemaNode) => _compiled.GetOrAdd(cacheKey, _ =>
    {
        // One self-contained schema: the components become $defs, so every $ref resolves inside it.
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = _schemas.DeepClone(),
            ["allOf"] = new JsonArray(schemaNode.DeepClone()),
        };
        var text = root.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        return JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri($"https://contract.invalid/{Guid.NewGuid():n}"));
    });

    private static JsonNode? Find(JsonObject content, string mediaType)
    {
        if (content[mediaType] is { } exact)
        {
            return exact;
        }
        var type = mediaType.Split('/')[0];
        return content[$"{type}/*"] ?? content["*/*"];
    }

    public static bool IsJson(string mediaType) =>
        mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);

    private sealed class PathTemplate
    {
        private readonly Regex _pattern;
        private readonly JsonObject _operations;

        public PathTemplate(string template, JsonObject operations)
        {
            Template = template;
            _operations = operations;
            var segments = template.Split('/', StringSplitOptions.RemoveEmptyEntries);
            LiteralSegments = segments.Count(s => !s.StartsWith('{'));
            var pattern = string.Concat(segments.Select(s => "/" + (s.StartsWith('{') ? "[^/]+" : Regex.Escape(s))));
            _pattern = new Regex($"^{(pattern.Length == 0 ? "/" : pattern)}/?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
        }

        public string Template { get; }

        public int LiteralSegments { get; }

        public bool Matches(string path) => _pattern.IsMatch(path);

        public JsonObject? Operation(string method) => _operations[method.ToLowerInvariant()]?.AsObject();
    }
}
