using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Switchboard.Errors;

namespace Switchboard.Channels;

/// <summary>
/// The configured channel instances and routes, with runtime enable/disable overrides (kept in memory: a restart goes
/// back to configuration). Workers wait here while their instance is disabled.
/// </summary>
public sealed class ChannelRegistry(IOptionsMonitor<ChannelOptions> options) : IDeliveryChannels
{
    public const string All = "all";

    private readonly ConcurrentDictionary<string, bool> _overrides = new(StringComparer.Ordinal);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ChannelOptions Options => options.CurrentValue;

    public IReadOnlyList<string> Names => Options.Instances.Keys.Order(StringComparer.Ordinal).ToArray();

    public IReadOnlyList<string> Enabled => Names.Where(IsEnabled).ToArray();

    public bool IsEnabled(string name) =>
        Options.Instances.TryGetValue(name, out var instance) && (_overrides.TryGetValue(name, out var value) ? value : instance.Enabled);

    public ChannelInstanceOptions Get(string name) =>
        Options.Instances.TryGetValue(name, out var instance)
            ? instance
            : throw new SwitchboardException(ErrorCodes.ChannelNotFound, $"No channel instance '{name}' is configured under Channels:Instances.");

    public bool TryGet(string name, out ChannelInstanceOptions instance) => Options.Instances.TryGetValue(name, out instance!);

    public void SetEnabled(string name, bool enabled)
    {
        Get(name);
        _overrides[name] = enabled;
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    /// <summary>Completes once <paramref name="name"/> is enabled.</summary>
    public async Task WaitUntilEnabledAsync(string name, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;
            if (IsEnabled(name))
            {
                return;
            }
            // Configuration reloads do not signal; look again now and then.
            await changed.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>
    /// The routes <paramref name="names"/> stand for: a route name gives its chain, an instance name itself, <c>all</c>
    /// every enabled instance on its own.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> Resolve(IEnumerable<string> names, string field)
    {
        var chains = new List<IReadOnlyList<string>>();
        foreach (var name in names)
        {
            if (name == All)
            {
                chains.AddRange(Enabled.Select(e => (IReadOnlyList<string>)[e]));
            }
            else if (Options.Routes.TryGetValue(name, out var route))
            {
                chains.Add(route);
            }
            else if (Options.Instances.ContainsKey(name))
            {
                chains.Add([name]);
            }
            else
            {
                throw new SwitchboardException(ErrorCodes.ChannelNotFound,
                    $"{field}: '{name}' is neither a channel instance (Channels:Instances) nor a route (Channels:Routes), nor 'all'.");
            }
        }
        return chains;
    }
}
