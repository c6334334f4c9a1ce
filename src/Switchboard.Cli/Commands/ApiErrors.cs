using System.Security.Authentication;
using Switchboard.Client;

namespace Switchboard.Cli.Commands;

/// <summary>Turns a failed call to a server into a message that says what to do, and an exit code.</summary>
internal static class ApiErrors
{
    /// <param name="hint">What to do next, when the caller knows better than the generic hint; empty prints none.</param>
    public static int Report(TextWriter error, SwitchboardApiException problem, Uri server, string? hint = null)
    {
        error.WriteLine($"error: {problem.Code}: {problem.Detail ?? problem.Title}");
        hint ??= Hint(problem, server);
        if (hint.Length > 0)
        {
            error.WriteLine(hint);
        }
        if (problem.TraceId is not null)
        {
            error.WriteLine($"(trace id {problem.TraceId} finds this request in the server's logs)");
        }
        return problem.Status switch
        {
            401 or 423 => ExitCodes.Unauthorized,
            403 => ExitCodes.Forbidden,
            404 => ExitCodes.NotFound,
            409 => ExitCodes.Conflict,
            _ => ExitCodes.Failure,
        };
    }

    public static int ReportUnreachable(TextWriter error, Exception exception, Uri server)
    {
        error.WriteLine($"error: could not reach {server}: {Describe(exception)}");
        if (Find<AuthenticationException>(exception) is not null)
        {
            error.WriteLine("The TLS handshake failed. If the server uses its self-signed certificate, pass --insecure for local use, " +
                "or trust <data>/tls/self-signed.pfx on this machine.");
        }
        else
        {
            error.WriteLine("Is the server running ('switchboard serve')? Check --url (or SWITCHBOARD_URL), including http:// versus https:// and the port.");
        }
        return ExitCodes.Unreachable;
    }

    private static string Hint(SwitchboardApiException problem, Uri server) => problem.Code switch
    {
        "invalid_credentials" => "Check --username and the password. The first admin is 'admin'; unless Identity:BootstrapAdminPassword was set, " +
            "its password is in <data>/initial-admin-password on the server.",
        "account_locked" => "Too many failed logins: wait a few minutes (Identity:LockoutMinutes) and try again, or ask an admin.",
        "account_disabled" => "An admin disabled this account; ask them to enable it again.",
        "route_not_found" => $"{server} does not serve this operation; is --url pointing at a Switchboard server of this version?",
        "rate_limited" => "The server is limiting requests; wait and try again.",
        "invalid_token" or "unauthorized" => "The token was refused; get a fresh one with 'switchboard token'.",
        "forbidden" or "insufficient_scope" => "These credentials lack the permission; use an account or API key that has it.",
        _ when problem.Status >= 500 => "The server failed; the trace id below finds the cause in its logs.",
        _ => "See the message above; 'switchboard --help' lists the commands.",
    };

    private static string Describe(Exception exception)
    {
        if (exception is TaskCanceledException)
        {
            return "no answer before the timeout";
        }
        var innermost = exception;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }
        return innermost == exception || exception.Message.Contains(innermost.Message, StringComparison.Ordinal)
            ? exception.Message
            : $"{exception.Message} ({innermost.Message})";
    }

    private static T? Find<T>(Exception exception) where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }
        return null;
    }
}
