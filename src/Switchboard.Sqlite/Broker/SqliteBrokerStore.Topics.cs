using System.Text.Json;
using Microsoft.Data.Sqlite;
using Switchboard.Broker;
using Switchboard.Errors;

namespace Switchboard.Sqlite.Broker;

internal sealed partial class SqliteBrokerStore
{
    private const string TopicScopePrefix = "topic:";

    public Task<TopicInfo> CreateTopicAsync(string name, CancellationToken cancellationToken = default) =>
        _database.Writer.ExecuteAsync(ctx =>
        {
            var now = Now();
            var insert = ctx.Command("INSERT INTO broker_topics (name, created_at) VALUES ($n, $t) ON CONFLICT (name) DO NOTHING");
            insert.Parameters.AddWithValue("$n", name);
            insert.Parameters.AddWithValue("$t", now);
            if (insert.ExecuteNonQuery() == 0)
            {
                throw new SwitchboardException(ErrorCodes.TopicExists, $"Topic '{name}' already exists.");
            }
            ctx.OnCommitted(() => _topics[name] = new TopicState(name, FromMs(now), []));
            return new TopicInfo(name, FromMs(now), 0);
        }, cancellationToken);

    public Task<IReadOnlyList<TopicInfo>> ListTopicsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<TopicInfo>>(_topics.Values.Where(t => !t.Deleted).Select(t => t.Info).OrderBy(t => t.Name, StringComparer.Ordinal).ToArray());

    public Task<TopicInfo?> GetTopicAsync(string name, CancellationToken cancellationToken = default) =>
        Task.FromResult(_topics.TryGetValue(name, out var topic) && !topic.Deleted ? topic.Info : null);

    public async Task DeleteTopicAsync(string name, CancellationToken cancellationToken = default)
    {
        var topic = FindTopic(name);
        await _database.Writer.ExecuteAsync(ctx =>
        {
            foreach (var sql in new[]
            {
                "DELETE FROM broker_subscriptions WHERE topic = $n",
                "DELETE FROM broker_dedup WHERE scope = $scope",
                "DELETE FROM broker_topics WHERE name = $n",
            })
            {
                var command = ctx.Command(sql);
                command.Parameters.AddWithValue("$n", name);
                command.Parameters.AddWithValue("$scope", TopicScopePrefix + name);
                command.ExecuteNonQuery();
            }
            ctx.OnCommitted(() =>
            {
                topic.Deleted = true;
                _topics.TryRemove(new KeyValuePair<string, TopicState>(name, topic));
            });
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Subscription> SubscribeAsync(string topic, string queue, string pattern, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken = default)
    {
        var state = FindTopic(topic);
        Find(queue);
        return await _database.Writer.ExecuteAsync(ctx =>
        {
            EnsureTopicRow(ctx, topic);
            EnsureQueueRow(ctx, queue);
            var subscription = new Subscription(Guid.CreateVersion7(), topic, queue, pattern,
                new Dictionary<string, string>(headers, StringComparer.Ordinal), FromMs(Now()));
            var insert = ctx.Command("""
                INSERT INTO broker_subscriptions (id, topic, queue, pattern, headers, created_at)
                VALUES ($id, $topic, $queue, $pattern, $headers, $t)
                """);
            insert.Parameters.AddWithValue("$id", subscription.Id.ToByteArray());
            insert.Parameters.AddWithValue("$topic", topic);
            insert.Parameters.AddWithValue("$queue", queue);
            insert.Parameters.AddWithValue("$pattern", pattern);
            insert.Parameters.AddWithValue("$headers", (object?)WriteHeaders(subscription.Headers) ?? DBNull.Value);
            insert.Parameters.AddWithValue("$t", subscription.CreatedAt.ToUnixTimeMilliseconds());
            insert.ExecuteNonQuery();
            ctx.OnCommitted(() => state.Add(subscription));
            return subscription;
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<Subscription>> ListSubscriptionsAsync(string topic, CancellationToken cancellationToken = default) =>
        Task.FromResult(FindTopic(topic).Subscriptions);

    public async Task DeleteSubscriptionAsync(string topic, Guid id, CancellationToken cancellationToken = default)
    {
        var state = FindTopic(topic);
        await _database.Writer.ExecuteAsync(ctx =>
        {
            var delete = ctx.Command("DELETE FROM broker_subscriptions WHERE id = $id AND topic = $topic");
            delete.Parameters.AddWithValue("$id", id.ToByteArray());
            delete.Parameters.AddWithValue("$topic", topic);
            if (delete.ExecuteNonQuery() == 0)
            {
                throw new SwitchboardException(ErrorCodes.SubscriptionNotFound, $"Topic '{topic}' has no subscription {id}.");
            }
            ctx.OnCommitted(() => state.RemoveWhere(s => s.Id == id));
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<TopicPublishResult>> PublishToTopicAsync(string topic, string subject, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default)
    {
        var state = FindTopic(topic);
        var reservation = new Reservation();
        try
        {
            return await _database.Writer.ExecuteAsync(ctx => PublishToTopicInto(ctx, state, subject, messages, reservation), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Unreserve(reservation);
        }
    }

    private IReadOnlyList<TopicPublishResult> PublishToTopicInto(SqliteWriteContext ctx, TopicState state, string subject, IReadOnlyList<OutgoingMessage> messages, Reservation reservation)
    {
        var topic = state.Name;
        EnsureTopicRow(ctx, topic);
        var now = Now();
        var scope = TopicScopePrefix + topic;
        var subscriptions = state.Subscriptions;
        var results = new TopicPublishResult[messages.Count];
        var copies = new List<(OutgoingMessage Message, QueueState Queue, Guid Id)>();
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (message.IdempotencyKey is { } key && FindDuplicate(ctx, scope, key, now) is { } original)
            {
                results[i] = new TopicPublishResult(original, true, []);
                continue;
            }
            var id = BrokerRandom.NewVersion7(FromMs(now));
            if (message.IdempotencyKey is { } newKey)
            {
                RememberKey(ctx, scope, newKey, id, now + QueueSettings.DefaultDedupWindowSeconds * 1000L);
            }
            var deliveries = new List<TopicDelivery>();
            foreach (var queue in subscriptions.Where(s => s.Matches(subject, message.Headers)).Select(s => s.Queue).Distinct(StringComparer.Ordinal))
            {
                if (!_queues.TryGetValue(queue, out var queueState) || queueState.Deleted)
                {
                    continue;
                }
                var copyId = BrokerRandom.NewVersion7(FromMs(now));
                copies.Add((message, queueState, copyId));
                deliveries.Add(new TopicDelivery(queue, copyId));
            }
            results[i] = new TopicPublishResult(id, false, deliveries);
        }
        foreach (var group in copies.GroupBy(c => c.Queue))
        {
            EnsureQueueRow(ctx, group.Key.Name);
            Reserve(reservation, group.Key, group.Count());
        }
        var staged = new List<Staged>(copies.Count);
        foreach (var (message, queue, id) in copies)
        {
            staged.Add(Insert(ctx, queue, message, id, now));
        }
        ctx.OnCommitted(() => Apply(reservation, staged, now));
        return results;
    }

    private TopicState FindTopic(string name) =>
        _topics.TryGetValue(name, out var topic) && !topic.Deleted
            ? topic
            : throw new SwitchboardException(ErrorCodes.TopicNotFound, $"Topic '{name}' does not exist; create it with POST /v1/topics.");

    private static void EnsureTopicRow(SqliteWriteContext ctx, string name)
    {
        var query = ctx.Command("SELECT 1 FROM broker_topics WHERE name = $n");
        query.Parameters.AddWithValue("$n", name);
        if (query.ExecuteScalar() is null)
        {
            throw new SwitchboardException(ErrorCodes.TopicNotFound, $"Topic '{name}' does not exist; create it with POST /v1/topics.");
        }
    }

    private void LoadTopics(SqliteConnection connection)
    {
        var subscriptions = new List<Subscription>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT id, topic, queue, pattern, headers, created_at FROM broker_subscriptions ORDER BY created_at";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                subscriptions.Add(new Subscription(
                    new Guid((byte[])reader.GetValue(0)),
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.IsDBNull(4) ? new Dictionary<string, string>() : JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(4), Json)!,
                    FromMs(reader.GetInt64(5))));
            }
        }
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name, created_at FROM broker_topics";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var name = reader.GetString(0);
                _topics[name] = new TopicState(name, FromMs(reader.GetInt64(1)), subscriptions.Where(s => s.Topic == name).ToArray());
            }
        }
    }
}
