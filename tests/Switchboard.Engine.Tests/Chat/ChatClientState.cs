using System.Globalization;
using System.Text;
using Switchboard.Chat;

namespace Switchboard.Engine.Tests.Chat;

/// <summary>What a chat client holds of one conversation: messages by id and receipts by user.</summary>
internal sealed class ChatClientState
{
    private readonly Dictionary<Guid, ChatMessage> _messages = [];
    private readonly Dictionary<string, ReadReceipt> _receipts = new(StringComparer.Ordinal);

    public long Seq { get; private set; }

    public long ChangeSeq { get; private set; }

    public void Apply(ChatMessage message) => _messages[message.Id] = message;

    public void Apply(ReadReceipt receipt) => _receipts[receipt.UserId] = receipt;

    /// <summary>Applies one sync answer and moves the client's position to where the next sync continues.</summary>
    public void Apply(SyncResult sync)
    {
        foreach (var message in sync.Messages.Concat(sync.Changed))
        {
            Apply(message);
        }
        foreach (var receipt in sync.Receipts)
        {
            Apply(receipt);
        }
        Seq = sync.NextSeq;
        ChangeSeq = sync.LastChangeSeq;
    }

    /// <summary>A canonical text of the whole state, for comparing two clients.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        foreach (var m in _messages.Values.OrderBy(m => m.Seq))
        {
            text.Append(CultureInfo.InvariantCulture, $"#{m.Seq} {m.Id} by {m.SenderId} change {m.ChangeSeq} '{m.Text}' files [{string.Join(",", m.Attachments)}] ");
            text.Append(CultureInfo.InvariantCulture, $"edited {m.EditedAt?.ToUnixTimeMilliseconds()} deleted {m.DeletedAt?.ToUnixTimeMilliseconds()} reactions ");
            foreach (var (emoji, users) in m.Reactions.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                text.Append(CultureInfo.InvariantCulture, $"{emoji}:{string.Join("+", users.Order(StringComparer.Ordinal))} ");
            }
            text.AppendLine();
        }
        foreach (var r in _receipts.Values.OrderBy(r => r.UserId, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"receipt {r.UserId} read {r.ReadSeq} delivered {r.DeliveredSeq} at {r.At.ToUnixTimeMilliseconds()}");
        }
        return text.ToString();
    }
}
