using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Switchboard.Server.Tests.Generated;
using Switchboard.Server.Tests.Generated.Models;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.Platform;

/// <summary>
/// The client Kiota generates from the document (committed under <c>Generated/</c>; docs/api.md says how to
/// regenerate it) works against the server with its generated types. Its HTTP client checks the contract too.
/// </summary>
public sealed class GeneratedClientTests : IAsyncLifetime
{
    private RunningServer _server = null!;
    private HttpClient _http = null!;
    private SwitchboardApiClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        _http = _server.CreateClient(await _server.LoginAsync());
        var adapter = new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: _http)
        {
            BaseUrl = _server.BaseAddress.ToString().TrimEnd('/'),
        };
        _client = new SwitchboardApiClient(adapter);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Publishes_one_message_and_reads_its_id_and_duplicate_flag()
    {
        using var created = await _http.PostAsJsonAsync("v1/queues", new { name = "kiota" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var first = await _client.V1.Queues["kiota"].Messages.PostAsync(new PublishRequest { Body = "hello", IdempotencyKey = "k1" }, cancellationToken: timeout.Token);
        var again = await _client.V1.Queues["kiota"].Messages.PostAsync(new PublishRequest { Body = "hello", IdempotencyKey = "k1" }, cancellationToken: timeout.Token);

        Assert.NotNull(first?.PublishedResponse?.Id);
        Assert.False(first.PublishedResponse.Duplicate);
        Assert.Equal(first.PublishedResponse.Id, again?.PublishedResponse?.Id);
        Assert.True(again!.PublishedResponse!.Duplicate);
    }

    [Fact]
    public async Task Reads_a_kv_bucket()
    {
        using var put = await _http.PutAsync("v1/kv/kiota", null);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var bucket = await _client.V1.Kv["kiota"].GetAsync(cancellationToken: timeout.Token);

        Assert.Equal("kiota", bucket?.KvBucketResponse?.Name);
        Assert.NotNull(bucket!.KvBucketResponse!.Stats);
    }

    [Fact]
    public async Task Pages_a_conversations_messages()
    {
        using var created = await _http.PostAsJsonAsync("v1/conversations", new { kind = "room", name = "kiota" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        foreach (var text in new[] { "one", "two", "three" })
        {
            using var sent = await _http.PostAsJsonAsync($"v1/conversations/{id}/messages", new { clientMessageId = text, text });
            Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var newest = await _client.V1.Conversations[id].Messages.GetAsync(r => r.QueryParameters.Limit = 2, timeout.Token);
        var before = newest!.Items!.Min(m => m.Seq);
        var older = await _client.V1.Conversations[id].Messages.GetAsync(r => { r.QueryParameters.Limit = 2; r.QueryParameters.Before = before; }, timeout.Token);

        Assert.Equal(["two", "three"], newest.Items!.Select(m => m.Text));
        Assert.Equal(["one"], older!.Items!.Select(m => m.Text));
    }
}
