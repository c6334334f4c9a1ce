using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.Platform;

/// <summary>
/// Walks every operation the OpenAPI document describes and sends it malformed input: garbage path
/// parameters, broken and wrongly-typed JSON bodies, the wrong content type, bad query values — as an admin
/// and anonymously. Whatever the operation, the answer must never be a 5xx.
/// </summary>
public sealed class MalformedInputWalkTests
{
    private static readonly string[] PathValues = ["x", "00000000-0000-0000-0000-000000000000", "-1", "..%2F..%2Fetc", "%00", new string('a', 600), "$sys.x"];

    private static readonly (string Body, string ContentType)[] BadBodies =
    [
        ("{", "application/json"),
        ("[]", "application/json"),
        ("null", "application/json"),
        ("\"text\"", "application/json"),
        ("{\"a\":", "application/json"),
        ("{}", "application/json"),
        ("not json at all", "text/plain"),
        ("\u0000\u0001\u0002", "application/octet-stream"),
    ];

    [Fact]
    public async Task No_operation_in_the_OpenAPI_document_answers_malformed_input_with_a_5xx()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Http:RateLimits:Enabled"] = "false" });
        var token = await server.LoginAsync();
        using var admin = server.CreateClient(token);
        using var anonymous = server.CreateClient();
        using var document = JsonDocument.Parse(await admin.GetStringAsync("openapi/v1.json"));

        var failures = new List<string>();
        var operations = 0;
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var method = operation.Name.ToUpperInvariant();
                if (method is "PARAMETERS" or "SUMMARY" or "DESCRIPTION")
                {
                    continue;
                }
                operations++;
                foreach (var request in Requests(method, path.Name, operation.Value, document.RootElement))
                {
                    foreach (var client in new[] { admin, anonymous })
                    {
                        using var message = request();
                        using var response = await client.SendAsync(message);
                        if ((int)response.StatusCode >= 500)
                        {
                            var body = await response.Content.ReadAsStringAsync();
                            failures.Add($"{method} {message.RequestUri} ({(client == admin ? "admin" : "anonymous")}) → {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}");
                        }
                    }
                }
            }
        }

        Assert.True(operations > 10, $"The OpenAPI document lists only {operations} operations.");
        Assert.True(failures.Count == 0, $"{failures.Count} malformed requests got a 5xx:\n{string.Join('\n', failures.Take(40))}");
    }

    private static IEnumerable<Func<HttpRequestMessage>> Requests(string method, string template, JsonElement operation, JsonElement root)
    {
        var queryNames = new List<string>();
        if (operation.TryGetProperty("parameters", out var parameters))
        {
            foreach (var parameter in parameters.EnumerateArray())
            {
                if (parameter.GetProperty("in").GetString() == "query")
                {
                    queryNames.Add(parameter.GetProperty("name").GetString()!);
                }
            }
        }
        var hasBody = operation.TryGetProperty("requestBody", out var requestBody);
        foreach (var value in PathValues)
        {
            var path = Fill(template, value);
            var query = queryNames.Count == 0 ? "" : "?" + string.Join('&', queryNames.Select(n => $"{n}={Uri.EscapeDataString(value)}"));
            yield return () => new HttpRequestMessage(new HttpMethod(method), path + query);
            foreach (var (body, contentType) in BadBodies)
            {
                yield return () => WithBody(method, path, body, contentType);
            }
            if (hasBody)
            {
                yield return () => WithBody(method, path, WrongTypes(requestBody, root), "application/json");
            }
        }
    }

    private static string Fill(string template, string value)
    {
        var builder = new StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0)
            {
                builder.Append(template, i, template.Length - i);
                break;
            }
            builder.Append(template, i, open - i);
            var close = template.IndexOf('}', open);
            builder.Append(value);
            i = close + 1;
        }
        return builder.ToString().TrimStart('/');
    }

    private static HttpRequestMessage WithBody(string method, string path, string body, string contentType)
    {
        var message = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return message;
    }

    /// <summary>A JSON object whose every declared property has a value of the wrong type.</summary>
    private static string WrongTypes(JsonElement requestBody, JsonElement root)
    {
        var names = new HashSet<string>();
        void Collect(JsonElement element, int depth)
        {
            if (depth > 6)
            {
                return;
            }
            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name == "$ref" && property.Value.GetString() is { } reference && reference.StartsWith("#/components/schemas/", StringComparison.Ordinal)
                        && root.TryGetProperty("components", out var components) && components.TryGetProperty("schemas", out var schemas)
                        && schemas.TryGetProperty(reference["#/components/schemas/".Length..], out var target))
                    {
                        Collect(target, depth + 1);
                    }
                    if (property.Name == "properties" && property.Value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var name in property.Value.EnumerateObject())
                        {
                            names.Add(name.Name);
                        }
                    }
                    Collect(property.Value, depth + 1);
                }
            }
        }
        Collect(requestBody, 0);
        // Common field names too, in case a schema is described loosely.
        foreach (var common in new[] { "name", "username", "password", "body", "messages", "leases", "max", "scopes", "role", "refreshToken" })
        {
            names.Add(common);
        }
        var values = new object[] { 12345, true, new[] { 1, 2 }, new { nested = new { deeper = 1 } }, -1, 1e308, "x" };
        var result = new Dictionary<string, object>();
        var i = 0;
        foreach (var name in names)
        {
            result[name] = values[i++ % values.Length];
        }
        return JsonSerializer.Serialize(result);
    }
}
