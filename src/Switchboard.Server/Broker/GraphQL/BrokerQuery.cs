using GraphQL;
using GraphQL.Types;
using Switchboard.Errors;
using Switchboard.Server.GraphQL;

namespace Switchboard.Server.Broker.GraphQL;

internal sealed class BrokerQuery : ObjectGraphType
{
    public BrokerQuery()
    {
        Name = "Query";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<QueueGraphType>>>>("queues")
            .Description("The queues the caller may use, with their stats.")
            .ResolveAsync(async c => (await c.Broker().ListQueuesAsync(c.Caller(), c.CancellationToken)).Select(q => new QueueNode(q.Queue, q.Stats)).ToArray());

        Field<QueueGraphType>("queue")
            .Description("One queue; null when it does not exist.")
            .Argument<NonNullGraphType<StringGraphType>>("name")
            .ResolveAsync(async c =>
            {
                try
                {
                    return new QueueNode(await c.Broker().GetQueueAsync(c.Caller(), c.GetArgument<string>("name"), c.CancellationToken), null);
                }
                catch (SwitchboardException ex) when (ex.Error == ErrorCodes.QueueNotFound)
                {
                    return null;
                }
            });

        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TopicGraphType>>>>("topics")
            .Description("The topics the caller may use.")
            .ResolveAsync(async c => await c.Broker().ListTopicsAsync(c.Caller(), c.CancellationToken));

        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MessageGraphType>>>>("deadLetters")
            .Description("Peeks at the messages in a queue's dead-letter queue without leasing them (needs broker:manage on it).")
            .Argument<NonNullGraphType<StringGraphType>>("queue")
            .Argument<IntGraphType>("limit", "1–1000; default 20.")
            .ResolveAsync(async c =>
            {
                var broker = c.Broker();
                var caller = c.Caller();
                var name = c.GetArgument<string>("queue");
                var queue = await broker.GetQueueAsync(caller, name, c.CancellationToken);
                var deadLetters = queue.Settings.DeadLetterQueue
                    ?? throw SwitchboardException.Validation("queue", $"Queue '{name}' has no dead-letter queue; set one with PATCH /v1/queues/{name}.");
                return await broker.PeekAsync(caller, deadLetters, c.GetArgument<int?>("limit"), c.CancellationToken);
            });
    }
}
