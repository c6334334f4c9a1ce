using System.Collections.Concurrent;

namespace Switchboard.Tests.Contract;

/// <summary>One fetch of the OpenAPI document per server address, shared by every checking client of that server.</summary>
public static class ContractCache
{
    private static readonly ConcurrentDictionary<Uri, Lazy<Task<ApiContract>>> Contracts = new();

    public static Func<Task<ApiContract>> For(Uri baseAddress, HttpMessageHandler? handler = null)
    {
        var root = new Uri(baseAddress.GetLeftPart(UriPartial.Authority));
        var lazy = Contracts.GetOrAdd(root, address => new Lazy<Task<ApiContract>>(() => ApiContract.LoadAsync(address, handler)));
        return () => lazy.Value;
    }

    /// <summary>Forgets a server's document, for a server that stopped (its port may serve another server later).</summary>
    public static void Forget(Uri baseAddress) => Contracts.TryRemove(new Uri(baseAddress.GetLeftPart(UriPartial.Authority)), out _);
}
