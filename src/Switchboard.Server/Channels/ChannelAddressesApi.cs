using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Errors;
using Switchboard.Channels;
using Switchboard.Server.Identity;

using Switchboard.Server.Platform;

namespace Switchboard.Server.Channels;

/// <summary>
/// A user's addresses outside chat (<c>/v1/users/{id}/channel-addresses</c>, <c>me</c> for one's own): a chat message
/// sent with <c>channels</c> reaches each other member at their address for that channel.
/// </summary>
internal static class ChannelAddressesApi
{
    public static IEndpointRouteBuilder MapChannelAddresses(this IEndpointRouteBuilder routes)
    {
        var addresses = routes.MapGroup("/v1/users/{id}/channel-addresses").WithTags("Channels").RequireAuthorization()
            .ProducesErrors(ErrorCodes.UserNotFound, ErrorCodes.InvalidChannel, ErrorCodes.ChannelNotFound);
        addresses.MapGet("", ListAsync).WithName("ListChannelAddresses").WithSummary("The user's address per channel instance or type.");
        addresses.MapPut("/{channel}", SetAsync).WithName("SetChannelAddress")
            .WithSummary("Set the user's address for a channel instance name or a channel type (whatsapp, telegram, email, …).");
        addresses.MapDelete("/{channel}", DeleteAsync).WithName("DeleteChannelAddress");
        return routes;
    }

    internal sealed record ChannelAddressRequest(string? Address);

    internal sealed record ChannelAddressesResponse(string UserId, IReadOnlyDictionary<string, string> Addresses);

    private static async Task<Ok<ChannelAddressesResponse>> ListAsync(string id, HttpContext context, ChannelAddressService addresses, CancellationToken ct)
    {
        var caller = context.GetCaller();
        var userId = UserId(id, caller.Id);
        return TypedResults.Ok(new ChannelAddressesResponse(userId, await addresses.ListAsync(caller, userId, ct)));
    }

    private static async Task<Ok<ChannelAddressesResponse>> SetAsync(string id, string channel, ChannelAddressRequest request, HttpContext context,
        ChannelAddressService addresses, CancellationToken ct)
    {
        var caller = context.GetCaller();
        var userId = UserId(id, caller.Id);
        await addresses.SetAsync(caller, userId, channel, request.Address, ct);
        return TypedResults.Ok(new ChannelAddressesResponse(userId, await addresses.ListAsync(caller, userId, ct)));
    }

    private static async Task<NoContent> DeleteAsync(string id, string channel, HttpContext context, ChannelAddressService addresses, CancellationToken ct)
    {
        var caller = context.GetCaller();
        await addresses.DeleteAsync(caller, UserId(id, caller.Id), channel, ct);
        return TypedResults.NoContent();
    }

    private static string UserId(string id, string callerId) => string.Equals(id, "me", StringComparison.OrdinalIgnoreCase) ? callerId : id;
}
