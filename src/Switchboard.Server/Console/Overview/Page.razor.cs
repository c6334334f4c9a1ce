using System.Globalization;
using Microsoft.AspNetCore.Components;
using Switchboard.Broker;
using Switchboard.Channels;
using Switchboard.Server.WebConsole.Account;
using Switchboard.Server.WebConsole.Live;
using Switchboard.Server.WebConsole.Shared;

namespace Switchboard.Server.WebConsole.Overview;

/// <summary>The hub at a glance: broker rates, the busiest queues, channel outcomes and this node's load, live.</summary>
public sealed partial class Page : IDisposable
{
    private const int TopQueues = 10;

    /// <summary>Channel numbers come from the delivery log: re-read every fifth tick, not every tick.</summary>
    private const int ChannelEvery = 5;

    private IReadOnlyList<QueueStats> _queues = [];
    private IReadOnlyList<ChannelStats>? _channels;
    private IReadOnlyList<OverviewSample> _history = [];
    private OverviewSample? _latest;
    private Problem? _problem;
    private IDisposable? _watch;
    private int _ticks;

    [Inject]
    public required BrokerService Broker { get; init; }

    [Inject]
    public required ChannelStatsQuery ChannelStats { get; init; }

    [Inject]
    public required ConsoleCaller Caller { get; init; }

    [Inject]
    public required ConsoleFeed Feed { get; init; }

    protected override async Task OnInitializedAsync()
    {
        await LoadAsync(channels: true);
        if (RendererInfo.IsInteractive)
        {
            _watch = Feed.Watch(() => InvokeAsync(async () =>
            {
                await LoadAsync(channels: ++_ticks % ChannelEvery == 0);
                StateHasChanged();
            }));
        }
    }

    private async Task LoadAsync(bool channels)
    {
        _history = Feed.History;
        _latest = _history.Count > 0 ? _history[^1] : null;
        _problem = await Problem.TryAsync(async () =>
        {
            var caller = await Caller.GetAsync();
            _queues = (await Broker.ListQueuesAsync(caller)).Select(q => q.Stats)
                .OrderByDescending(s => s.Depth).ThenBy(s => s.Name, StringComparer.Ordinal).Take(TopQueues).ToArray();
            if (channels && caller.Can("channels", "manage"))
            {
                _channels = await ChannelStats.GetAsync(CancellationToken.None);
            }
        });
    }

    private IReadOnlyList<double> Series(Func<OverviewSample, double> value) => _history.Select(value).ToArray();

    private static string Rate(double? value) => (value ?? 0).ToString("0.##", CultureInfo.InvariantCulture);

    internal static string Age(double? seconds) => seconds switch
    {
        null => "–",
        < 60 => $"{seconds:0} s",
        < 3600 => $"{seconds / 60:0} min",
        _ => $"{seconds / 3600:0.#} h",
    };

    public void Dispose() => _watch?.Dispose();
}
