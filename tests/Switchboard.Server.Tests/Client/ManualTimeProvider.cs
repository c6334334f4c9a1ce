namespace Switchboard.Server.Tests.Client;

/// <summary>A clock the test moves by hand, to make the client's token look close to expiry without waiting.</summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset _now = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
