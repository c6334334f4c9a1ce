using Microsoft.AspNetCore.Components;
using Switchboard.Identity;
using Switchboard.Server.WebConsole.Account;
using Switchboard.Server.WebConsole.Shared;

namespace Switchboard.Server.WebConsole.Admin.Users;

/// <summary>User administration through <see cref="UserService"/>, with the scopes <c>/v1/admin/users</c> demands.</summary>
public sealed partial class Page
{
    private readonly List<UserAccount> _users = [];
    private string? _next;
    private Problem? _problem;
    private Problem? _createProblem;
    private string? _username;
    private string? _password;
    private string _role = Roles.User;

    [Inject]
    public required UserService Users { get; init; }

    [Inject]
    public required ConsoleCaller Caller { get; init; }

    protected override Task OnInitializedAsync() => ReloadAsync();

    private async Task ReloadAsync()
    {
        _users.Clear();
        _next = null;
        await MoreAsync();
    }

    private async Task MoreAsync() => _problem = await Problem.TryAsync(async () =>
    {
        (await Caller.GetAsync()).Demand("users", "read");
        var (items, next) = await Users.ListAsync(null, _next);
        _users.AddRange(items);
        _next = next;
    });

    private string? Invalid(string field) => _createProblem?.For(field).Count > 0 ? "true" : null;

    private async Task CreateAsync()
    {
        _createProblem = await Problem.TryAsync(async () =>
        {
            (await Caller.GetAsync()).Demand("users", "manage");
            await Users.CreateAsync(_username, _password, _role, null);
            _username = null;
            _password = null;
        });
        // A password is never kept in the form after an attempt; the username is.
        _password = null;
        if (_createProblem is null)
        {
            await ReloadAsync();
        }
    }

    private async Task SetDisabledAsync(Guid id, bool disabled) => await ChangeAsync(() => Users.UpdateAsync(id, null, disabled, null));

    private async Task SetRoleAsync(Guid id, string role) => await ChangeAsync(() => Users.UpdateAsync(id, role, null, null));

    private async Task ChangeAsync(Func<Task> change)
    {
        _problem = await Problem.TryAsync(async () =>
        {
            (await Caller.GetAsync()).Demand("users", "manage");
            await change();
        });
        if (_problem is null)
        {
            await ReloadAsync();
        }
    }
}
