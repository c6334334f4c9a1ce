using Switchboard.Client;

namespace Switchboard.Cli.Commands;

/// <summary>Broker failures with the command that fixes them; everything else goes to <see cref="ApiErrors"/>.</summary>
internal static class BrokerErrors
{
    public static int Report(TextWriter error, SwitchboardApiException problem, Uri server, string? queue)
    {
        var name = queue ?? "<name>";
        var hint = problem.Code switch
        {
            "queue_not_found" => $"Create it with 'switchboard queue create {name}', or see which queues exist with 'switchboard queue list'.",
            "queue_exists" => $"It already exists; 'switchboard queue stats {name}' shows it.",
            "queue_not_empty" => $"Empty it first with 'switchboard queue purge {name}', or delete it anyway with 'switchboard queue delete {name} --force'.",
            "queue_full" => $"The queue holds its maxLength; consume some ('switchboard consume {name} --ack --max 0') or raise the limit.",
            "invalid_name" => "Names use letters, digits, '.', '-' and '_' (at most 128 characters) and may not start with '$sys.'.",
            "message_too_large" or "batch_too_large" => "Send a smaller body or a smaller --batch; the server's limits are Broker:MaxMessageBytes, MaxBatchMessages and MaxBatchBytes.",
            "validation_failed" => string.Join(Environment.NewLine, problem.Errors.SelectMany(e => e.Value.Select(m => $"  {e.Key}: {m}"))),
            "insufficient_scope" => $"These credentials lack the scope named above; use an admin account or an API key that has it (e.g. broker:manage:{name}).",
            _ => null,
        };
        return ApiErrors.Report(error, problem, server, hint);
    }
}
