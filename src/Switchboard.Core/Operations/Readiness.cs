using Switchboard.Storage;

namespace Switchboard.Operations;

/// <summary>
/// Whether this node can serve: storage first, then every other <see cref="IReadinessCheck"/>, in order, each within
/// what is left of <see cref="Timeout"/>. Stops at the first failure, which it names; <c>/readyz</c> only wraps it.
/// </summary>
public sealed class Readiness(IStorageHealth storage, IEnumerable<IReadinessCheck> others)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<ReadinessReport> CheckAsync(CancellationToken cancellationToken)
    {
        var check = "storage:" + storage.Engine;
        var checks = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            await storage.CheckAsync(timeout.Token).ConfigureAwait(false);
            checks[check] = "ok";
            foreach (var other in others)
            {
                check = other.Name;
                await other.CheckAsync(timeout.Token).ConfigureAwait(false);
                checks[check] = "ok";
            }
            return new ReadinessReport(true, checks, null, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new ReadinessReport(false, checks, check, ex);
        }
    }
}
