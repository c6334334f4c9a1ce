using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components;
using Switchboard.Errors;
using Switchboard.Identity;
using Switchboard.Server.WebConsole.Account;
using Switchboard.Server.WebConsole.Shared;

namespace Switchboard.Server.WebConsole.SignIn;

/// <summary>
/// A plain form post, rendered on the server without a circuit because it must set the session cookie. The password is
/// checked by <see cref="TokenService.LoginAsync"/>, the same call as <c>POST /v1/auth/token</c>: the same lockout, the same
/// problem codes, and a session that holds the tokens it issued.
/// </summary>
public sealed partial class Page
{
    private Problem? _problem;

    [CascadingParameter]
    public HttpContext HttpContext { get; set; } = default!;

    [SupplyParameterFromForm]
    public SignInInput? Input { get; set; }

    [SupplyParameterFromQuery]
    public string? ReturnUrl { get; set; }

    [Inject]
    public required TokenService Tokens { get; init; }

    [Inject]
    public required NavigationManager Navigation { get; init; }

    protected override void OnInitialized() => Input ??= new SignInInput();

    private string? Invalid(string field) => _problem?.For(field).Count > 0 ? "true" : null;

    private async Task SignInAsync()
    {
        TokenPair pair;
        try
        {
            pair = await Tokens.LoginAsync(Input!.Username, Input.Password, HttpContext.RequestAborted);
        }
        catch (SwitchboardException exception)
        {
            _problem = Problem.From(exception);
            // The username stays in the form; a password is never sent back.
            Input!.Password = null;
            return;
        }
        var (principal, properties) = ConsoleAuthentication.Session(pair, persistent: false);
        await HttpContext.SignInAsync(ConsoleAuthentication.Scheme, principal, properties);
        Navigation.NavigateTo(SafeReturnUrl(ReturnUrl), forceLoad: true);
    }

    /// <summary>Only a path inside the console: never an open redirect to another site.</summary>
    internal static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is not null && returnUrl.StartsWith("/console", StringComparison.Ordinal) && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.Contains('\\', StringComparison.Ordinal) && !returnUrl.StartsWith(ConsoleAuthentication.SignInPath, StringComparison.Ordinal)
            ? returnUrl
            : "/console";

    public sealed class SignInInput
    {
        public string? Username { get; set; }

        public string? Password { get; set; }
    }
}
