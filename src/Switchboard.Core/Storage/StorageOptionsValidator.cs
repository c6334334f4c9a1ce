using Microsoft.Extensions.Options;

namespace Switchboard.Storage;

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var errors = new List<string>();
        if (!StorageEngines.All.Contains(options.Engine))
        {
            errors.Add($"Storage:Engine: '{options.Engine}' is not an engine; use one of {string.Join(", ", StorageEngines.All)}.");
        }
        if (options.Engine == StorageEngines.Postgres && string.IsNullOrWhiteSpace(options.Postgres.ConnectionString))
        {
            errors.Add("Storage:Postgres:ConnectionString: required when Storage:Engine is 'postgres' (e.g. 'Host=127.0.0.1;Username=switchboard;Password=…;Database=switchboard').");
        }
        if (string.IsNullOrWhiteSpace(options.Sqlite.File))
        {
            errors.Add("Storage:Sqlite:File: must name a database file.");
        }
        if (options.Sqlite.MaxBatch is < 1 or > 100_000)
        {
            errors.Add($"Storage:Sqlite:MaxBatch: {options.Sqlite.MaxBatch} is outside 1–100000.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
