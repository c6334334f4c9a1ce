using Microsoft.AspNetCore.Components;
using Switchboard.Notifications;
using Switchboard.Server.WebConsole.Account;
using Switchboard.Server.WebConsole.Live;
using Switchboard.Server.WebConsole.Shared;

namespace Switchboard.Server.WebConsole.Notification;

/// <summary>
/// One notification with every delivery and attempt, and why nothing was sent if so: <c>GET /v1/notifications/{id}</c>.
/// It follows the deliveries live while any is still on its way.
/// </summary>
public sealed partial class Page : IDisposable
{
    private static readonly HashSet<string> Settled = ["sent", "delivered", "read", "failed"];
    private NotificationDetails? _details;
    private Problem? _problem;
    private IDisposable? _watch;

    [Parameter]
    public Guid Id { get; set; }

    [Inject]
    public required NotificationService Notifications { get; init; }

    [Inject]
    public required ConsoleCaller Caller { get; init; }

    [Inject]
    public required ConsoleFeed Feed { get; init; }

    protected override async Task OnParametersSetAsync()
    {
        _watch?.Dispose();
        _watch = null;
        await LoadAsync();
        if (RendererInfo.IsInteractive && Pending)
        {
            _watch = Feed.Watch(() => InvokeAsync(async () =>
            {
                await LoadAsync();
                if (!Pending)
                {
                    _watch?.Dispose();
                }
                StateHasChanged();
            }));
        }
    }

    private bool Pending => _details?.Deliveries.Any(d => !Settled.Contains(d.Status)) == true;

    private async Task LoadAsync() =>
        _problem = await Problem.TryAsync(async () => _details = await Notifications.GetAsync(await Caller.GetAsync(), Id));

    public void Dispose() => _watch?.Dispose();
}
