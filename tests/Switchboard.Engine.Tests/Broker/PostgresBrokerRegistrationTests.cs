using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Broker;
using Switchboard.Engine.Tests.Infrastructure;
using Switchboard.Postgres;
using Switchboard.Postgres.Broker;
using Switchboard.Storage;

namespace Switchboard.Engine.Tests.Broker;

public sealed class PostgresBrokerRegistrationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_engine_registers_the_broker_store_and_starts_it_after_migrating()
    {
        var connectionString = await TestDatabases.NewPostgresDatabaseAsync().WaitAsync(Timeout);
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddOptions<StorageOptions>().Configure(o => o.Postgres.ConnectionString = connectionString);
        services.AddOptions<BrokerOptions>();
        services.AddSingleton<BrokerMetrics>();
        services.AddPostgresEngine();
        await using var provider = services.BuildServiceProvider();
        // Hosted services start in registration order, as the host starts them.
        var hosted = provider.GetServices<IHostedService>().ToArray();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None).WaitAsync(Timeout);
        }

        var store = provider.GetRequiredService<IBrokerStore>();
        await store.CreateQueueAsync("q", QueueSettings.Default("q")).WaitAsync(Timeout);
        await store.PublishAsync("q", [new OutgoingMessage(Encoding.UTF8.GetBytes("x"))]).WaitAsync(Timeout);

        Assert.IsType<PostgresBrokerStore>(store);
        Assert.Equal("x", Encoding.UTF8.GetString(Assert.Single(await store.ReceiveAsync("q", 1, null, TimeSpan.Zero).WaitAsync(Timeout)).Body.Span));
        await WaitUntilAsync(() => ((PostgresBrokerStore)store).IsSweeping);
        foreach (var service in hosted.Reverse())
        {
            await service.StopAsync(CancellationToken.None).WaitAsync(Timeout);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The expected state was not reached in time.");
            await Task.Delay(50);
        }
    }
}
