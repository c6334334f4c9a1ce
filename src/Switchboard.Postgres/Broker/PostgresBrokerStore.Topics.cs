using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Switchboard.Broker;
using Switchboard.Errors;

namespace Switchboard.Postgres.Broker;

internal sealed partial class PostgresBrokerStore
{
    private const string TopicScopePrefix = "topic:";

    public async Task<TopicInfo> CreateTopicAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            INSERT INTO broker_topics (name, created_at) VALUES ($1, now()) ON CONFLICT (name) DO NOTHING RETURNING created_at
            """, connection);
        command.Parameters.Add(Text(name));
        var created = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as DateTime?
            ?? throw new SwitchboardException(ErrorCodes.TopicExists, $"Topic '{name}' already exists.");
        return new TopicInfo(name, new DateTimeOffset(created, TimeSpan.Zero), 0);
    }

    public async Task<IReadOnlyList<TopicInfo>> ListTopicsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            SELECT t.name, t.created_at, (SELECT count(*)::int FROM broker_subscriptions s WHERE s.topic = t.name)
            FROM broker_topics t ORDER BY t.name
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var topics = new List<TopicInfo>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            topics.Add(new TopicInfo(reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt32(2)));
        }
        return topics;
    }

    public async Task<TopicInfo?> GetTopicAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("""
            SELECT t.created_at, (SELECT count(*)::int FROM broker_subscriptions s WHERE s.topic = t.name)
            FROM broker_topics t WHERE t.name = $1
            """, connection);
        command.Parameters.Add(Text(name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new TopicInfo(name, reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt32(1))
            : null;
    }

    public async Task DeleteTopicAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // Subscriptions go with the topic (ON DELETE CASCADE); the queues stay.
        await using var command = new NpgsqlCommand("""
            WITH deleted AS (DELETE FROM broker_topics WHERE name = $1 RETURNING name),
                 keys AS (DELETE FROM broker_dedup WHERE scope = $2 AND EXISTS (SELECT 1 FROM deleted))
            SELECT count(*) FROM deleted
            """, connection);
        command.Parameters.Add(Text(name));
        command.Parameters.Add(Text(TopicScopePrefix + name));
        if ((long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 0)
        {
            throw TopicNotFound(name);
        }
    }

    public async Task<Subscription> SubscribeAsync(string topic, string queue, string pattern, IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await RequireTopicAsync(connection, transaction, topic, cancellationToken).ConfigureAwait(false);
        await RequireQueueAsync(connection, transaction, queue, cancellationToken).ConfigureAwait(false);
        var copy = new Dictionary<string, string>(headers, StringComparer.Ordinal);
        await using var command = new NpgsqlCommand("""
            INSERT INTO broker_subscriptions (id, topic, queue, pattern, headers, created_at)
            VALUES ($1, $2, $3, $4, $5, now())
            RETURNING created_at
            """, connection, transaction);
        var id = Guid.CreateVersion7();
        command.Parameters.Add(new NpgsqlParameter { Value = id, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(Text(topic));
        command.Parameters.Add(Text(queue));
        command.Parameters.Add(Text(pattern));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)WriteHeaders(copy) ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb });
        var created = (DateTime)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new Subscription(id, topic, queue, pattern, copy, new DateTimeOffset(created, TimeSpan.Zero));
    }

    public async Task<IReadOnlyList<Subscription>> ListSubscriptionsAsync(string topic, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await RequireTopicAsync(connection, null, topic, cancellationToken).ConfigureAwait(false);
        return await LoadSubscriptionsAsync(connection, null, topic, cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteSubscriptionAsync(string topic, Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await RequireTopicAsync(connection, null, topic, cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("DELETE FROM broker_subscriptions WHERE id = $1 AND topic = $2", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = id, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(Text(topic));
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new SwitchboardException(ErrorCodes.SubscriptionNotFound, $"Topic '{topic}' has no subscription {id}.");
        }
    }

    /// <summary>
    /// Fans out in one transaction: the subscriptions as this transaction sees them, the topic's idempotency keys,
    /// maxLength of every target queue, one multi-row INSERT for all copies, and a NOTIFY per queue.
    /// </summary>
    public async Task<IReadOnlyList<TopicPublishResult>> PublishToTopicAsync(string topic, string subject, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var (results, queues) = await PublishToTopicInTransactionAsync(connection, transaction, topic, subject, messages, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        _listener.Signal(queues);
        return results;
    }

    private async Task<(TopicPublishResult[] Results, string[] Queues)> PublishToTopicInTransactionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        string topic, string subject, IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        // KEY SHARE keeps the topic from being deleted under this publish.
        await using (var command = new NpgsqlCommand("SELECT 1 FROM broker_topics WHERE name = $1 FOR KEY SHARE", connection, transaction))
        {
            command.Parameters.Add(Text(topic));
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                throw TopicNotFound(topic);
            }
        }
        var subscriptions = await LoadSubscriptionsAsync(connection, transaction, topic, cancellationToken).ConfigureAwait(false);
        var published = await DeduplicateAsync(connection, transaction, TopicScopePrefix + topic, messages,
            TimeSpan.FromSeconds(QueueSettings.DefaultDedupWindowSeconds), cancellationToken).ConfigureAwait(false);
        var copies = new List<Copy>();
        var deliveries = new List<TopicDelivery>[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            deliveries[i] = [];
            if (published[i].Duplicate)
            {
                continue;
            }
            foreach (var queue in subscriptions.Where(s => s.Matches(subject, messages[i].Headers)).Select(s => s.Queue).Distinct(StringComparer.Ordinal))
            {
                var copy = new Copy(queue, Guid.CreateVersion7(), messages[i]);
                copies.Add(copy);
                deliveries[i].Add(new TopicDelivery(queue, copy.Id));
            }
        }
        var queues = copies.Select(c => c.Queue).Distinct(StringComparer.Ordinal).ToArray();
        if (copies.Count > 0)
        {
            await ReserveAsync(connection, transaction, copies.GroupBy(c => c.Queue).Select(g => (g.Key, g.Count())), cancellationToken).ConfigureAwait(false);
            var inserted = await InsertAsync(connection, transaction, copies, cancellationToken).ConfigureAwait(false);
            foreach (var list in deliveries)
            {
                // A queue deleted since the subscriptions were read gets no copy.
                list.RemoveAll(d => !inserted.Contains(d.MessageId));
            }
            await NotifyAsync(connection, transaction, queues, cancellationToken).ConfigureAwait(false);
        }
        return (published.Select((p, i) => new TopicPublishResult(p.Id, p.Duplicate, deliveries[i])).ToArray(), queues);
    }

    private static async Task<IReadOnlyList<Subscription>> LoadSubscriptionsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string topic, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT id, queue, pattern, headers, created_at FROM broker_subscriptions WHERE topic = $1 ORDER BY created_at, id
            """, connection, transaction);
        command.Parameters.Add(Text(topic));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var subscriptions = new List<Subscription>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            subscriptions.Add(new Subscription(
                reader.GetGuid(0),
                topic,
                reader.GetString(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? new Dictionary<string, string>() : JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(3), Json)!,
                reader.GetFieldValue<DateTimeOffset>(4)));
        }
        return subscriptions;
    }

    private static async Task RequireTopicAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT 1 FROM broker_topics WHERE name = $1", connection, transaction);
        command.Parameters.Add(Text(name));
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            throw TopicNotFound(name);
        }
    }

    private static SwitchboardException TopicNotFound(string name) =>
        new(ErrorCodes.TopicNotFound, $"Topic '{name}' does not exist; create it with POST /v1/topics.");
}
