using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Switchboard.EndToEnd.Tests.Reliability;

/// <summary>
/// The mixed load of one crash cycle: publishers (single, batch and delayed messages), consumers that receive and
/// ack, KV compare-and-set writers, a chat sender with read receipts and a notification sender, all at once over
/// HTTP. Every operation goes into the <see cref="CrashHistory"/>. A worker stops at its first request the dying
/// server does not answer, and records that request as <see cref="Outcome.Unknown"/>.
/// </summary>
internal sealed class CrashWorkload(CrashHistory history, Uri baseAddress, string token, CrashSetup setup)
{
    public const string Queue = "crash";
    public const string Bucket = "crash";
    public static readonly string[] Keys = ["k0", "k1", "k2", "k3"];

    private static int s_counter;

    /// <summary>Runs every worker until the server dies or <paramref name="stop"/> fires.</summary>
    public Task RunAsync(CancellationToken stop) => Task.WhenAll(
        Worker(c => PublishAsync(c, stop)),
        Worker(c => PublishAsync(c, stop)),
        Worker(c => ConsumeAsync(c, stop)),
        Worker(c => ConsumeAsync(c, stop)),
        Worker(c => CasAsync(c, stop)),
        Worker(c => CasAsync(c, stop)),
        Worker(c => ChatAsync(c, stop)),
        Worker(c => NotifyAsync(c, stop)));

    private async Task Worker(Func<HttpClient, Task> work)
    {
        using var client = CreateClient(baseAddress, token);
        try
        {
            await Task.Run(() => work(client));
        }
        catch (Exception ex) when (IsCutOff(ex))
        {
            // The server died under this worker; the request it was in is recorded as unknown.
        }
    }

    public static HttpClient CreateClient(Uri baseAddress, string token)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    public static bool IsCutOff(Exception ex) => ex is HttpRequestException or IOException or TaskCanceledException or OperationCanceledException;

    private async Task PublishAsync(HttpClient client, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            // Single, batch of 5, delayed single, delayed batch: every path must be durable.
            var kind = i % 4;
            var count = kind is 1 or 3 ? 5 : 1;
            var delay = kind >= 2 ? 1 + (i % 2) : 0;
            var bodies = Enumerable.Range(0, count).Select(_ => $"m{Interlocked.Increment(ref s_counter)}").ToArray();
            var op = new PublishOp(bodies, delay, history.Now);
            history.Publishes.Enqueue(op);
            object request = count == 1
                ? new { body = bodies[0], delaySeconds = delay }
                : new { messages = bodies.Select(b => new { body = b, delaySeconds = delay }).ToArray() };
            using var response = await client.PostAsJsonAsync($"v1/queues/{Queue}/messages", request, stop);
            var json = await ReadAsync(response, stop);
            op.Completed = history.Now;
            op.Outcome = response.IsSuccessStatusCode ? Outcome.Ok : Outcome.Refused;
            if (response.IsSuccessStatusCode)
            {
                op.Ids = count == 1
                    ? [json.GetProperty("id").GetGuid()]
                    : json.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("id").GetGuid()).ToArray();
            }
        }
    }

    private async Task ConsumeAsync(HttpClient client, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var deliveries = await ReceiveAsync(client, history, 10, stop);
            if (deliveries.Length > 0)
            {
                await AckAsync(client, history, deliveries, stop);
            }
        }
    }

    /// <summary>One receive; each message it leased joins the history as a delivery.</summary>
    public static async Task<DeliveryOp[]> ReceiveAsync(HttpClient client, CrashHistory history, int max, CancellationToken stop)
    {
        var invoked = history.Now;
        using var response = await client.PostAsJsonAsync($"v1/queues/{Queue}/receive", new { max, waitSeconds = 1 }, stop);
        var json = await ReadAsync(response, stop);
        var completed = history.Now;
        Assert.True(response.IsSuccessStatusCode, $"receive answered {(int)response.StatusCode}: {json}");
        var deliveries = json.GetProperty("messages").EnumerateArray()
            .Select(m => new DeliveryOp(m.GetProperty("id").GetGuid(), m.GetProperty("body").GetString()!, m.GetProperty("lease").GetString()!, invoked, completed))
            .ToArray();
        foreach (var delivery in deliveries)
        {
            history.Deliveries.Enqueue(delivery);
        }
        return deliveries;
    }

    /// <summary>Acks the leases; a lease counts as acked only when its own result says ok.</summary>
    public static async Task AckAsync(HttpClient client, CrashHistory history, IReadOnlyList<DeliveryOp> deliveries, CancellationToken stop)
    {
        var invoked = history.Now;
        foreach (var delivery in deliveries)
        {
            delivery.AckInvoked = invoked;
        }
        using var response = await client.PostAsJsonAsync($"v1/queues/{Queue}/ack", new { leases = deliveries.Select(d => d.Lease).ToArray() }, stop);
        var json = await ReadAsync(response, stop);
        var completed = history.Now;
        var ok = response.IsSuccessStatusCode
            ? json.GetProperty("results").EnumerateArray().Where(r => r.GetProperty("ok").GetBoolean()).Select(r => r.GetProperty("lease").GetString()!).ToHashSet()
            : [];
        foreach (var delivery in deliveries)
        {
            delivery.AckCompleted = completed;
            delivery.AckOutcome = ok.Contains(delivery.Lease) ? Outcome.Ok : Outcome.Refused;
        }
    }

    private async Task CasAsync(HttpClient client, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var key = Keys[Random.Shared.Next(Keys.Length)];
            var (revision, _) = await ReadKeyAsync(client, key, stop);
            var value = $"v{Interlocked.Increment(ref s_counter)}";
            var op = new CasOp(key, revision, value, history.Now);
            history.CasWrites.Enqueue(op);
            using var request = new HttpRequestMessage(HttpMethod.Put, $"v1/kv/{Bucket}/{key}") { Content = new StringContent(value) };
            if (revision == 0)
            {
                request.Headers.TryAddWithoutValidation("If-None-Match", "*");
            }
            else
            {
                request.Headers.TryAddWithoutValidation("If-Match", $"\"{revision}\"");
            }
            using var response = await client.SendAsync(request, stop);
            var json = await ReadAsync(response, stop);
            op.Completed = history.Now;
            if (response.IsSuccessStatusCode)
            {
                op.Outcome = Outcome.Ok;
                op.Revision = json.GetProperty("revision").GetInt64();
            }
            else
            {
                Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
                op.Outcome = Outcome.Refused;
            }
        }
    }

    /// <summary>A key's revision (0 when absent) and value.</summary>
    public static async Task<(long Revision, string? Value)> ReadKeyAsync(HttpClient client, string key, CancellationToken stop)
    {
        using var response = await client.GetAsync($"v1/kv/{Bucket}/{key}", stop);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return (0, null);
        }
        Assert.True(response.IsSuccessStatusCode, $"GET {key} answered {(int)response.StatusCode}");
        var revision = long.Parse(response.Headers.GetValues("X-Kv-Revision").Single(), System.Globalization.CultureInfo.InvariantCulture);
        return (revision, await response.Content.ReadAsStringAsync(stop));
    }

    private async Task ChatAsync(HttpClient client, CancellationToken stop)
    {
        var lastSeq = new Dictionary<Guid, long>();
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var conversation = setup.Conversations[i % setup.Conversations.Length];
            var op = await SendChatAsync(client, history, conversation, $"c{Interlocked.Increment(ref s_counter)}", stop);
            if (op.Outcome == Outcome.Ok)
            {
                lastSeq[conversation] = op.Seq;
            }
            if (i % 5 == 4 && lastSeq.TryGetValue(conversation, out var seq))
            {
                var receipt = new ReceiptOp(conversation, seq, history.Now);
                history.Receipts.Enqueue(receipt);
                using var response = await client.PostAsJsonAsync($"v1/conversations/{conversation}/read", new { readSeq = seq }, stop);
                await ReadAsync(response, stop);
                receipt.Outcome = response.IsSuccessStatusCode ? Outcome.Ok : Outcome.Refused;
            }
        }
    }

    public static async Task<ChatSendOp> SendChatAsync(HttpClient client, CrashHistory history, Guid conversation, string clientMessageId, CancellationToken stop)
    {
        var op = new ChatSendOp(conversation, clientMessageId, history.Now);
        history.ChatSends.Enqueue(op);
        using var response = await client.PostAsJsonAsync($"v1/conversations/{conversation}/messages", new { clientMessageId, text = $"text of {clientMessageId}" }, stop);
        var json = await ReadAsync(response, stop);
        op.Completed = history.Now;
        op.Outcome = response.IsSuccessStatusCode ? Outcome.Ok : Outcome.Refused;
        if (response.IsSuccessStatusCode)
        {
            op.Seq = json.GetProperty("seq").GetInt64();
            op.MessageId = json.GetProperty("id").GetGuid();
        }
        return op;
    }

    private async Task NotifyAsync(HttpClient client, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var title = $"n{Interlocked.Increment(ref s_counter)}";
            var op = new NotificationOp(title, history.Now);
            history.Notifications.Enqueue(op);
            using var response = await client.PostAsJsonAsync("v1/notifications", new { title, content = "crash loop", channels = new[] { CrashSetup.Channel } }, stop);
            var json = await ReadAsync(response, stop);
            op.Outcome = response.IsSuccessStatusCode ? Outcome.Ok : Outcome.Refused;
            if (response.IsSuccessStatusCode)
            {
                op.Id = json.GetProperty("id").GetGuid();
                op.DeliveryIds = json.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("id").GetGuid()).ToArray();
            }
            await Task.Delay(20, stop);
        }
    }

    /// <summary>The JSON answer; a 5xx is a defect in itself, not a crash artefact, so it fails the run.</summary>
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken stop)
    {
        var text = await response.Content.ReadAsStringAsync(stop);
        Assert.True((int)response.StatusCode < 500, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement;
    }
}

/// <summary>What the crash run created before its first cycle.</summary>
internal sealed record CrashSetup(Guid[] Conversations)
{
    public const string Channel = "hook";
}
