namespace Switchboard.Channels;

/// <summary><c>Channels:Instances:&lt;name&gt;:Smtp</c> for an e-mail instance.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary>none, starttls, tls or auto.</summary>
    public string Security { get; set; } = "starttls";

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string? From { get; set; }
}
