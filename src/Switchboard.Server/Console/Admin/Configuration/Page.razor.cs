using Microsoft.AspNetCore.Components;
using Switchboard.Errors;
using Switchboard.Server.WebConsole.Account;
using Switchboard.Server.WebConsole.Shared;

namespace Switchboard.Server.WebConsole.Admin.Configuration;

/// <summary>The node's effective settings under Switchboard's own sections, secrets redacted. Admins only.</summary>
public sealed partial class Page
{
    private IReadOnlyList<KeyValuePair<string, string>> _settings = [];
    private Problem? _problem;
    private string? _filter;

    [Inject]
    public required IConfiguration Configuration { get; init; }

    [Inject]
    public required ConsoleCaller Caller { get; init; }

    protected override async Task OnInitializedAsync() => _problem = await Problem.TryAsync(async () =>
    {
        if (!(await Caller.GetAsync()).IsAdmin)
        {
            throw new SwitchboardException(ErrorCodes.Forbidden, "Only an administrator may read the configuration.");
        }
        _settings = ConfigurationView.Read(Configuration);
    });
}
