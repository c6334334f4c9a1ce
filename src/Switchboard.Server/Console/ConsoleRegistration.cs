using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.FluentUI.AspNetCore.Components;
using Switchboard.Identity;
using Switchboard.Server.WebConsole.Account;
using Switchboard.Server.WebConsole.Live;

namespace Switchboard.Server.WebConsole;

/// <summary>
/// The web console at <c>/console</c>: Blazor pages rendered on the server and kept live over its SignalR circuit,
/// signed in with a cookie session of their own beside the API's token schemes.
/// </summary>
internal static class ConsoleRegistration
{
    public const string BasePath = "/console";

    /// <summary>Pages run Blazor's script, Fluent UI's web components (which adopt inline styles) and the circuit's WebSocket.</summary>
    public const string PagePolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    /// <summary>The build writes these next to the binary: where each static file lives and how it is served.</summary>
    private static readonly string RuntimeManifest = Path.Combine(AppContext.BaseDirectory, "Switchboard.Server.staticwebassets.runtime.json");
    private static readonly string EndpointsManifest = Path.Combine(AppContext.BaseDirectory, "Switchboard.Server.staticwebassets.endpoints.json");

    public static WebApplicationBuilder AddConsole(this WebApplicationBuilder builder)
    {
        // The host's application is the `switchboard` command, but the console's static files and the list of its script
        // initializers (Fluent UI's) are built under this library's name, which is where Blazor looks for them.
        builder.Environment.ApplicationName = typeof(ConsoleRegistration).Assembly.GetName().Name!;
        // Without this, static assets add a GET catch-all ({**path:file}) that shadows every other route's 405: a GET
        // to a POST-only operation would fall through to it and answer 404 route_not_found.
        builder.Configuration.AddInMemoryCollection([KeyValuePair.Create("DisableStaticAssetNotFoundRuntimeFallback", (string?)"true")]);
        if (File.Exists(RuntimeManifest))
        {
            builder.WebHost.UseSetting(WebHostDefaults.StaticWebAssetsKey, RuntimeManifest);
            builder.WebHost.UseStaticWebAssets();
        }
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddFluentUIComponents();
        services.AddCascadingAuthenticationState();
        services.AddAuthentication().AddCookie(ConsoleAuthentication.Scheme, ConsoleAuthentication.Configure);
        services.AddAuthorizationBuilder();
        services.Configure<AuthorizationOptions>(ConsolePolicies.Add);
        services.AddSingleton<IAuthorizationHandler, ScopeRequirementHandler>();
        services.Configure<RateLimiterOptions>(options => options.AddPolicy<string, SignInRateLimit>(SignInRateLimit.Name));
        services.AddScoped<ConsoleCaller>();
        services.AddSingleton<ConsoleFeed>();
        return builder;
    }

    public static WebApplication MapConsole(this WebApplication app)
    {
        app.Use(static (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(BasePath))
            {
                context.Response.OnStarting(static state =>
                {
                    var response = ((HttpContext)state).Response;
                    if (response.ContentType?.StartsWith("text/html", StringComparison.Ordinal) == true)
                    {
                        response.Headers.ContentSecurityPolicy = PagePolicy;
                    }
                    return Task.CompletedTask;
                }, context);
            }
            return next(context);
        });
        app.UseAntiforgery();
        if (File.Exists(EndpointsManifest))
        {
            // The console's scripts, styles and fonts carry nothing private: the sign-in page needs them before a session exists.
            app.MapStaticAssets(EndpointsManifest).AllowAnonymous();
        }

        var pages = app.MapRazorComponents<App>().AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = "'none'");
        pages.Add(endpoint =>
        {
            var route = (endpoint as RouteEndpointBuilder)?.RoutePattern.RawText ?? "";
            if (route.StartsWith("/_blazor", StringComparison.Ordinal))
            {
                // The circuit's hub acts for the signed-in person: it is authenticated by the console's cookie.
                endpoint.Metadata.Add(new AuthorizeAttribute(ConsolePolicies.SignedIn));
            }
            else if (route.StartsWith("/_framework", StringComparison.Ordinal))
            {
                // Blazor's own plumbing (the opaque-redirect target of a form post) carries no data.
                endpoint.Metadata.Add(new AllowAnonymousAttribute());
            }
            else if (route.Equals(ConsoleAuthentication.SignInPath, StringComparison.OrdinalIgnoreCase))
            {
                endpoint.Metadata.Add(new EnableRateLimitingAttribute(SignInRateLimit.Name));
            }
        });

        // Anonymous: signing out without a session only lands on the sign-in page; the handler reads the cookie itself.
        app.MapPost(ConsoleAuthentication.SignOutPath, SignOutAsync).WithMetadata(new RequireAntiforgeryTokenAttribute(required: true)).AllowAnonymous().ExcludeFromDescription();
        // A browser opening the server's root lands in the console; API clients keep getting a 404 problem.
        app.MapGet("/", (HttpContext context) => context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal)
                ? Results.Redirect(BasePath)
                : Results.NotFound())
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>Ends the session: its refresh token is revoked as <c>POST /v1/auth/logout</c> revokes it, then the cookie goes.</summary>
    private static async Task<IResult> SignOutAsync(HttpContext context, TokenService tokens)
    {
        var session = await context.AuthenticateAsync(ConsoleAuthentication.Scheme);
        if (session.Succeeded && ConsoleAuthentication.RefreshToken(session.Properties!) is { } refreshToken)
        {
            await tokens.LogoutAsync(refreshToken, context.RequestAborted);
        }
        await context.SignOutAsync(ConsoleAuthentication.Scheme);
        return Results.Redirect(ConsoleAuthentication.SignInPath);
    }
}
