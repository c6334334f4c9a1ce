using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Switchboard.Broker;
using Switchboard.Errors;
using Switchboard.Identity;
using Switchboard.Server.Identity;

namespace Switchboard.Server.Broker;

/// <summary>
/// The streaming face of the broker at <c>/hubs/broker</c>: pipelined publish with a durable ack per call, and
/// credit-based consumers. A thin adapter over <see cref="BrokerService"/>, which checks the same scopes as REST.
/// </summary>
internal sealed class BrokerHub(
    BrokerService broker,
    IOptionsMonitor<IdentityOptions> identityOptions,
    IOptionsMonitor<BrokerOptions> brokerOptions,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<BrokerHubConsumer> consumerLogger) : Hub
{
    private BrokerHubSession Session => Context.Items[typeof(BrokerHubSession)] as BrokerHubSession
        ?? throw new HubException($"{ErrorCodes.Unauthorized.Code}: The connection has no authenticated caller.");

    public override Task OnConnectedAsync()
    {
        var caller = CallerExtensions.FromPrincipal(Context.User ?? new(), identityOptions.CurrentValue);
        if (caller is null)
        {
            // The endpoint requires authentication, so this is a principal without a subject.
            Context.Abort();
            return Task.CompletedTask;
        }
        Context.Items[typeof(BrokerHubSession)] = new BrokerHubSession(caller);
        return Task.CompletedTask;
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.TryGetValue(typeof(BrokerHubSession), out var value) && value is BrokerHubSession session)
        {
            await session.DisposeAsync();
        }
    }

    /// <summary>Publishes a batch in one commit; returns the ids only after the commit is durable.</summary>
    public async Task<BrokerHubPublished[]> Publish(string queue, BrokerHubPublishMessage[] messages)
    {
        var results = await broker.PublishAsync(Session.Caller, queue, WireMessage.ToOutgoing(Array.ConvertAll(messages ?? [], m => m?.ToWire())), Context.ConnectionAborted);
        var answer = new BrokerHubPublished[results.Count];
        for (var i = 0; i < answer.Length; i++)
        {
            answer[i] = new BrokerHubPublished { Id = results[i].Id, Duplicate = results[i].Duplicate };
        }
        return answer;
    }

    /// <summary>
    /// Streams leased messages of <paramref name="queue"/>, never more than <paramref name="credits"/> unsettled;
    /// <see cref="Ack"/>, <see cref="Nack"/> and <see cref="Credit"/> on this connection free or add credits. Replaces
    /// this connection's earlier subscription to the queue, if any.
    /// </summary>
    public async Task<ChannelReader<BrokerHubMessage>> Subscribe(string queue, int credits, int? leaseSeconds, CancellationToken cancellationToken)
    {
        var session = Session;
        session.Caller.Demand(BrokerService.Area, BrokerService.Consume, queue);
        var options = brokerOptions.CurrentValue;
        new Validation()
            .Require(credits is >= 1 and <= BrokerHubConsumer.MaxCredits, "credits", $"credits must be 1–{BrokerHubConsumer.MaxCredits}.")
            .Require(leaseSeconds is null || (leaseSeconds >= 1 && leaseSeconds <= options.MaxLeaseSeconds), "leaseSeconds", $"leaseSeconds must be 1–{options.MaxLeaseSeconds}.")
            .ThrowIfInvalid();
        var info = await broker.GetQueueAsync(session.Caller, queue, cancellationToken);
        var consumer = new BrokerHubConsumer(broker, session.Caller, queue, info.Settings.Ordering, credits, leaseSeconds, options, time, consumerLogger, session.Remove);
        // One subscription per queue per connection: a client that left its loop without cancelling the stream
        // subscribes again, so the new one replaces the old, whose stream ends and whose messages are released first.
        if (session.Replace(consumer) is { } previous)
        {
            await previous.DisposeAsync();
        }
        return consumer.Start(cancellationToken, lifetime.ApplicationStopping);
    }

    /// <summary>Acks leases (from this connection's stream or any receive); the credits they held come back once the ack commits.</summary>
    public async Task<BrokerHubSettled[]> Ack(string queue, string[] leases)
    {
        var session = Session;
        var results = await broker.AckAsync(session.Caller, queue, LeaseToken.ParseAll(leases), Context.ConnectionAborted);
        return Settled(session, queue, results);
    }

    /// <summary>Releases leases, after <paramref name="delaySeconds"/> or to the dead-letter queue; frees their credits.</summary>
    public async Task<BrokerHubSettled[]> Nack(string queue, string[] leases, int? delaySeconds, string? reason, bool deadLetter)
    {
        var session = Session;
        var results = await broker.NackAsync(session.Caller, queue, LeaseToken.ParseAll(leases), delaySeconds, reason, deadLetter, Context.ConnectionAborted);
        return Settled(session, queue, results);
    }

    /// <summary>Widens this connection's window on <paramref name="queue"/> by <paramref name="credits"/>; returns the new window.</summary>
    public int Credit(string queue, int credits)
    {
        var consumer = Session.Find(queue)
            ?? throw new SwitchboardException(ErrorCodes.NotConsuming, $"This connection does not consume '{queue}'; call Subscribe first.");
        return consumer.AddCredits(credits);
    }

    private static BrokerHubSettled[] Settled(BrokerHubSession session, string queue, IReadOnlyList<SettleResult> results)
    {
        // Failed ones (an expired lease) are no longer held either, so every answered lease frees its credit.
        session.Find(queue)?.Settled(results);
        var answer = new BrokerHubSettled[results.Count];
        for (var i = 0; i < answer.Length; i++)
        {
            answer[i] = BrokerHubSettled.From(results[i]);
        }
        return answer;
    }
}
