using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Switchboard.Errors;
using Switchboard.Files;
using Switchboard.Server.Identity;
using Switchboard.Server.Platform;

namespace Switchboard.Server.Files;

/// <summary>
/// <c>/v1/files</c>: tus 1.0 resumable uploads (core, creation, creation-with-upload, termination, expiration,
/// checksum) and downloads. <c>GET /v1/files/{id}</c> downloads (Range, ETag, attachment disposition);
/// <c>GET /v1/files/{id}/info</c> is the JSON metadata. Scope <c>files:use</c>; a file someone may not see is a 404.
/// </summary>
internal static class FilesApi
{
    public const string Path = "/v1/files";

    public static string LocationOf(Guid id) => $"{Path}/{id}";

    public static IEndpointRouteBuilder MapFilesApi(this IEndpointRouteBuilder routes)
    {
        // tus discovery is anonymous, so a client can learn the server's limits before it has credentials.
        var discovery = routes.MapGroup(Path).WithTags("Files").AllowAnonymous();
        discovery.MapMethods("", ["OPTIONS"], Options)
            .WithName("TusOptions").WithSummary("The tus versions, extensions, maximum size and checksum algorithms this server supports.");

        var group = routes.MapGroup(Path).WithTags("Files").RequireAuthorization()
            .ProducesErrors(ErrorCodes.FileNotFound, ErrorCodes.TusVersionUnsupported);
        group.AddEndpointFilter(RequireTusVersion);
        group.MapPost("", CreateAsync).RequireScope("files", "use").WithMaxRequestBodySize(null)
            .ProducesErrors(ErrorCodes.UploadTooLarge, ErrorCodes.QuotaExceeded, ErrorCodes.BadRequest, ErrorCodes.ValidationFailed,
                ErrorCodes.UnsupportedMediaType, ErrorCodes.ChecksumAlgorithmUnsupported, ErrorCodes.ChunkChecksumMismatch, ErrorCodes.ChecksumMismatch)
            .DeclaresTus(body: true, TusOpenApi.Resumable,
                (TusHeaders.UploadLength, true, "The upload's total length in bytes."),
                (TusHeaders.UploadMetadata, false, "tus metadata: filename, filetype and sha256, each base64."),
                (TusHeaders.UploadChecksum, false, "The checksum of the first bytes sent with the request: '<sha1|sha256> <base64>'."))
            .WithName("CreateUpload").WithSummary("tus creation: Upload-Length and Upload-Metadata (filename, filetype, sha256); with an application/offset+octet-stream body, also the first bytes.");
        group.MapMethods("{id}", ["HEAD"], HeadAsync).RequireScope("files", "use").ProducesErrors(ErrorCodes.UploadFailed).DeclaresTus(body: false, TusOpenApi.Resumable)
            .WithName("GetUploadOffset").WithSummary("tus HEAD: the upload's Upload-Offset and Upload-Length, to resume from.");
        group.MapPatch("{id}", PatchAsync).RequireScope("files", "use").WithMaxRequestBodySize(null)
            .ProducesErrors(ErrorCodes.OffsetMismatch, ErrorCodes.UploadLocked, ErrorCodes.UploadFailed, ErrorCodes.UploadTooLarge, ErrorCodes.QuotaExceeded,
                ErrorCodes.BadRequest, ErrorCodes.UnsupportedMediaType, ErrorCodes.ChecksumAlgorithmUnsupported, ErrorCodes.ChunkChecksumMismatch,
                ErrorCodes.ChecksumMismatch)
            .DeclaresTus(body: true, TusOpenApi.Resumable,
                (TusHeaders.UploadOffset, true, "The offset this chunk starts at; ask HEAD for it."),
                (TusHeaders.UploadChecksum, false, "The chunk's checksum: '<sha1|sha256> <base64>'."))
            .WithName("AppendUpload").WithSummary("tus PATCH: appends the application/offset+octet-stream body at Upload-Offset; Upload-Checksum is verified when sent.");
        group.MapDelete("{id}", DeleteAsync).RequireScope("files", "use")
            .WithName("DeleteFile").WithSummary("tus termination: deletes the upload or file and its bytes (uploader or admin).");
        group.MapGet("{id}", DownloadAsync).RequireScope("files", "use").ProducesRawBody(ranges: true)
            .ProducesErrors(ErrorCodes.UploadIncomplete, ErrorCodes.UploadFailed, ErrorCodes.PreconditionFailed, ErrorCodes.RangeNotSatisfiable)
            .WithName("DownloadFile").WithSummary("Downloads a complete file; Range gives 206, If-None-Match with its ETag (the SHA-256) gives 304.");
        group.MapGet("{id}/info", InfoAsync).RequireScope("files", "use")
            .WithName("GetFileInfo").WithSummary("The file's name, content type, length, offset, SHA-256 and status.");
        return routes;
    }

    /// <summary>tus requests carrying another protocol version get 412 with the versions this server speaks.</summary>
    private static async ValueTask<object?> RequireTusVersion(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var version = context.Request.Headers[TusHeaders.Resumable];
        if (!HttpMethods.IsOptions(context.Request.Method) && version.Count > 0 && version.ToString() != TusHeaders.Version)
        {
            context.Response.Headers[TusHeaders.VersionHeader] = TusHeaders.Version;
            return Problems.Result(context, ErrorCodes.TusVersionUnsupported, $"Tus-Resumable '{version}' is not supported; send '{TusHeaders.Version}'.");
        }
        return await next(invocation);
    }

    private static NoContent Options(HttpResponse response, FileService files)
    {
        var headers = response.Headers;
        headers[TusHeaders.VersionHeader] = TusHeaders.Version;
        headers[TusHeaders.Extension] = TusHeaders.Extensions;
        headers[TusHeaders.MaxSize] = files.Options.MaxUploadBytes.ToString(CultureInfo.InvariantCulture);
        headers[TusHeaders.ChecksumAlgorithm] = string.Join(',', FileChecksums.ChunkAlgorithms);
        return TypedResults.NoContent();
    }

    private static async Task<Created<FileInfoResponse>> CreateAsync(HttpContext context, FileService files, CancellationToken cancellationToken)
    {
        var caller = context.GetCaller();
        var request = context.Request;
        var upload = TusHeaders.ParseCreation(request);
        var withData = TusHeaders.IsOffsetStream(request.ContentType);
        var checksum = withData ? ChunkChecksumOf(request) : null;
        var file = await files.CreateAsync(caller, upload, cancellationToken);
        if (withData && file.Status == FileStatus.Uploading)
        {
            var body = LimitBody(context, file);
            file = await files.AppendAsync(caller, file.Id, 0, body, request.ContentLength, checksum, cancellationToken);
        }
        WriteUploadHeaders(context.Response, file);
        return TypedResults.Created(LocationOf(file.Id), FileInfoResponse.From(file));
    }

    private static async Task<Ok> HeadAsync(string id, HttpContext context, FileService files, CancellationToken cancellationToken)
    {
        var file = await files.GetUploadAsync(context.GetCaller(), ParseId(id), cancellationToken);
        var headers = context.Response.Headers;
        WriteUploadHeaders(context.Response, file);
        headers[TusHeaders.UploadLength] = file.Length.ToString(CultureInfo.InvariantCulture);
        headers[TusHeaders.UploadMetadata] = TusHeaders.FormatMetadata(file);
        headers.CacheControl = "no-store";
        return TypedResults.Ok();
    }

    private static async Task<NoContent> PatchAsync(string id, HttpContext context, FileService files, CancellationToken cancellationToken)
    {
        var caller = context.GetCaller();
        var request = context.Request;
        var fileId = ParseId(id);
        if (!TusHeaders.IsOffsetStream(request.ContentType))
        {
            throw new SwitchboardException(ErrorCodes.UnsupportedMediaType, $"A PATCH body must be sent as Content-Type: {TusHeaders.OffsetContentType}.");
        }
        if (!request.Headers.TryGetValue(TusHeaders.UploadOffset, out var offsetHeader))
        {
            throw new SwitchboardException(ErrorCodes.BadRequest, $"{TusHeaders.UploadOffset} is required: the offset this chunk starts at (ask HEAD).");
        }
        var offset = TusHeaders.ParseLength(offsetHeader, TusHeaders.UploadOffset);
        var checksum = ChunkChecksumOf(request);
        var body = LimitBody(context, await files.GetUploadAsync(caller, fileId, cancellationToken));
        StoredFile file;
        try
        {
            file = await files.AppendAsync(caller, fileId, offset, body, request.ContentLength, checksum, cancellationToken);
        }
        catch (Exception ex) when (ex is not SwitchboardException && context.RequestAborted.IsCancellationRequested)
        {
            // The client went away mid-body (a reset surfaces as an IOException): what arrived is kept and HEAD
            // reports it. Not a server fault, so not logged as one.
            throw new OperationCanceledException("The client closed the request during the upload.", ex, context.RequestAborted);
        }
        WriteUploadHeaders(context.Response, file);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> DeleteAsync(string id, HttpContext context, FileService files, CancellationToken cancellationToken)
    {
        await files.DeleteAsync(context.GetCaller(), ParseId(id), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<FileStreamHttpResult> DownloadAsync(string id, HttpContext context, FileService files, CancellationToken cancellationToken)
    {
        var download = await files.OpenDownloadAsync(context.GetCaller(), ParseId(id), cancellationToken);
        var file = download.File;
        // Built by the framework from a name already stripped of paths and control characters: filename is an
        // ASCII fallback, filename* the UTF-8 original (RFC 6266).
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(file.Name);
        var headers = context.Response.Headers;
        headers.ContentDisposition = disposition.ToString();
        headers.CacheControl = "private, no-cache";
        return TypedResults.Stream(download.Content, file.ContentType, fileDownloadName: null, lastModified: file.CompletedAt,
            entityTag: new EntityTagHeaderValue($"\"{file.Sha256}\""), enableRangeProcessing: true);
    }

    private static async Task<Ok<FileInfoResponse>> InfoAsync(string id, HttpContext context, FileService files, CancellationToken cancellationToken)
    {
        var file = await files.GetInfoAsync(context.GetCaller(), ParseId(id), cancellationToken);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(FileInfoResponse.From(file));
    }

    private static Guid ParseId(string id) =>
        Guid.TryParse(id, out var fileId) ? fileId : throw new SwitchboardException(ErrorCodes.FileNotFound, $"File '{id}' was not found.");

    private static ChunkChecksum? ChunkChecksumOf(HttpRequest request) =>
        request.Headers.TryGetValue(TusHeaders.UploadChecksum, out var header) ? FileChecksums.ParseChunkChecksum(header.ToString()) : null;

    /// <summary>
    /// The server-wide body limit (<c>Http:MaxRequestBodyBytes</c>) is lifted on this route; instead the body may
    /// hold what remains of the upload, plus the one byte that tells the service the body runs past it.
    /// </summary>
    private static Stream LimitBody(HttpContext context, StoredFile file)
    {
        var remaining = Math.Max(0, file.Length - file.Offset);
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = remaining + 1;
        }
        return new UploadBodyStream(context.Request.Body, remaining);
    }

    private static void WriteUploadHeaders(HttpResponse response, StoredFile file)
    {
        response.Headers[TusHeaders.UploadOffset] = file.Offset.ToString(CultureInfo.InvariantCulture);
        if (file.Status != FileStatus.Complete && file.ExpiresAt is { } expires)
        {
            response.Headers[TusHeaders.UploadExpires] = TusHeaders.HttpDate(expires);
        }
    }
}
