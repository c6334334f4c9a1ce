using Switchboard.Broker;
using Switchboard.Channels;
using Switchboard.Testing;

namespace Switchboard.Core.Tests.Architecture;

/// <summary>
/// Dependencies point one way: chat → channels → broker. Channels and the broker must compile without chat, so a
/// feature built on channels (alerts) does not drag chat in; chat's answers come back through interfaces channels owns.
/// </summary>
public sealed class DependencyDirectionTests
{
    private static readonly string[] Lower = ["Switchboard.Channels", "Switchboard.Broker"];

    [Fact]
    public void No_type_of_channels_or_the_broker_refers_to_chat()
    {
        var offending = typeof(DeliveryProcessor).Assembly.GetTypes()
            .Where(t => !t.IsNested && InNamespace(t, Lower))
            .SelectMany(t => TypeReferences.Of(t).Where(r => InNamespace(r, ["Switchboard.Chat"])).Select(r => $"{t.FullName} -> {r.FullName}"))
            .ToList();

        Assert.Empty(offending);
    }

    [Fact]
    public void No_type_of_the_broker_refers_to_channels()
    {
        var offending = typeof(BrokerService).Assembly.GetTypes()
            .Where(t => !t.IsNested && InNamespace(t, ["Switchboard.Broker"]))
            .SelectMany(t => TypeReferences.Of(t).Where(r => InNamespace(r, ["Switchboard.Channels", "Switchboard.Chat"])).Select(r => $"{t.FullName} -> {r.FullName}"))
            .ToList();

        Assert.Empty(offending);
    }

    [Fact]
    public void The_reference_scan_sees_signatures_and_method_bodies()
    {
        // A scan that found nothing would pass the tests above vacuously: check it finds what is known to be there.
        var processor = TypeReferences.Of(typeof(DeliveryProcessor));
        Assert.Contains(typeof(BrokerService), processor); // a constructor parameter
        Assert.Contains(typeof(DeliveryTicket), processor); // used only inside method bodies and lambdas
        var hooks = TypeReferences.Of(typeof(DeliveryProcessor).Assembly.GetType("Switchboard.Chat.ChatChannelHooks", throwOnError: true)!);
        Assert.Contains(typeof(IConversationRecipients), hooks);
    }

    private static bool InNamespace(Type type, string[] namespaces) =>
        type.Namespace is { } name && namespaces.Any(n => name == n || name.StartsWith(n + ".", StringComparison.Ordinal));
}
