namespace Switchboard.Monitoring;

/// <summary>The embedded engine runs one node, which always leads.</summary>
internal sealed class SingleNodeLeader : IMonitoringLeader
{
    public bool IsLeader => true;

    public Task<CancellationToken> AcquireAsync(CancellationToken cancellationToken) => Task.FromResult(CancellationToken.None);
}
