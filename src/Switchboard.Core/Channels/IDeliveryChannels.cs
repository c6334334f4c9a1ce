namespace Switchboard.Channels;

/// <summary>The channel instances a message may name (configured under <c>Channels:Instances:&lt;name&gt;</c>).</summary>
public interface IDeliveryChannels
{
    /// <summary>Every enabled instance, in name order; what <c>["all"]</c> expands to.</summary>
    IReadOnlyList<string> Enabled { get; }

    bool IsEnabled(string name);
}
