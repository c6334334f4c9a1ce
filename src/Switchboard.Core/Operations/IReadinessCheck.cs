namespace Switchboard.Operations;

/// <summary>A dependency besides storage that readiness checks (e.g. the chat backplane when configured).</summary>
public interface IReadinessCheck
{
    /// <summary>The key in the report's <c>checks</c>, e.g. <c>chat:redis</c>.</summary>
    string Name { get; }

    Task CheckAsync(CancellationToken cancellationToken);
}
