using Microsoft.AspNetCore.Components;
using Switchboard.Notifications;
using Switchboard.Server.WebConsole.Account;
using Switchboard.Server.WebConsole.Shared;

namespace Switchboard.Server.WebConsole.Notifications;

/// <summary>Sends a notification through <see cref="NotificationService"/>, the call behind <c>POST /v1/notifications</c>, and opens one by id.</summary>
public sealed partial class Page
{
    private string? _title = "Test from the console";
    private string? _content = "This is a test notification sent from the Switchboard console.";
    private string _severity = "info";
    private string? _channels = "all";
    private string? _recipient;
    private string? _id;
    private string? _idError;
    private Problem? _problem;
    private NotificationAccepted? _accepted;

    [Inject]
    public required NotificationService Notifications { get; init; }

    [Inject]
    public required ConsoleCaller Caller { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    private string? Invalid(string field) => _problem?.For(field).Count > 0 ? "true" : null;

    private async Task SendAsync()
    {
        _accepted = null;
        _problem = await Problem.TryAsync(async () =>
        {
            var channels = (_channels ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            IReadOnlyList<IReadOnlyDictionary<string, string>>? recipients = string.IsNullOrWhiteSpace(_recipient)
                ? null
                : [new Dictionary<string, string>(StringComparer.Ordinal) { ["*"] = _recipient.Trim() }];
            var request = new NotificationRequest(_title, _content, _severity, null, channels.Length == 0 ? null : channels, null, recipients, null, null);
            _accepted = await Notifications.SendAsync(await Caller.GetAsync(), request);
        });
    }

    private void Open()
    {
        if (Guid.TryParse(_id?.Trim(), out var id))
        {
            _idError = null;
            Navigation.NavigateTo($"console/notifications/{id}");
        }
        else
        {
            _idError = "A notification id is a UUID, such as 0193f1c2-…";
        }
    }
}
