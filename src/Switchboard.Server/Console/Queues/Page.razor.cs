using Microsoft.AspNetCore.Components;
using Switchboard.Broker;
using Switchboard.Server.WebConsole.Account;
using Switchboard.Server.WebConsole.Live;
using Switchboard.Server.WebConsole.Shared;

namespace Switchboard.Server.WebConsole.Queues;

/// <summary>Every queue the caller may see with its counters and rates, live; and a form to create one.</summary>
public sealed partial class Page : IDisposable
{
    /// <summary>Problems about the queue's name, shown at the name field.</summary>
    private static readonly string[] NameCodes = ["invalid_name", "queue_exists"];

    private IReadOnlyList<(QueueInfo Queue, QueueStats Stats)> _queues = [];
    private Problem? _problem;
    private Problem? _createProblem;
    private string? _name;
    private int? _maxDeliveries;
    private IDisposable? _watch;

    [Inject]
    public required BrokerService Broker { get; init; }

    [Inject]
    public required BrokerActivity Activity { get; init; }

    [Inject]
    public required ConsoleCaller Caller { get; init; }

    [Inject]
    public required ConsoleFeed Feed { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    protected override async Task OnInitializedAsync()
    {
        await LoadAsync();
        if (RendererInfo.IsInteractive)
        {
            _watch = Feed.Watch(() => InvokeAsync(async () =>
            {
                await LoadAsync();
                StateHasChanged();
            }));
        }
    }

    private async Task LoadAsync() =>
        _problem = await Problem.TryAsync(async () => _queues = (await Broker.ListQueuesAsync(await Caller.GetAsync())).OrderBy(q => q.Queue.Name, StringComparer.Ordinal).ToArray());

    private string? Invalid(string field) => _createProblem?.For(field).Count > 0 ? "true" : null;

    private async Task CreateAsync()
    {
        QueueInfo? created = null;
        _createProblem = await Problem.TryAsync(async () =>
            created = await Broker.CreateQueueAsync(await Caller.GetAsync(), _name, new QueueSettingsInput { MaxDeliveries = _maxDeliveries }));
        if (created is not null)
        {
            Navigation.NavigateTo($"console/queues/{Uri.EscapeDataString(created.Name)}");
        }
    }

    public void Dispose() => _watch?.Dispose();
}
