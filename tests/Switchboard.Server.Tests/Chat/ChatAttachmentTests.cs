using System.Net;
using System.Security.Cryptography;
using Switchboard.Server.Tests.Files;

namespace Switchboard.Server.Tests.Chat;

/// <summary>Files and chat together over real HTTP: an uploaded file attached to a message reaches exactly the conversation's members.</summary>
public sealed class ChatAttachmentTests : IAsyncLifetime
{
    private ChatFixture _fixture = null!;

    public async Task InitializeAsync() => _fixture = await ChatFixture.StartAsync();

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task A_file_attached_to_a_message_downloads_for_members_and_stays_hidden_from_everyone_else()
    {
        var alice = await _fixture.CreateUserAsync("alice");
        var bob = await _fixture.CreateUserAsync("bob");
        var mallory = await _fixture.CreateUserAsync("mallory");
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        var tus = new TusClient(alice.Http);
        var location = await tus.CreateAsync(bytes.Length, "plan.pdf", "application/pdf", Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.Equal(bytes.Length, await tus.AppendAsync(location, 0, new ByteArrayContent(bytes)));
        var fileId = location[(location.LastIndexOf('/') + 1)..];
        var conversation = await alice.CreateConversationAsync("private", null, bob.Id);

        // Before the file is attached only its uploader may read it; afterwards the other member may too.
        await bob.GetAsync(location, HttpStatusCode.NotFound);
        var sent = await alice.PostAsync($"v1/conversations/{conversation}/messages",
            new { clientMessageId = "with-file", text = "the plan", attachments = new[] { fileId } }, HttpStatusCode.Created);
        using var download = await bob.Http.GetAsync(location);
        using var stranger = await mallory.Http.GetAsync(location);

        Assert.Equal(fileId, Assert.Single(sent.GetProperty("attachments").EnumerateArray()).GetString());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
    }

    [Fact]
    public async Task A_member_cannot_attach_someone_elses_file_or_an_unfinished_upload()
    {
        var alice = await _fixture.CreateUserAsync("alice");
        var bob = await _fixture.CreateUserAsync("bob");
        var conversation = await alice.CreateConversationAsync("private", null, bob.Id);
        var bobsFile = await new TusClient(bob.Http).CreateAsync(10);
        var unfinished = await new TusClient(alice.Http).CreateAsync(10);

        var stolen = await alice.PostAsync($"v1/conversations/{conversation}/messages",
            new { text = "mine now", attachments = new[] { bobsFile[(bobsFile.LastIndexOf('/') + 1)..] } }, HttpStatusCode.BadRequest);
        var partial = await alice.PostAsync($"v1/conversations/{conversation}/messages",
            new { text = "not yet", attachments = new[] { unfinished[(unfinished.LastIndexOf('/') + 1)..] } }, HttpStatusCode.BadRequest);

        Assert.Equal("invalid_attachment", stolen.GetProperty("code").GetString());
        Assert.Equal("invalid_attachment", partial.GetProperty("code").GetString());
    }
}
