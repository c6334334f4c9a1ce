using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Switchboard.Server.Tests.Channels;

/// <summary>
/// WhatsApp Cloud API, Instagram Messaging, Telegram Bot API, Slack and Discord webhooks and a generic webhook receiver
/// in one small Kestrel app on loopback, answering with the real response shapes. <see cref="Behaviour"/> scripts
/// failures; every call is recorded. Like the real WhatsApp API given an idempotency key, a repeated key returns the
/// first message id instead of sending twice.
/// </summary>
internal sealed class FakeProviders : IAsyncDisposable
{
    public const string WhatsAppToken = "wa-token";
    public const string InstagramToken = "ig-token";
    public const string BotToken = "123:bot-token";
    public const string WebhookSecret = "hook-secret";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _sentByKey = new(StringComparer.Ordinal);
    private int _sequence;

    private FakeProviders(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public ConcurrentQueue<FakeCall> Calls { get; } = new();

    /// <summary>Decides each answer; null (or a null reply) is a success.</summary>
    public Func<FakeCall, FakeReply?>? Behaviour { get; set; }

    /// <summary>Awaited before answering a call: lets a test hold the provider while it builds a backlog.</summary>
    public Func<FakeCall, Task>? Gate { get; set; }

    /// <summary>Successful answers per idempotency key (the delivery id).</summary>
    public ConcurrentDictionary<string, int> SuccessesByKey { get; } = new(StringComparer.Ordinal);

    public IEnumerable<FakeCall> CallsTo(string provider) => Calls.Where(c => c.Provider == provider);

    public static async Task<FakeProviders> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeProviders(app);
        app.MapPost("/{version}/me/messages", (HttpContext c) => fake.HandleAsync(c, "instagram"));
        app.MapPost("/{version}/{phoneNumberId}/messages", (HttpContext c) => fake.HandleAsync(c, "whatsapp"));
        app.MapPost("/{bot}/sendMessage", (HttpContext c) => fake.HandleAsync(c, "telegram"));
        app.MapPost("/{bot}/sendPhoto", (HttpContext c) => fake.HandleAsync(c, "telegram"));
        app.MapPost("/{bot}/sendDocument", (HttpContext c) => fake.HandleAsync(c, "telegram"));
        app.MapPost("/slack/{*rest}", (HttpContext c) => fake.HandleAsync(c, "slack"));
        app.MapPost("/discord/{id}/{token}", (HttpContext c) => fake.HandleAsync(c, "discord"));
        app.MapPost("/hook", (HttpContext c) => fake.HandleAsync(c, "webhook"));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = new Uri(address.TrimEnd('/'));
        return fake;
    }

    /// <summary>Configuration for one instance of each HTTP provider, aimed at this fake.</summary>
    public Dictionary<string, string?> Settings(string prefix = "")
    {
        var url = BaseUrl.ToString().TrimEnd('/');
        return new Dictionary<string, string?>
        {
            [$"Channels:Instances:{prefix}wa:Type"] = "whatsapp",
            [$"Channels:Instances:{prefix}wa:BaseUrl"] = url,
            [$"Channels:Instances:{prefix}wa:Token"] = WhatsAppToken,
            [$"Channels:Instances:{prefix}wa:PhoneNumberId"] = "1055",
            [$"Channels:Instances:{prefix}wa:AppSecret"] = "wa-app-secret",
            [$"Channels:Instances:{prefix}wa:VerifyToken"] = "wa-verify",
            [$"Channels:Instances:{prefix}ig:Type"] = "instagram",
            [$"Channels:Instances:{prefix}ig:BaseUrl"] = url,
            [$"Channels:Instances:{prefix}ig:Token"] = InstagramToken,
            [$"Channels:Instances:{prefix}ig:AppSecret"] = "ig-app-secret",
            [$"Channels:Instances:{prefix}tg:Type"] = "telegram",
            [$"Channels:Instances:{prefix}tg:BaseUrl"] = url,
            [$"Channels:Instances:{prefix}tg:BotToken"] = BotToken,
            [$"Channels:Instances:{prefix}tg:SecretToken"] = "tg-secret",
            [$"Channels:Instances:{prefix}slack:Type"] = "slack",
            [$"Channels:Instances:{prefix}slack:WebhookUrl"] = $"{url}/slack/T000/B000/XXXX",
            [$"Channels:Instances:{prefix}discord:Type"] = "discord",
            [$"Channels:Instances:{prefix}discord:WebhookUrl"] = $"{url}/discord/42/dtoken",
            [$"Channels:Instances:{prefix}hook:Type"] = "webhook",
            [$"Channels:Instances:{prefix}hook:WebhookUrl"] = $"{url}/hook",
            [$"Channels:Instances:{prefix}hook:Secret"] = WebhookSecret,
        };
    }

    private async Task HandleAsync(HttpContext context, string provider)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var raw = await reader.ReadToEndAsync();
        var call = new FakeCall(provider, context.Request.Path + context.Request.QueryString, raw, JsonNode.Parse(raw),
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            Interlocked.Increment(ref _sequence));
        Calls.Enqueue(call);
        if (Gate is { } gate)
        {
            await gate(call);
        }
        var reply = Behaviour?.Invoke(call);
        if (reply is not null)
        {
            if (reply.Delay > TimeSpan.Zero)
            {
                await Task.Delay(reply.Delay, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            }
            context.Response.StatusCode = reply.Status;
            if (reply.RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = reply.RetryAfter;
            }
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(reply.Body);
            return;
        }
        var key = call.IdempotencyKey;
        if (key is not null)
        {
            SuccessesByKey.AddOrUpdate(key, 1, (_, n) => n + 1);
        }
        var n = call.Sequence;
        string body;
        switch (provider)
        {
            case "whatsapp":
                if (call.Header("Authorization") != $"Bearer {WhatsAppToken}")
                {
                    context.Response.StatusCode = 401;
                    await context.Response.WriteAsync("""{"error":{"message":"Invalid OAuth access token.","type":"OAuthException","code":190}}""");
                    return;
                }
                var id = key is null ? $"wamid.{n}" : _sentByKey.GetOrAdd(key, $"wamid.{n}");
                body = $$$"""{"messaging_product":"whatsapp","contacts":[{"input":"{{{call.Json?["to"]}}}","wa_id":"{{{call.Json?["to"]}}}"}],"messages":[{"id":"{{{id}}}"}]}""";
                break;
            case "instagram":
                body = $$"""{"recipient_id":"{{call.Json?["recipient"]?["id"]}}","message_id":"mid.{{n}}"}""";
                break;
            case "telegram":
                body = $$$"""{"ok":true,"result":{"message_id":{{{n}}},"chat":{"id":{{{call.Json?["chat_id"]}}},"type":"private"},"date":1700000000,"text":"x"}}""";
                break;
            case "slack":
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("ok");
                return;
            case "discord":
                body = $$"""{"id":"11{{n:D8}}","type":0,"channel_id":"42","content":""}""";
                break;
            default:
                body = $$"""{"id":"hook-{{n}}"}""";
                break;
        }
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body);
    }

    /// <summary>Signs a Meta webhook body the way Meta does: <c>sha256=</c> + hex HMAC-SHA256 of the raw body with the app secret.</summary>
    public static string MetaSignature(string body, string appSecret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), Encoding.UTF8.GetBytes(body)));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed record FakeCall(string Provider, string Path, string Raw, JsonNode? Json, IReadOnlyDictionary<string, string> Headers, int Sequence)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string? IdempotencyKey => Header("Idempotency-Key");
}

internal sealed record FakeReply(int Status, string Body = "{}", string? RetryAfter = null, TimeSpan Delay = default);
