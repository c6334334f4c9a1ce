namespace Switchboard.Cli;

/// <summary>What the <c>switchboard</c> command's exit status means; scripts may rely on these numbers.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Something went wrong that none of the codes below describes; the message says what.</summary>
    public const int Failure = 1;

    /// <summary>The command line itself is wrong: unknown command or option, missing value.</summary>
    public const int InvalidUsage = 2;

    /// <summary>The configuration (files, <c>SWITCHBOARD_</c> variables, flags) failed validation.</summary>
    public const int InvalidConfiguration = 3;

    /// <summary>The server could not be reached (connection refused, DNS, TLS, timeout).</summary>
    public const int Unreachable = 4;

    /// <summary>The server refused the credentials (HTTP 401, or a locked account).</summary>
    public const int Unauthorized = 5;

    /// <summary>The credentials are valid but may not do this (HTTP 403).</summary>
    public const int Forbidden = 6;

    /// <summary>The thing named does not exist (HTTP 404).</summary>
    public const int NotFound = 7;

    /// <summary>Interrupted by Ctrl+C before finishing (128 + SIGINT, as shells report it).</summary>
    public const int Canceled = 130;
}
