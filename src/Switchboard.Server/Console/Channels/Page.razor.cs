using Microsoft.AspNetCore.Components;
using Switchboard.Channels;
using Switchboard.Server.WebConsole.Account;
using Switchboard.Server.WebConsole.Shared;

namespace Switchboard.Server.WebConsole.Channels;

/// <summary>
/// Channel instances with their health and circuit, enable/disable, and the delivery dead-letter queue with replay:
/// the calls behind <c>/v1/channels</c> and <c>/v1/deliveries/dlq</c>, with the same <c>channels:manage</c> scope.
/// </summary>
public sealed partial class Page
{
    private const int DeadLetterLimit = 100;
    private IReadOnlyList<ChannelStats> _stats = [];
    private IReadOnlyList<DeadLetter> _deadLetters = [];
    private Problem? _problem;
    private string? _status;

    [Inject]
    public required ChannelStatsQuery Stats { get; init; }

    [Inject]
    public required ChannelRegistry Registry { get; init; }

    [Inject]
    public required DeliveryDeadLetters DeadLetters { get; init; }

    [Inject]
    public required ConsoleCaller Caller { get; init; }

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task DemandAsync() => (await Caller.GetAsync()).Demand("channels", "manage");

    private async Task LoadAsync() => _problem = await Problem.TryAsync(async () =>
    {
        await DemandAsync();
        _stats = await Stats.GetAsync(CancellationToken.None);
        _deadLetters = await DeadLetters.ListAsync(DeadLetterLimit, CancellationToken.None);
    });

    private async Task SetEnabledAsync(string name, bool enabled)
    {
        _problem = await Problem.TryAsync(async () =>
        {
            await DemandAsync();
            Registry.SetEnabled(name, enabled);
        });
        await LoadAsync();
    }

    private async Task ReplayAsync()
    {
        _problem = await Problem.TryAsync(async () =>
        {
            await DemandAsync();
            var replayed = await DeadLetters.ReplayAsync(null, CancellationToken.None);
            _status = $"Replayed {replayed.Count} deliveries.";
        });
        await LoadAsync();
    }
}
