using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Errors;
using Switchboard.Notifications;
using Switchboard.Server.Identity;
using static Switchboard.Server.Notifications.NotificationContracts;

using Switchboard.Server.Platform;

namespace Switchboard.Server.Notifications;

/// <summary>The production notifier over HTTP; callers need <c>notifications:send</c> (admins have it).</summary>
internal static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotificationsApi(this IEndpointRouteBuilder routes)
    {
        var notifications = routes.MapGroup("/v1/notifications").WithTags("Notifications")
            .RequireScope(NotificationService.Area, NotificationService.Send)
            .ProducesErrors(ErrorCodes.NotificationNotFound, ErrorCodes.ChannelNotFound, ErrorCodes.ChannelUnavailable, ErrorCodes.InvalidChannel);
        notifications.MapPost("", SendAsync).WithName("SendNotification")
            .WithSummary("Send to channels or a route; a repeat of dedupKey within the cooldown is suppressed (200, suppressed: true).");
        notifications.MapPost("/batch", SendBatchAsync).WithName("SendNotifications").WithSummary("Send up to 1000 notifications in one request.");
        notifications.MapGet("/{id:guid}", GetAsync).WithName("GetNotification").WithSummary("Every delivery and attempt, and why nothing was sent if so.");
        return routes;
    }

    private static async Task<Results<Accepted<NotificationAcceptedResponse>, Ok<NotificationAcceptedResponse>>> SendAsync(NotificationRequestBody body,
        HttpContext context, NotificationService notifications, CancellationToken ct)
    {
        var accepted = await notifications.SendAsync(context.GetCaller(), body.ToRequest(""), ct);
        var response = NotificationAcceptedResponse.From(accepted);
        return accepted.Suppressed ? TypedResults.Ok(response) : TypedResults.Accepted($"/v1/notifications/{accepted.Id}", response);
    }

    private static async Task<Ok<NotificationBatchResponse>> SendBatchAsync(NotificationBatchBody body, HttpContext context,
        NotificationService notifications, CancellationToken ct)
    {
        if (body.Notifications is not { Count: > 0 } list)
        {
            throw SwitchboardException.Validation("notifications", $"Send 1–{NotificationService.MaxBatch} notifications.");
        }
        var results = await notifications.SendManyAsync(context.GetCaller(), list.Select((n, i) => n.ToRequest($"notifications[{i}].")).ToArray(), ct);
        return TypedResults.Ok(new NotificationBatchResponse(results.Select(NotificationAcceptedResponse.From).ToArray()));
    }

    private static async Task<Ok<NotificationResponse>> GetAsync(Guid id, HttpContext context, NotificationService notifications, CancellationToken ct) =>
        TypedResults.Ok(NotificationResponse.From(await notifications.GetAsync(context.GetCaller(), id, ct)));
}
