using Switchboard.Errors;

namespace Switchboard.Server.Platform;

/// <summary>
/// Endpoint metadata naming the catalogue codes an operation (or every operation of a group) can answer with,
/// besides the ones every operation of its kind can (see <see cref="OpenApiDocumentation"/>). The OpenAPI
/// document turns them into responses: one per status, naming its codes.
/// </summary>
internal sealed record ErrorResponses(IReadOnlyList<ErrorCode> Codes);

internal static class ErrorResponsesExtensions
{
    /// <summary>Declares the codes this endpoint or group can answer with: <c>.ProducesErrors(ErrorCodes.QueueNotFound)</c>.</summary>
    public static TBuilder ProducesErrors<TBuilder>(this TBuilder builder, params ErrorCode[] codes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ErrorResponses(codes));
}
