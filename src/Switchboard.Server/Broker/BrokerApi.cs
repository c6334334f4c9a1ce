using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Switchboard.Broker;
using Switchboard.Errors;
using Switchboard.Server.Identity;
using Switchboard.Server.Platform;
using static Switchboard.Server.Broker.BrokerContracts;

namespace Switchboard.Server.Broker;

/// <summary>
/// REST for queues and topics. Handlers only translate JSON to and from <see cref="BrokerService"/>, which checks
/// the caller's scopes (<c>broker:publish|consume|manage:&lt;name&gt;</c>) and every limit.
/// </summary>
internal static class BrokerApi
{
    public static IEndpointRouteBuilder MapBrokerApi(this IEndpointRouteBuilder routes)
    {
        var queues = routes.MapGroup("/v1/queues").WithTags("Queues").RequireAuthorization()
            .ProducesErrors(ErrorCodes.QueueNotFound, ErrorCodes.InvalidName, ErrorCodes.Forbidden);
        queues.MapPost("", CreateQueueAsync).ProducesErrors(ErrorCodes.QueueExists).WithName("CreateQueue").WithSummary("Create a queue (and its dead-letter queue).");
        queues.MapGet("", ListQueuesAsync).WithName("ListQueues").WithSummary("Queues the caller may use, with their stats.");
        queues.MapGet("/{name}", GetQueueAsync).WithName("GetQueue");
        queues.MapPatch("/{name}", UpdateQueueAsync).WithName("UpdateQueue").WithSummary("Change settings; omitted fields keep their value.");
        queues.MapDelete("/{name}", DeleteQueueAsync).ProducesErrors(ErrorCodes.QueueNotEmpty).WithName("DeleteQueue").WithSummary("Delete a queue; a non-empty one only with ?force=true.");
        queues.MapPost("/{name}/purge", PurgeAsync).WithName("PurgeQueue");
        queues.MapGet("/{name}/stats", QueueStatsAsync).WithName("QueueStats");
        queues.MapPost("/{name}/messages", PublishAsync)
            .ProducesErrors(ErrorCodes.MessageTooLarge, ErrorCodes.BatchTooLarge, ErrorCodes.QueueFull, ErrorCodes.InvalidBodyEncoding).WithName("Publish").WithSummary("Publish one message or a batch in 'messages'.");
        queues.MapGet("/{name}/messages", PeekAsync).WithName("Peek").WithSummary("Look at messages without leasing them (?peek=true&limit=).");
        queues.MapDelete("/{name}/messages/{id}", DeleteMessageAsync).ProducesErrors(ErrorCodes.MessageNotFound).WithName("DeleteMessage");
        queues.MapPost("/{name}/receive", ReceiveAsync).WithName("Receive").WithSummary("Lease up to 'max' messages, long-polling up to 'waitSeconds'.");
        queues.MapPost("/{name}/ack", AckAsync).ProducesErrors(ErrorCodes.InvalidLease, ErrorCodes.LeaseExpired).WithName("Ack");
        queues.MapPost("/{name}/nack", NackAsync).ProducesErrors(ErrorCodes.InvalidLease, ErrorCodes.LeaseExpired).WithName("Nack");
        queues.MapPost("/{name}/extend", ExtendAsync).ProducesErrors(ErrorCodes.InvalidLease, ErrorCodes.LeaseExpired).WithName("Extend");
        queues.MapPost("/{name}/redrive", RedriveAsync).WithName("Redrive").WithSummary("Move dead letters back to their source queue or to 'target'.");

        var topics = routes.MapGroup("/v1/topics").WithTags("Topics").RequireAuthorization()
            .ProducesErrors(ErrorCodes.TopicNotFound, ErrorCodes.InvalidName, ErrorCodes.Forbidden);
        topics.MapPost("", CreateTopicAsync).ProducesErrors(ErrorCodes.TopicExists).WithName("CreateTopic");
        topics.MapGet("", ListTopicsAsync).WithName("ListTopics");
        topics.MapDelete("/{name}", DeleteTopicAsync).WithName("DeleteTopic");
        topics.MapPost("/{name}/subscriptions", SubscribeAsync).ProducesErrors(ErrorCodes.QueueNotFound).WithName("Subscribe");
        topics.MapGet("/{name}/subscriptions", ListSubscriptionsAsync).WithName("ListSubscriptions");
        topics.MapDelete("/{name}/subscriptions/{id}", DeleteSubscriptionAsync).ProducesErrors(ErrorCodes.SubscriptionNotFound).WithName("DeleteSubscription");
        topics.MapPost("/{name}/messages", PublishToTopicAsync)
            .ProducesErrors(ErrorCodes.MessageTooLarge, ErrorCodes.BatchTooLarge, ErrorCodes.QueueFull, ErrorCodes.InvalidBodyEncoding).WithName("PublishToTopic").WithSummary("Fan a message out to every matching subscription, in one commit.");

        var stats = routes.MapGroup("/v1/stats").WithTags("Queues").RequireAuthorization();
        stats.MapGet("", ServerStatsAsync).WithName("BrokerStats");
        routes.MapBrokerHub();
        return routes;
    }

    private static async Task<Created<QueueResponse>> CreateQueueAsync(QueueRequest request, HttpContext context, BrokerService broker, CancellationToken ct)
    {
        var queue = await broker.CreateQueueAsync(context.GetCaller(), request.Name, request.ToInput(), ct);
        return TypedResults.Created($"/v1/queues/{queue.Name}", QueueResponse.From(queue));
    }

    private static async Task<Ok<QueueListResponse>> ListQueuesAsync(HttpContext context, BrokerService broker, BrokerActivity activity, CancellationToken ct)
    {
        var queues = await broker.ListQueuesAsync(context.GetCaller(), ct);
        return TypedResults.Ok(new QueueListResponse(queues.Select(q => QueueResponse.From(q.Queue, q.Stats, activity)).ToArray()));
    }

    private static async Task<Ok<QueueResponse>> GetQueueAsync(string name, HttpContext context, BrokerService broker, BrokerActivity activity, CancellationToken ct)
    {
        var caller = context.GetCaller();
        var queue = await broker.GetQueueAsync(caller, name, ct);
        return TypedResults.Ok(QueueResponse.From(queue, await broker.GetStatsAsync(caller, name, ct), activity));
    }

    private static async Task<Ok<QueueResponse>> UpdateQueueAsync(string name, QueueRequest request, HttpContext context, BrokerService broker, CancellationToken ct)
    {
        if (request.Name is not null && request.Name != name)
        {
            throw SwitchboardException.Validation("name", "A queue cannot be renamed; leave 'name' out or repeat the current name.");
        }
        return TypedResults.Ok(QueueResponse.From(await broker.UpdateQueueAsync(context.GetCaller(), name, request.ToInput(), ct)));
    }

    private static async Task<NoContent> DeleteQueueAsync(string name, bool? force, HttpContext context, BrokerService broker, CancellationToken ct)
    {
        await broker.DeleteQueueAsync(context.GetCaller(), name, force ?? false, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<PurgeResponse>> PurgeAsync(string name, HttpContext context, BrokerService broker, CancellationToken ct) =>
        TypedResults.Ok(new PurgeResponse(await broker.PurgeAsync(context.GetCaller(), name, ct)));

    private static async Task<Ok<StatsResponse>> QueueStatsAsync(string name, HttpContext context, BrokerService broker, BrokerActivity activity, CancellationToken ct) =>
        TypedResults.Ok(StatsResponse.From(await broker.GetStatsAsync(context.GetCaller(), name, ct), activity));

    private static async Task<Ok<ServerStatsResponse>> ServerStatsAsync(HttpContext context, BrokerService broker, BrokerActivity activity, CancellationToken ct)
    {
        var stats = (await broker.ListQueuesAsync(context.GetCaller(), ct)).Select(q => q.Stats).ToArray();
        return TypedResults.Ok(new ServerStatsResponse(
            Math.Round(activity.Uptime.TotalSeconds, 1), stats.Length, stats.Sum(s => s.Depth), stats.Sum(s => s.Ready), stats.Sum(s => s.InFlight),
            stats.Sum(s => s.Delayed), activity.Totals(), activity.Rates(), activity.Process,
            stats.Select(s => StatsResponse.From(s, activity)).ToArray()));
    }

    private static async Task<Results<Ok<PublishedResponse>, Ok<PublishedBatchResponse>>> PublishAsync(
        string name, PublishRequest request, HttpContext context, BrokerService broker, CancellationToken ct)
    {
        var caller = context.GetCaller();
        var results = await broker.PublishAsync(caller, name, request.ToMessages(), ct);
        if (!request.IsBatch)
        {
            return TypedResults.Ok(new PublishedResponse(results[0].Id, results[0].Duplicate));
        }
        return TypedResults.Ok(new PublishedBatchResponse(results.Select(r => new PublishedResponse(r.Id, r.Duplicate)).ToArray()));
    }

    private static async Task<Ok<MessageListResponse>> PeekAsync(string name, bool? peek, int? limit, HttpContext context, BrokerService broker, CancellationToken ct)
    {
        if (peek == false)
        {
            throw SwitchboardException.Validation("peek", $"Messages are only listed by peeking; to lease them use POST /v1/queues/{name}/receive.");
        }
        var messages = await broker.PeekAsync(context.GetCaller(), name, limit, ct);
        return TypedResults.Ok(new MessageListResponse(messages.Select(m => MessageResponse.From(m, peek: true)).ToArray()));
    }

    private static async Task<NoContent> DeleteMessageAsync(string name, string id, HttpContext context, BrokerService broker, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var messageId))
        {
            throw new SwitchboardException(ErrorCodes.MessageNotFound, $"'{id}' is not a message id.");
        }
        await broker.DeleteMessageAsync(context.GetCaller(), name, messageId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<MessageListResponse>> ReceiveAsync(
        string name, [FromBody] ReceiveRequest? request, HttpContext context, BrokerService broker, IHostApplicationLifetime lifetime, CancellationToken ct)
    {
        // A long poll ends empty when the server stops, so shutdown does not wait out every receiver's wait.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, lifetime.ApplicationStopping);
        try
        {
            var messages = await broker.ReceiveAsync(context.GetCaller(), name, request?.Max, request?.WaitSeconds, request?.LeaseSeconds, linked.Token);
            return TypedResults.Ok(new MessageListResponse(messages.Select(m => MessageResponse.From(m, peek: false)).ToArray()));
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return TypedResults.Ok(new MessageListResponse([]));
        }
    }

    private static async Task<Results<Ok<SettleResponse>, ProblemHttpResult>> AckAsync(string name, SettleRequest request, HttpContext context, BrokerService broker, CancellationToken ct)
    {
        var caller = context.GetCaller();
        var results = await broker.AckAsync(caller, name, LeaseToken.ParseAll(request.Leases), ct);
        return Answer(context, results);
    }

    private static async Task<Results<Ok<SettleResponse>, ProblemHttpResult>> NackAsync(string name, SettleRequest request, HttpContext context, BrokerService broker, CancellationToken ct)
    {
        var caller = context.GetCaller();
        var results = await broker.NackAsync(caller, name, LeaseToken.ParseAll(request.Leases), request.DelaySeconds, request.Reason, request.DeadLetter ?? false, ct);
        return Answer(context, results);
    }

    private static async Task<Results<Ok<SettleResponse>, ProblemHttpResult>> ExtendAsync(string name, SettleRequest request, HttpContext context, BrokerService broker, CancellationToken ct)
    {
        var caller = context.GetCaller();
        var results = await broker.ExtendAsync(caller, name, LeaseToken.ParseAll(request.Leases), request.LeaseSeconds, ct);
        return Answer(context, results);
    }

    private static async Task<Ok<RedriveResponse>> RedriveAsync(string name, [FromBody] RedriveRequest? request, HttpContext context, BrokerService broker, CancellationToken ct) =>
        TypedResults.Ok(new RedriveResponse(await broker.RedriveAsync(context.GetCaller(), name, request?.Ids, request?.Target, request?.RatePerSecond, ct)));

    private static async Task<Created<TopicInfo>> CreateTopicAsync(TopicRequest request, HttpContext context, BrokerService broker, CancellationToken ct)
    {
        var topic = await broker.CreateTopicAsync(context.GetCaller(), request.Name, ct);
        return TypedResults.Created($"/v1/topics/{topic.Name}", topic);
    }

    private static async Task<Ok<TopicListResponse>> ListTopicsAsync(HttpContext context, BrokerService broker, CancellationToken ct) =>
        TypedResults.Ok(new TopicListResponse(await broker.ListTopicsAsync(context.GetCaller(), ct)));

    private static async Task<NoContent> DeleteTopicAsync(string name, HttpContext context, BrokerService broker, CancellationToken ct)
    {
        await broker.DeleteTopicAsync(context.GetCaller(), name, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Created<Subscription>> SubscribeAsync(string name, SubscriptionRequest request, HttpContext context, BrokerService broker, CancellationToken ct)
    {
        var subscription = await broker.SubscribeAsync(context.GetCaller(), name, request.Queue, request.Pattern, request.Headers, ct);
        return TypedResults.Created($"/v1/topics/{name}/subscriptions/{subscription.Id}", subscription);
    }

    private static async Task<Ok<SubscriptionListResponse>> ListSubscriptionsAsync(string name, HttpContext context, BrokerService broker, CancellationToken ct) =>
        TypedResults.Ok(new SubscriptionListResponse(await broker.ListSubscriptionsAsync(context.GetCaller(), name, ct)));

    private static async Task<NoContent> DeleteSubscriptionAsync(string name, string id, HttpContext context, BrokerService broker, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var subscriptionId))
        {
            throw new SwitchboardException(ErrorCodes.SubscriptionNotFound, $"'{id}' is not a subscription id.");
        }
        await broker.DeleteSubscriptionAsync(context.GetCaller(), name, subscriptionId, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<TopicPublishedResponse>, Ok<TopicPublishedBatchResponse>>> PublishToTopicAsync(
        string name, PublishRequest request, HttpContext context, BrokerService broker, CancellationToken ct)
    {
        var caller = context.GetCaller();
        var results = await broker.PublishToTopicAsync(caller, name, request.Subject, request.ToMessages(), ct);
        var responses = results.Select(r => new TopicPublishedResponse(r.Id, r.Duplicate, r.Deliveries)).ToArray();
        return request.IsBatch ? TypedResults.Ok(new TopicPublishedBatchResponse(responses)) : TypedResults.Ok(responses[0]);
    }

    /// <summary>Per-lease answers; a call with one lease that failed is a 409 problem, so simple clients need not read the list.</summary>
    private static Results<Ok<SettleResponse>, ProblemHttpResult> Answer(HttpContext context, IReadOnlyList<SettleResult> results)
    {
        if (results.Count == 1 && results[0] is { Error: { } error } failed)
        {
            var problem = Problems.Create(context, error, failed.Detail);
            problem.Extensions["lease"] = failed.Lease;
            return TypedResults.Problem(problem);
        }
        return TypedResults.Ok(SettleResponse.From(results));
    }
}
