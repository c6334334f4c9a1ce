using Microsoft.AspNetCore.Authorization;

namespace Switchboard.Server.WebConsole.Account;

/// <summary>
/// Authorization of console pages, checked by the server on the page request and again in the circuit. A page
/// names the scope its actions need; the actions themselves demand it once more through the Core services.
/// </summary>
internal static class ConsolePolicies
{
    public const string SignedIn = "console";
    public const string Channels = "console:channels:manage";
    public const string Notifications = "console:notifications:send";
    public const string Chat = "console:chat:use";
    public const string Admin = "console:users:manage";
    public const string ApiKeys = "console:apikeys:manage";

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(SignedIn, policy => policy.AddAuthenticationSchemes(ConsoleAuthentication.Scheme).RequireAuthenticatedUser());
        AddScope(options, Channels, "channels", "manage");
        AddScope(options, Notifications, "notifications", "send");
        AddScope(options, Chat, "chat", "use");
        AddScope(options, Admin, "users", "manage");
        AddScope(options, ApiKeys, "apikeys", "manage");
    }

    private static void AddScope(AuthorizationOptions options, string name, string area, string action) =>
        options.AddPolicy(name, policy => policy.AddAuthenticationSchemes(ConsoleAuthentication.Scheme).RequireAuthenticatedUser()
            .AddRequirements(new ScopeRequirement(area, action)));
}
