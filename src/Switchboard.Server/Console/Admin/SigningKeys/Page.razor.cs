using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;
using Switchboard.Errors;
using Switchboard.Hosting;
using Switchboard.Identity;
using Switchboard.Server.WebConsole.Account;
using Switchboard.Server.WebConsole.Shared;

namespace Switchboard.Server.WebConsole.Admin.SigningKeys;

/// <summary>
/// The token signing keys and their rotation: the same <see cref="SigningKeyRing.Rotate"/> that <c>switchboard keys
/// rotate</c> runs, which adds a key file the ring picks up without a restart. Admins only.
/// </summary>
public sealed partial class Page
{
    private IReadOnlyList<SigningKey> _keys = [];
    private Problem? _problem;
    private string? _status;
    private bool _confirm;

    [Inject]
    public required SigningKeyRing Ring { get; init; }

    [Inject]
    public required IOptions<DataOptions> Data { get; init; }

    [Inject]
    public required ConsoleCaller Caller { get; init; }

    protected override async Task OnInitializedAsync() => _problem = await Problem.TryAsync(async () =>
    {
        await DemandAdminAsync();
        _keys = Ring.Keys;
    });

    private async Task DemandAdminAsync()
    {
        if (!(await Caller.GetAsync()).IsAdmin)
        {
            throw new SwitchboardException(ErrorCodes.Forbidden, "Only an administrator may see or rotate the signing keys.");
        }
    }

    private async Task RotateAsync()
    {
        _confirm = false;
        _problem = await Problem.TryAsync(async () =>
        {
            await DemandAdminAsync();
            var kid = SigningKeyRing.Rotate(Data.Value.FullPath);
            _status = $"Added signing key {kid}.";
        });
        _keys = Ring.Keys;
    }
}
