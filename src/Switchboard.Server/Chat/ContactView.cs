namespace Switchboard.Server.Chat;

/// <summary>Who a contact conversation is with: replies go to <see cref="Address"/> through <see cref="Channel"/>.</summary>
public sealed class ContactView
{
    public string Channel { get; init; } = "";

    public string Address { get; init; } = "";
}
