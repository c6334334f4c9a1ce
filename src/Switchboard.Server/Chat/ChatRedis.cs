using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Switchboard.Operations;

namespace Switchboard.Server.Chat;

/// <summary>
/// The one Redis connection of this node, shared by the SignalR backplane and the presence store, and checked by
/// <c>/readyz</c>. It connects lazily and keeps retrying in the background, so a Redis outage makes the node unready
/// instead of stopping it from starting.
/// </summary>
internal sealed class ChatRedis : IReadinessCheck, IAsyncDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _connection;

    public ChatRedis(IOptions<ChatRedisOptions> options)
    {
        var settings = options.Value;
        Prefix = settings.Prefix;
        _connection = new(() => ConnectAsync(settings.Configuration!), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string Prefix { get; }

    public string Name => "chat:redis";

    public Task<IConnectionMultiplexer> GetAsync() => _connection.Value;

    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var connection = await GetAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        await connection.GetDatabase().PingAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IConnectionMultiplexer> ConnectAsync(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.ClientName ??= "switchboard";
        return await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            await _connection.Value.Result.DisposeAsync().ConfigureAwait(false);
        }
    }
}
