using Microsoft.AspNetCore.Components;
using Switchboard.Identity;
using Switchboard.Server.WebConsole.Account;
using Switchboard.Server.WebConsole.Shared;

namespace Switchboard.Server.WebConsole.Admin.ApiKeys;

/// <summary>The caller's API keys (admins: everyone's) through <see cref="ApiKeyService"/>; a new key's secret is shown once.</summary>
public sealed partial class Page
{
    private IReadOnlyList<ApiKey> _keys = [];
    private Problem? _problem;
    private Problem? _createProblem;
    private string? _name;
    private string? _scopes;
    private string? _secret;
    private bool _all;
    private bool _isAdmin;

    [Inject]
    public required ApiKeyService ApiKeys { get; init; }

    [Inject]
    public required ConsoleCaller Caller { get; init; }

    protected override Task OnInitializedAsync() => LoadAsync();

    private async Task LoadAsync() => _problem = await Problem.TryAsync(async () =>
    {
        var caller = await Caller.GetAsync();
        caller.Demand("apikeys", "manage");
        _isAdmin = caller.Can("users", "read");
        _keys = await ApiKeys.ListAsync(caller, _all && _isAdmin);
    });

    private string? Invalid(string field) => _createProblem?.For(field).Count > 0 ? "true" : null;

    private async Task CreateAsync()
    {
        _secret = null;
        _createProblem = await Problem.TryAsync(async () =>
        {
            var caller = await Caller.GetAsync();
            caller.Demand("apikeys", "manage");
            var scopes = (_scopes ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var created = await ApiKeys.CreateAsync(caller, _name, scopes, null);
            _secret = created.Key;
            _name = null;
            _scopes = null;
        });
        await LoadAsync();
    }

    private async Task RevokeAsync(Guid id)
    {
        _problem = await Problem.TryAsync(async () =>
        {
            var caller = await Caller.GetAsync();
            caller.Demand("apikeys", "manage");
            await ApiKeys.RevokeAsync(caller, id);
        });
        if (_problem is null)
        {
            await LoadAsync();
        }
    }

    private async Task ToggleAllAsync(ChangeEventArgs change)
    {
        _all = change.Value is true;
        await LoadAsync();
    }
}
