using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Errors;
using Switchboard.Kv;
using Switchboard.Server.Identity;

using Switchboard.Server.Platform;

namespace Switchboard.Server.Kv;

/// <summary>
/// <c>/v1/kv</c>: buckets and their keys. Values travel as raw bytes in both directions with the content type
/// they were written with; revisions travel as ETags. Scopes: <c>kv:read|write|manage:{bucket}</c>.
/// </summary>
internal static class KvApi
{
    public const string RevisionHeader = "X-Kv-Revision";
    public const string ExpiresHeader = "X-Kv-Expires-At";

    public static IEndpointRouteBuilder MapKvApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/kv").WithTags("KV").RequireAuthorization()
            .ProducesErrors(ErrorCodes.BucketNotFound, ErrorCodes.InvalidName, ErrorCodes.InvalidKey);

        group.MapGet("", ListBucketsAsync).RequireScope("kv", "read")
            .WithName("ListKvBuckets").WithSummary("The buckets the caller may read, with their stats.");
        group.MapPut("{bucket}", PutBucketAsync).ProducesErrors(ErrorCodes.MalformedJson, ErrorCodes.ValidationFailed, ErrorCodes.PayloadTooLarge, ErrorCodes.UnsupportedMediaType).RequireScope("kv", "manage", "bucket")
            .WithName("PutKvBucket").WithSummary("Creates a bucket (201) or replaces its settings (200).");
        group.MapGet("{bucket}", GetBucketAsync).RequireScope("kv", "read", "bucket")
            .WithName("GetKvBucket").WithSummary("A bucket's settings and stats; with prefix, limit or cursor, a page of its keys.");
        group.MapDelete("{bucket}", DeleteBucketAsync).RequireScope("kv", "manage", "bucket")
            .WithName("DeleteKvBucket").WithSummary("Deletes a bucket and every key in it.");

        // The catch-all also matches an empty key; a higher order leaves /v1/kv/{bucket} to the bucket routes.
        group.MapPut("{bucket}/{*key}", PutKeyAsync)
            .ProducesErrors(ErrorCodes.RevisionMismatch, ErrorCodes.KeyExists, ErrorCodes.PayloadTooLarge, ErrorCodes.UnsupportedMediaType).RequireScope("kv", "write", "bucket").WithOrder(1)
            .WithName("PutKvKey").WithSummary("Writes the body as the key's value; If-Match for compare-and-set, If-None-Match: * to create only.");
        group.MapGet("{bucket}/{*key}", GetKeyAsync).ProducesRawBody(ranges: false).ProducesErrors(ErrorCodes.KeyNotFound).RequireScope("kv", "read", "bucket").WithOrder(1)
            .WithName("GetKvKey").WithSummary("The key's value as raw bytes with its content type and ETag.");
        group.MapDelete("{bucket}/{*key}", DeleteKeyAsync).ProducesErrors(ErrorCodes.KeyNotFound, ErrorCodes.RevisionMismatch).RequireScope("kv", "write", "bucket").WithOrder(1)
            .WithName("DeleteKvKey").WithSummary("Deletes the key; If-Match deletes only at that revision.");
        return routes;
    }

    private static async Task<Ok<KvBucketList>> ListBucketsAsync(HttpContext context, KvService kv, CancellationToken cancellationToken)
    {
        var caller = context.GetCaller();
        var buckets = await kv.ListBucketsAsync(cancellationToken);
        return TypedResults.Ok(new KvBucketList(buckets.Where(b => caller.Can("kv", "read", b.Name)).Select(KvBucketResponse.From).ToArray()));
    }

    private static async Task<Results<Created<KvBucketResponse>, Ok<KvBucketResponse>>> PutBucketAsync(
        string bucket, HttpRequest request, KvService kv, CancellationToken cancellationToken)
    {
        RejectEmptyKey(request);
        var body = await ReadSettingsAsync(request, cancellationToken);
        var result = await kv.PutBucketAsync(bucket, body?.DefaultTtlSeconds, body?.MaxValueBytes, cancellationToken);
        var response = KvBucketResponse.From(result.Bucket);
        return result.Created ? TypedResults.Created($"/v1/kv/{bucket}", response) : TypedResults.Ok(response);
    }

    private static async Task<Results<Ok<KvBucketResponse>, Ok<KvKeyPage>>> GetBucketAsync(
        string bucket, string? prefix, int? limit, string? cursor, HttpRequest request, KvService kv, CancellationToken cancellationToken)
    {
        RejectEmptyKey(request);
        var query = request.Query;
        if (query.ContainsKey("prefix") || query.ContainsKey("limit") || query.ContainsKey("cursor"))
        {
            return TypedResults.Ok(await kv.ListKeysAsync(bucket, prefix, limit, cursor, cancellationToken));
        }
        return TypedResults.Ok(KvBucketResponse.From(await kv.GetBucketAsync(bucket, cancellationToken)));
    }

    private static async Task<NoContent> DeleteBucketAsync(string bucket, HttpRequest request, KvService kv, CancellationToken cancellationToken)
    {
        RejectEmptyKey(request);
        await kv.DeleteBucketAsync(bucket, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Created<KvPutResponse>, Ok<KvPutResponse>>> PutKeyAsync(
        string bucket, string key, int? ttlSeconds, HttpRequest request, HttpResponse response, KvService kv, CancellationToken cancellationToken)
    {
        var expected = KvPreconditions.ForWrite(request, allowCreateOnly: true);
        var value = await KvValueReader.ReadAsync(request, kv.MaxValueBytes, cancellationToken);
        var result = await kv.PutAsync(bucket, key, value, request.ContentType, ttlSeconds, expected, cancellationToken);
        response.Headers.ETag = KvPreconditions.ETag(result.Revision);
        var body = new KvPutResponse(bucket, key, result.Revision, result.ExpiresAt, result.Created);
        return result.Created ? TypedResults.Created(Location(bucket, key), body) : TypedResults.Ok(body);
    }

    private static async Task<Results<FileContentHttpResult, StatusCodeHttpResult>> GetKeyAsync(
        string bucket, string key, HttpRequest request, HttpResponse response, KvService kv, CancellationToken cancellationToken)
    {
        var entry = await kv.GetAsync(bucket, key, cancellationToken);
        response.Headers.ETag = KvPreconditions.ETag(entry.Revision);
        response.Headers[RevisionHeader] = entry.Revision.ToString(CultureInfo.InvariantCulture);
        if (entry.ExpiresAt is { } expiresAt)
        {
            response.Headers[ExpiresHeader] = expiresAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        }
        if (KvPreconditions.NotModified(request, entry.Revision))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Bytes(entry.Value, entry.ContentType);
    }

    private static async Task<NoContent> DeleteKeyAsync(string bucket, string key, HttpRequest request, KvService kv, CancellationToken cancellationToken)
    {
        var expected = KvPreconditions.ForWrite(request, allowCreateOnly: false);
        await kv.DeleteAsync(bucket, key, expected, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// <c>/v1/kv/{bucket}/</c> reaches the bucket routes (routing ignores a trailing slash), but the caller meant
    /// a key and left it empty: say so rather than act on the bucket.
    /// </summary>
    private static void RejectEmptyKey(HttpRequest request)
    {
        if (request.Path.Value?.EndsWith('/') == true)
        {
            throw new SwitchboardException(ErrorCodes.InvalidKey, "The key is empty; put it after the bucket name: /v1/kv/{bucket}/{key}.");
        }
    }

    /// <summary>
    /// The optional JSON body of a bucket write. Read here rather than bound as a parameter: a bound body would make
    /// routing send a bodiless PUT (no Content-Type) to the key route, whose catch-all also matches an empty key.
    /// </summary>
    private static async Task<KvBucketRequest?> ReadSettingsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is null or 0 && !request.Headers.TransferEncoding.Any(v => v?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true))
        {
            return null;
        }
        if (!request.HasJsonContentType())
        {
            throw new SwitchboardException(ErrorCodes.UnsupportedMediaType, "Send the bucket settings as application/json, or no body for the defaults.");
        }
        try
        {
            return await request.ReadFromJsonAsync<KvBucketRequest>(cancellationToken);
        }
        catch (JsonException ex)
        {
            var where = ex.Path is { Length: > 0 } path ? $" at {path}" : "";
            throw new SwitchboardException(ErrorCodes.MalformedJson, $"The body is not valid JSON for the bucket settings{where}.");
        }
    }

    /// <summary>The key's URL, each path segment escaped so any key makes a valid header.</summary>
    private static string Location(string bucket, string key) =>
        $"/v1/kv/{bucket}/" + string.Join('/', key.Split('/').Select(Uri.EscapeDataString));
}
