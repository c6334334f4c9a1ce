using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Chat;
using Switchboard.Errors;
using Switchboard.Presence;
using Switchboard.Server.Identity;
using Switchboard.Server.Platform;

namespace Switchboard.Server.Presence;

/// <summary>REST for presence; it changes live through the chat hub (<c>SetPresence</c>, the <c>Presence</c> event).</summary>
internal static class PresenceApi
{
    public static IEndpointRouteBuilder MapPresenceApi(this IEndpointRouteBuilder routes)
    {
        var presence = routes.MapGroup("/v1/users/{id}/presence").WithTags("Chat").RequireAuthorization().ProducesErrors(ErrorCodes.UserNotFound);
        presence.MapGet("", PresenceAsync).WithName("GetPresence")
            .WithSummary("online, away or offline across every node and device, and when the user was last seen.");
        return routes;
    }

    private static async Task<Ok<PresenceView>> PresenceAsync(string id, HttpContext context, PresenceTracker presence, CancellationToken ct)
    {
        context.GetCaller().Demand(ChatService.Area, ChatService.Use);
        if (id.Length is 0 or > 200)
        {
            throw new SwitchboardException(ErrorCodes.UserNotFound, "The user id is empty or too long.");
        }
        return TypedResults.Ok(PresenceView.From(await presence.GetAsync(id, ct)));
    }
}
