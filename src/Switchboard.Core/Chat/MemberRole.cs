namespace Switchboard.Chat;

public enum MemberRole
{
    Member,
    Admin,
    Owner,
}
