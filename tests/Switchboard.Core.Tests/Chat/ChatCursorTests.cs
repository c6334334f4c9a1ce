using Switchboard.Chat;
using Switchboard.Errors;

namespace Switchboard.Core.Tests.Chat;

public sealed class ChatCursorTests
{
    [Fact]
    public void Cursors_round_trip()
    {
        var conversation = new ConversationCursor(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123), Guid.CreateVersion7());
        var room = Guid.CreateVersion7();

        Assert.Equal(conversation, ChatCursor.DecodeConversation(ChatCursor.EncodeConversation(conversation)));
        Assert.Equal(room, ChatCursor.DecodeRoom(ChatCursor.EncodeRoom(room)));
        Assert.Equal(42, ChatCursor.DecodePosition(ChatCursor.EncodePosition(42)));
    }

    [Fact]
    public void No_cursor_means_the_first_page()
    {
        Assert.Null(ChatCursor.DecodeConversation(null));
        Assert.Null(ChatCursor.DecodeRoom(""));
        Assert.Null(ChatCursor.DecodePosition(null));
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("AAAA")]
    [InlineData("LTE")]
    public void Cursors_the_server_did_not_write_are_a_validation_error(string cursor)
    {
        Assert.Equal(ErrorCodes.ValidationFailed, Assert.Throws<SwitchboardException>(() => ChatCursor.DecodeConversation(cursor)).Error);
        Assert.Equal(ErrorCodes.ValidationFailed, Assert.Throws<SwitchboardException>(() => ChatCursor.DecodeRoom(cursor)).Error);
        Assert.Equal(ErrorCodes.ValidationFailed, Assert.Throws<SwitchboardException>(() => ChatCursor.DecodePosition(cursor)).Error);
    }

    [Fact]
    public void Sync_continues_after_the_last_message_returned_while_more_follow()
    {
        var message = new ChatMessage(Guid.NewGuid(), Guid.NewGuid(), 7, 0, "u", null, "t", [], null, [],
            new Dictionary<string, IReadOnlyList<string>>(), DateTimeOffset.UnixEpoch, null, null);

        Assert.Equal(7, new SyncResult([message], [], [], 20, 3, true).NextSeq);
        Assert.Equal(20, new SyncResult([message], [], [], 20, 3, false).NextSeq);
        Assert.Equal(20, new SyncResult([], [], [], 20, 3, false).NextSeq);
    }
}
