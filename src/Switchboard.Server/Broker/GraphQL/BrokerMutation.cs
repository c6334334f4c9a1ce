using GraphQL;
using GraphQL.Types;
using Switchboard.Broker;
using Switchboard.Server.GraphQL;

namespace Switchboard.Server.Broker.GraphQL;

internal sealed class BrokerMutation : ObjectGraphType
{
    public BrokerMutation()
    {
        Name = "Mutation";
        Field<NonNullGraphType<QueueGraphType>>("createQueue")
            .Description("Creates a queue and, unless deadLetterQueue says otherwise, its dead-letter queue.")
            .Argument<NonNullGraphType<StringGraphType>>("name")
            .Argument<IntGraphType>("leaseSeconds")
            .Argument<IntGraphType>("maxDeliveries")
            .Argument<StringGraphType>("deadLetterQueue", "Empty for none; default <name>.dlq.")
            .Argument<IntGraphType>("maxLength")
            .Argument<StringGraphType>("ordering", "none, fifo or fifo-by-group.")
            .ResolveAsync(async c =>
            {
                var input = new QueueSettingsInput
                {
                    LeaseSeconds = c.GetArgument<int?>("leaseSeconds"),
                    MaxDeliveries = c.GetArgument<int?>("maxDeliveries"),
                    DeadLetterQueue = c.GetArgument<string?>("deadLetterQueue"),
                    MaxLength = c.GetArgument<int?>("maxLength"),
                    Ordering = BrokerContracts.ParseOrdering(c.GetArgument<string?>("ordering")),
                };
                return new QueueNode(await c.Broker().CreateQueueAsync(c.Caller(), c.GetArgument<string>("name"), input, c.CancellationToken), null);
            });

        Field<NonNullGraphType<BooleanGraphType>>("deleteQueue")
            .Description("Deletes a queue; one that still holds messages only with force: true.")
            .Argument<NonNullGraphType<StringGraphType>>("name")
            .Argument<BooleanGraphType>("force")
            .ResolveAsync(async c =>
            {
                await c.Broker().DeleteQueueAsync(c.Caller(), c.GetArgument<string>("name"), c.GetArgument<bool?>("force") ?? false, c.CancellationToken);
                return true;
            });

        Field<NonNullGraphType<PublishResultGraphType>>("publish")
            .Description("Publishes one message; it is acknowledged after it is durably stored.")
            .Argument<NonNullGraphType<StringGraphType>>("queue")
            .Argument<NonNullGraphType<StringGraphType>>("body")
            .Argument<StringGraphType>("bodyEncoding", "utf8 (default) or base64.")
            .Argument<ListGraphType<NonNullGraphType<HeaderInputGraphType>>>("headers")
            .Argument<IntGraphType>("priority")
            .Argument<IntGraphType>("delaySeconds")
            .Argument<StringGraphType>("idempotencyKey")
            .ResolveAsync(async c =>
            {
                var message = new WireMessage(
                    Text: c.GetArgument<string>("body"),
                    Bytes: null,
                    BodyEncoding: c.GetArgument<string?>("bodyEncoding"),
                    Headers: c.GetArgument<List<HeaderInput>?>("headers")?.GroupBy(h => h.Name).ToDictionary(g => g.Key, g => g.Last().Value),
                    DelaySeconds: c.GetArgument<int?>("delaySeconds"),
                    TtlSeconds: null,
                    Priority: c.GetArgument<int?>("priority"),
                    GroupKey: null,
                    IdempotencyKey: c.GetArgument<string?>("idempotencyKey"));
                var results = await c.Broker().PublishAsync(c.Caller(), c.GetArgument<string>("queue"), [message.ToOutgoing()], c.CancellationToken);
                return results[0];
            });

        Field<NonNullGraphType<LongGraphType>>("purge")
            .Description("Removes every message from a queue; returns how many.")
            .Argument<NonNullGraphType<StringGraphType>>("queue")
            .ResolveAsync(async c => await c.Broker().PurgeAsync(c.Caller(), c.GetArgument<string>("queue"), c.CancellationToken));
    }
}
