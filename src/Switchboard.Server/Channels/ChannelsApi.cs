using Microsoft.AspNetCore.Http.HttpResults;
using Switchboard.Channels;
using Switchboard.Errors;
using Switchboard.Server.Identity;
using static Switchboard.Server.Channels.ChannelContracts;

using Switchboard.Server.Platform;

namespace Switchboard.Server.Channels;

/// <summary>Channel instances, their stats, test sends, deliveries and the delivery dead-letter queue; <c>channels:manage</c> (admins).</summary>
internal static class ChannelsApi
{
    public const string Area = "channels";
    public const string Manage = "manage";

    public static IEndpointRouteBuilder MapChannelsApi(this IEndpointRouteBuilder routes)
    {
        var channels = routes.MapGroup("/v1/channels").WithTags("Channels").RequireScope(Area, Manage)
            .ProducesErrors(ErrorCodes.ChannelNotFound, ErrorCodes.ChannelUnavailable);
        channels.MapGet("", ListAsync).WithName("ListChannels").WithSummary("Configured channel instances (credentials masked) and routes.");
        channels.MapGet("/stats", StatsAsync).WithName("ChannelStats").WithSummary("Sent, failed, success rate and p50/p95 latency per instance.");
        channels.MapGet("/{name}", Get).WithName("GetChannel");
        channels.MapPatch("/{name}", Patch).WithName("UpdateChannel").WithSummary("Enable or disable an instance (until the next restart).");
        channels.MapPost("/{name}/test", TestAsync).WithName("TestChannel").WithSummary("Send a test message through the instance now and report the outcome.");

        var deliveries = routes.MapGroup("/v1/deliveries").WithTags("Channels").RequireScope(Area, Manage).ProducesErrors(ErrorCodes.DeliveryNotFound);
        deliveries.MapGet("/dlq", DeadLettersAsync).WithName("ListDeliveryDeadLetters");
        deliveries.MapPost("/dlq/replay", ReplayAsync).WithName("ReplayDeliveryDeadLetters").WithSummary("Send dead-lettered deliveries through their route again.");
        deliveries.MapGet("/{id:guid}", GetDeliveryAsync).WithName("GetDelivery").WithSummary("A delivery with every attempt.");

        routes.MapChannelWebhooks();
        routes.MapChannelAddresses();
        return routes;
    }

    private static Ok<ChannelListResponse> ListAsync(ChannelRegistry registry, ChannelResilience resilience) =>
        TypedResults.Ok(new ChannelListResponse(
            registry.Names.Select(n => ChannelResponse.From(n, registry.Get(n), registry, resilience)).ToArray(),
            registry.Options.Routes));

    private static async Task<Ok<ChannelStatsResponse>> StatsAsync(ChannelStatsQuery stats, CancellationToken ct) =>
        TypedResults.Ok(new ChannelStatsResponse(await stats.GetAsync(ct)));

    private static Ok<ChannelResponse> Get(string name, ChannelRegistry registry, ChannelResilience resilience) =>
        TypedResults.Ok(ChannelResponse.From(name, registry.Get(name), registry, resilience));

    private static Ok<ChannelResponse> Patch(string name, ChannelPatchRequest request, ChannelRegistry registry, ChannelResilience resilience)
    {
        if (request.Enabled is { } enabled)
        {
            registry.SetEnabled(name, enabled);
        }
        return TypedResults.Ok(ChannelResponse.From(name, registry.Get(name), registry, resilience));
    }

    private static async Task<Ok<ChannelTestResponse>> TestAsync(string name, ChannelTestRequest? request, ChannelRegistry registry,
        DeliveryProcessor processor, CancellationToken ct)
    {
        registry.Get(name);
        new Validation()
            .Require(request?.Text is null || request.Text.Length is >= 1 and <= 4096, "text", "text must be 1–4096 characters.")
            .Require(request?.Recipient is null || request.Recipient.Length is >= 1 and <= 320, "recipient", "recipient must be 1–320 characters.")
            .ThrowIfInvalid();
        var message = new ChannelMessage(Guid.CreateVersion7(), null, name, request?.Recipient, "Switchboard test",
            request?.Text ?? $"Test message from Switchboard through '{name}'.", "info");
        var (providerId, attempts) = await processor.SendDirectAsync(name, message, ct);
        var ok = attempts.Count > 0 && attempts[^1].Succeeded;
        var last = attempts.LastOrDefault(a => !a.Succeeded);
        return TypedResults.Ok(new ChannelTestResponse(name, ok, providerId, ok ? null : last?.ErrorCode, ok ? null : last?.ErrorMessage,
            attempts.Select(AttemptResponse.From).ToArray()));
    }

    private static async Task<Ok<DeliveryResponse>> GetDeliveryAsync(Guid id, IDeliveryStore store, CancellationToken ct)
    {
        var delivery = await store.GetDeliveryAsync(id, ct) ?? throw new SwitchboardException(ErrorCodes.DeliveryNotFound, $"No delivery {id} exists.");
        return TypedResults.Ok(DeliveryResponse.From(delivery, await store.ListAttemptsAsync([id], ct)));
    }

    private static async Task<Ok<DeadLetterListResponse>> DeadLettersAsync(int? limit, DeliveryDeadLetters deadLetters, CancellationToken ct)
    {
        new Validation().Require(limit is null or >= 1 and <= 1000, "limit", "limit must be 1–1000.").ThrowIfInvalid();
        var list = await deadLetters.ListAsync(limit ?? 100, ct);
        return TypedResults.Ok(new DeadLetterListResponse(list.Select(DeadLetterResponse.From).ToArray()));
    }

    private static async Task<Ok<ReplayResponse>> ReplayAsync(ReplayRequest? request, DeliveryDeadLetters deadLetters, CancellationToken ct)
    {
        new Validation().Require(request?.Ids is null || request.Ids.Count <= 1000, "ids", "Replay at most 1000 ids at once; omit ids to replay all.")
            .ThrowIfInvalid();
        return TypedResults.Ok(new ReplayResponse(await deadLetters.ReplayAsync(request?.Ids, ct)));
    }
}
