using Switchboard.Chat;
using Switchboard.Errors;

namespace Switchboard.Engine.Tests.Chat;

public abstract partial class ChatStoreConformance
{
    [Fact]
    public async Task Search_finds_every_word_in_conversations_of_the_caller_newest_first()
    {
        var (alice, bob, carol) = (await NewUserAsync("alice"), await NewUserAsync("bob"), await NewUserAsync("carol"));
        var withBob = await PrivateAsync(alice, bob);
        var withCarol = await PrivateAsync(alice, carol);
        var room = await RoomAsync(bob, "public");
        var first = await SendAsync(alice, withBob.Id, "The quick brown fox jumps");
        var second = await SendAsync(bob, withBob.Id, "A lazy dog and a QUICK cat");
        var third = await SendAsync(carol, withCarol.Id, "quick thinking, Café crème");
        await SendAsync(bob, room.Id, "quick in a room alice never joined");
        var gone = await SendAsync(alice, withBob.Id, "quick but deleted");
        await Chat.DeleteMessageAsync(alice, withBob.Id, gone.Id).WaitAsync(Timeout);
        await Chat.EditAsync(alice, withBob.Id, first.Id, "The slow brown fox").WaitAsync(Timeout);

        var quick = await Chat.SearchAsync(alice, "quick", null, null, null).WaitAsync(Timeout);
        var both = await Chat.SearchAsync(alice, "  LAZY   cat ", null, null, null).WaitAsync(Timeout);
        var notAdjacent = await Chat.SearchAsync(alice, "dog cat", null, null, null).WaitAsync(Timeout);
        var missing = await Chat.SearchAsync(alice, "lazy fox", null, null, null).WaitAsync(Timeout);
        var onlyBob = await Chat.SearchAsync(alice, "quick", withBob.Id, null, null).WaitAsync(Timeout);
        var edited = await Chat.SearchAsync(alice, "slow", null, null, null).WaitAsync(Timeout);
        var accented = await Chat.SearchAsync(alice, "café", null, null, null).WaitAsync(Timeout);
        var bobs = await Chat.SearchAsync(bob, "quick", null, null, null).WaitAsync(Timeout);
        var carols = await Chat.SearchAsync(carol, "fox", null, null, null).WaitAsync(Timeout);
        await FailsAsync(ErrorCodes.NotAMember, () => Chat.SearchAsync(alice, "quick", room.Id, null, null));

        Assert.Equal([third.Id, second.Id], quick.Items.Select(m => m.Id));
        Assert.Equal([second.Id], both.Items.Select(m => m.Id));
        Assert.Equal([second.Id], notAdjacent.Items.Select(m => m.Id));
        Assert.Empty(missing.Items);
        Assert.Equal([second.Id], onlyBob.Items.Select(m => m.Id));
        Assert.Equal([first.Id], edited.Items.Select(m => m.Id));
        Assert.Equal([third.Id], accented.Items.Select(m => m.Id));
        Assert.Equal(2, bobs.Items.Count);
        Assert.Empty(carols.Items);
    }

    [Fact]
    public async Task Search_pages_with_a_cursor()
    {
        var (alice, bob) = (await NewUserAsync("alice"), await NewUserAsync("bob"));
        var conversation = await PrivateAsync(alice, bob);
        var sent = new List<ChatMessage>();
        for (var i = 0; i < 7; i++)
        {
            sent.Add(await SendAsync(alice, conversation.Id, $"needle number {i}"));
        }

        var first = await Chat.SearchAsync(bob, "needle", null, 3, null).WaitAsync(Timeout);
        var second = await Chat.SearchAsync(bob, "needle", null, 3, first.NextCursor).WaitAsync(Timeout);
        var third = await Chat.SearchAsync(bob, "needle", null, 3, second.NextCursor).WaitAsync(Timeout);
        await FailsAsync(ErrorCodes.ValidationFailed, () => Chat.SearchAsync(bob, "needle", null, 3, "bogus"));

        Assert.Equal(sent.AsEnumerable().Reverse().Select(m => m.Id), first.Items.Concat(second.Items).Concat(third.Items).Select(m => m.Id));
        Assert.Null(third.NextCursor);
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("\"unbalanced quote")]
    [InlineData("*")]
    [InlineData("quick*")]
    [InlineData("NEAR(")]
    [InlineData("NEAR(quick fox, 2)")]
    [InlineData("quick AND")]
    [InlineData("OR")]
    [InlineData("NOT quick")]
    [InlineData("(quick")]
    [InlineData(")")]
    [InlineData("^quick")]
    [InlineData("-quick")]
    [InlineData("text:quick")]
    [InlineData("{text}: quick")]
    [InlineData("'; DROP TABLE chat_messages; --")]
    [InlineData("\\")]
    [InlineData("%_")]
    [InlineData("😀")]
    [InlineData("日本語のテキスト")]
    [InlineData("a\u0000b")]
    [InlineData("ＱＵＩＣＫ")]
    [InlineData("   ")]
    [InlineData("")]
    [InlineData("quick & fox | cat ! <->")]
    public async Task Odd_search_input_is_answered_or_refused_with_a_4xx_never_an_error(string query)
    {
        var (alice, bob) = (await NewUserAsync("alice"), await NewUserAsync("bob"));
        var conversation = await PrivateAsync(alice, bob);
        await SendAsync(alice, conversation.Id, "the quick fox 日本語のテキスト");

        try
        {
            var page = await Chat.SearchAsync(alice, query, null, null, null).WaitAsync(Timeout);
            Assert.All(page.Items, m => Assert.Equal(conversation.Id, m.ConversationId));
        }
        catch (SwitchboardException ex)
        {
            Assert.InRange(ex.Error.Status, 400, 499);
        }
        await FailsAsync(ErrorCodes.ValidationFailed, () => Chat.SearchAsync(alice, new string('q', 501), null, null, null));
    }
}
