using Switchboard.Channels;

namespace Switchboard.Engine.Tests.Channels;

/// <summary>What every engine's <see cref="IDeliveryStore"/> must do. Subclassed once per engine; each test gets a fresh database.</summary>
public abstract class DeliveryStoreConformance : IAsyncLifetime
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private IDeliveryStore? _store;

    protected IDeliveryStore Store => _store!;

    protected abstract Task<IDeliveryStore> OpenStoreAsync();

    public async Task InitializeAsync() => _store = await OpenStoreAsync().WaitAsync(Timeout);

    public abstract Task DisposeAsync();

    private static Delivery NewDelivery(Guid? notification = null, string status = DeliveryStatus.Accepted, params string[] route) => new(
        Guid.CreateVersion7(), notification, null, null, null, route.Length == 0 ? ["wa"] : route, 0,
        new Dictionary<string, string> { ["*"] = "15550001" }, "Title", "Body", "warning", 5, status, null, null, null, T0, T0);

    private static NotificationRecord NewNotification() => new(Guid.CreateVersion7(), "Disk full", "Disk / is 99% full", "critical", 9, null, "svc", T0);

    [Fact]
    public async Task A_notification_and_its_deliveries_round_trip()
    {
        var notification = NewNotification();
        var deliveries = new[] { NewDelivery(notification.Id, route: ["wa", "tg", "mail"]), NewDelivery(notification.Id) };

        var duplicate = await Store.CreateNotificationAsync(notification, deliveries, null, T0, T0).WaitAsync(Timeout);
        var stored = await Store.GetNotificationAsync(notification.Id).WaitAsync(Timeout);
        var listed = await Store.ListDeliveriesAsync(notification.Id).WaitAsync(Timeout);

        Assert.Null(duplicate);
        Assert.Equal(notification, stored);
        Assert.Equal(2, listed.Count);
        var first = listed.Single(d => d.Id == deliveries[0].Id);
        Assert.Equal(["wa", "tg", "mail"], first.Route);
        Assert.Equal("wa", first.Channel);
        Assert.Equal("15550001", first.Addresses["*"]);
        Assert.Equal(DeliveryStatus.Accepted, first.Status);
        Assert.Equal(T0, first.CreatedAt);
    }

    [Fact]
    public async Task A_dedup_key_suppresses_repeats_until_its_cooldown_ends()
    {
        var first = NewNotification();
        var second = NewNotification();
        var third = NewNotification();

        Assert.Null(await Store.CreateNotificationAsync(first, [], "disk", T0.AddMinutes(5), T0).WaitAsync(Timeout));
        Assert.Equal(first.Id, await Store.CreateNotificationAsync(second, [NewDelivery(second.Id)], "disk", T0.AddMinutes(6), T0.AddMinutes(1)).WaitAsync(Timeout));
        Assert.Null(await Store.CreateNotificationAsync(third, [], "disk", T0.AddMinutes(10), T0.AddMinutes(5)).WaitAsync(Timeout));

        Assert.Null(await Store.GetNotificationAsync(second.Id).WaitAsync(Timeout));
        Assert.Empty(await Store.ListDeliveriesAsync(second.Id).WaitAsync(Timeout));
        Assert.NotNull(await Store.GetNotificationAsync(third.Id).WaitAsync(Timeout));
    }

    [Fact]
    public async Task Status_only_moves_forward_whatever_order_reports_arrive_in()
    {
        var delivery = NewDelivery();
        await Store.CreateDeliveriesAsync([delivery]).WaitAsync(Timeout);
        await Store.MarkAsync([delivery.Id], DeliveryStatus.Accepted, DeliveryStatus.Queued, T0).WaitAsync(Timeout);
        var sent = await Store.UpdateAsync(new DeliveryUpdate(delivery.Id, T0, [], DeliveryStatus.Sent, ProviderId: "wamid.1")).WaitAsync(Timeout);

        var read = await Store.UpdateByProviderIdAsync("wa", "wamid.1", DeliveryStatus.Read, null, null, T0).WaitAsync(Timeout);
        var lateDelivered = await Store.UpdateByProviderIdAsync("wa", "wamid.1", DeliveryStatus.Delivered, null, null, T0).WaitAsync(Timeout);
        var lateSent = await Store.UpdateByProviderIdAsync("wa", "wamid.1", DeliveryStatus.Sent, null, null, T0).WaitAsync(Timeout);
        var lateFailed = await Store.UpdateByProviderIdAsync("wa", "wamid.1", DeliveryStatus.Failed, "meta_1", "late", T0).WaitAsync(Timeout);
        var repeatedRead = await Store.UpdateByProviderIdAsync("wa", "wamid.1", DeliveryStatus.Read, null, null, T0).WaitAsync(Timeout);
        var unknown = await Store.UpdateByProviderIdAsync("wa", "wamid.404", DeliveryStatus.Read, null, null, T0).WaitAsync(Timeout);

        Assert.True(sent!.StatusChanged);
        Assert.True(read!.StatusChanged);
        Assert.False(lateDelivered!.StatusChanged);
        Assert.False(lateSent!.StatusChanged);
        Assert.False(lateFailed!.StatusChanged);
        Assert.False(repeatedRead!.StatusChanged);
        Assert.Null(unknown);
        var stored = await Store.GetDeliveryAsync(delivery.Id).WaitAsync(Timeout);
        Assert.Equal(DeliveryStatus.Read, stored!.Status);
        Assert.Null(stored.ErrorCode);
    }

    [Fact]
    public async Task Failed_ends_a_delivery_and_only_a_reopen_brings_it_back_to_its_first_hop()
    {
        var delivery = NewDelivery(route: ["wa", "tg"]);
        await Store.CreateDeliveriesAsync([delivery]).WaitAsync(Timeout);
        var attempt = new DeliveryAttempt(delivery.Id, "wa", T0, DeliveryAttempt.Rejected, 12, 400, "http_400", "bad");
        var moved = await Store.UpdateAsync(new DeliveryUpdate(delivery.Id, T0, [attempt], Hop: 1)).WaitAsync(Timeout);
        var failed = await Store.UpdateAsync(new DeliveryUpdate(delivery.Id, T0, [attempt with { Channel = "tg" }], DeliveryStatus.Failed,
            ErrorCode: "http_400", ErrorMessage: "bad")).WaitAsync(Timeout);
        var notSent = await Store.UpdateAsync(new DeliveryUpdate(delivery.Id, T0, [], DeliveryStatus.Sent)).WaitAsync(Timeout);

        Assert.Equal("tg", moved!.Delivery.Channel);
        Assert.Equal(1, moved.Delivery.Hop);
        Assert.True(failed!.StatusChanged);
        Assert.Equal("http_400", failed.Delivery.ErrorCode);
        Assert.False(notSent!.StatusChanged);

        Assert.True(await Store.ReopenAsync(delivery.Id, T0).WaitAsync(Timeout));
        Assert.False(await Store.ReopenAsync(delivery.Id, T0).WaitAsync(Timeout));
        var reopened = await Store.GetDeliveryAsync(delivery.Id).WaitAsync(Timeout);
        Assert.Equal(DeliveryStatus.Queued, reopened!.Status);
        Assert.Equal(0, reopened.Hop);
        Assert.Equal("wa", reopened.Channel);
        Assert.Null(reopened.ErrorCode);

        var attempts = await Store.ListAttemptsAsync([delivery.Id]).WaitAsync(Timeout);
        Assert.Equal(["wa", "tg"], attempts.Select(a => a.Channel));
        Assert.Equal(attempt, attempts[0]);
    }

    [Fact]
    public async Task A_delivery_keeps_its_first_provider_id_and_a_delivered_one_cannot_fail()
    {
        var delivery = NewDelivery();
        await Store.CreateDeliveriesAsync([delivery, delivery]).WaitAsync(Timeout);
        await Store.UpdateAsync(new DeliveryUpdate(delivery.Id, T0, [], DeliveryStatus.Sent, ProviderId: "first")).WaitAsync(Timeout);
        var delivered = await Store.UpdateAsync(new DeliveryUpdate(delivery.Id, T0, [], DeliveryStatus.Delivered, ProviderId: "second"))
            .WaitAsync(Timeout);
        var failed = await Store.UpdateAsync(new DeliveryUpdate(delivery.Id, T0, [], DeliveryStatus.Failed, ErrorCode: "x")).WaitAsync(Timeout);

        Assert.True(delivered!.StatusChanged);
        Assert.False(failed!.StatusChanged);
        Assert.Equal(DeliveryStatus.Delivered, failed.Delivery.Status);
        Assert.Equal("first", failed.Delivery.ProviderId);
        Assert.Null(await Store.UpdateAsync(new DeliveryUpdate(Guid.NewGuid(), T0, [])).WaitAsync(Timeout));
    }

    [Fact]
    public async Task A_provider_may_still_fail_a_message_it_accepted()
    {
        var delivery = NewDelivery();
        await Store.CreateDeliveriesAsync([delivery]).WaitAsync(Timeout);
        await Store.UpdateAsync(new DeliveryUpdate(delivery.Id, T0, [], DeliveryStatus.Sent, ProviderId: "wamid.9")).WaitAsync(Timeout);

        var failed = await Store.UpdateByProviderIdAsync("wa", "wamid.9", DeliveryStatus.Failed, "meta_131026", "Message undeliverable", T0)
            .WaitAsync(Timeout);
        var lateRead = await Store.UpdateByProviderIdAsync("wa", "wamid.9", DeliveryStatus.Read, null, null, T0).WaitAsync(Timeout);

        Assert.True(failed!.StatusChanged);
        Assert.False(lateRead!.StatusChanged);
        Assert.Equal(DeliveryStatus.Failed, lateRead.Delivery.Status);
        Assert.Equal("meta_131026", lateRead.Delivery.ErrorCode);
    }

    [Fact]
    public async Task Stale_accepted_deliveries_and_attempt_samples_are_listed()
    {
        var stale = NewDelivery();
        var queued = NewDelivery();
        await Store.CreateDeliveriesAsync([stale, queued]).WaitAsync(Timeout);
        await Store.MarkAsync([queued.Id], DeliveryStatus.Accepted, DeliveryStatus.Queued, T0).WaitAsync(Timeout);
        await Store.UpdateAsync(new DeliveryUpdate(queued.Id, T0.AddSeconds(1), [
            new DeliveryAttempt(queued.Id, "wa", T0, DeliveryAttempt.Retryable, 40, 503, "http_503", "down"),
            new DeliveryAttempt(queued.Id, "wa", T0.AddSeconds(1), DeliveryAttempt.Sent, 20, null, null, null)])).WaitAsync(Timeout);

        var listed = await Store.ListStaleAsync(DeliveryStatus.Accepted, T0.AddSeconds(1), 10).WaitAsync(Timeout);
        var samples = await Store.ListAttemptSamplesAsync(T0, 10).WaitAsync(Timeout);

        Assert.Equal([stale.Id], listed.Select(d => d.Id));
        Assert.Equal([new AttemptSample("wa", true, 20), new AttemptSample("wa", false, 40)], samples);
    }
    [Fact]
    public async Task Attachments_and_a_template_are_kept_with_the_delivery_through_every_change()
    {
        var notification = NewNotification();
        ChannelAttachment[] attachments =
        [
            new("https://cdn.example.com/chart.png", "image/png", null, "Disk usage — 7 days ✓"),
            new("https://cdn.example.com/q3.pdf?sig=a%2Fb&x=1", null, "Q3 \"report\".pdf", null),
        ];
        var template = new ChannelTemplate("disk_alert", "pt_BR", ["db-1", "93%", "ação"]);
        var delivery = NewDelivery(notification.Id, route: ["wa", "tg"]) with { Attachments = attachments, Template = template };
        var plain = NewDelivery(notification.Id);

        await Store.CreateNotificationAsync(notification, [delivery, plain], null, T0, T0).WaitAsync(Timeout);
        var listed = await Store.ListDeliveriesAsync(notification.Id).WaitAsync(Timeout);
        var sent = await Store.UpdateAsync(new DeliveryUpdate(delivery.Id, T0, [], DeliveryStatus.Sent, ProviderId: "wamid.5")).WaitAsync(Timeout);
        var read = await Store.UpdateByProviderIdAsync("wa", "wamid.5", DeliveryStatus.Read, null, null, T0).WaitAsync(Timeout);
        var stored = await Store.GetDeliveryAsync(delivery.Id).WaitAsync(Timeout);

        foreach (var d in new[] { listed.Single(d => d.Id == delivery.Id), sent!.Delivery, read!.Delivery, stored! })
        {
            Assert.Equal(attachments, d.Attachments!);
            Assert.Equal(template.Name, d.Template!.Name);
            Assert.Equal(template.Language, d.Template.Language);
            Assert.Equal(template.Parameters, d.Template.Parameters);
        }
        var withoutContent = listed.Single(d => d.Id == plain.Id);
        Assert.Null(withoutContent.Attachments);
        Assert.Null(withoutContent.Template);
    }

    [Fact]
    public async Task A_reopened_delivery_still_has_its_content_for_the_replay()
    {
        var delivery = NewDelivery() with
        {
            Attachments = [new ChannelAttachment("https://cdn.example.com/a.mp4", "video/mp4", "a.mp4", "clip")],
            Template = new ChannelTemplate("hello_world", "en_US", []),
        };
        await Store.CreateDeliveriesAsync([delivery]).WaitAsync(Timeout);
        await Store.UpdateAsync(new DeliveryUpdate(delivery.Id, T0, [], DeliveryStatus.Failed, ErrorCode: "http_503")).WaitAsync(Timeout);

        Assert.True(await Store.ReopenAsync(delivery.Id, T0).WaitAsync(Timeout));
        var stale = await Store.ListStaleAsync(DeliveryStatus.Queued, T0.AddSeconds(1), 10).WaitAsync(Timeout);

        var reopened = Assert.Single(stale);
        Assert.Equal(delivery.Attachments, reopened.Attachments!);
        Assert.Equal("hello_world", reopened.Template!.Name);
        Assert.Empty(reopened.Template.Parameters);
    }
}
