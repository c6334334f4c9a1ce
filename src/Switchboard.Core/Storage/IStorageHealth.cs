namespace Switchboard.Storage;

/// <summary>What <c>/readyz</c> asks the engine: can it read and write right now.</summary>
public interface IStorageHealth
{
    string Engine { get; }

    Task CheckAsync(CancellationToken cancellationToken);
}
