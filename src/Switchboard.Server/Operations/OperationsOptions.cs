namespace Switchboard.Server.Operations;

/// <summary>Configuration section <c>Operations</c>: metrics and log files.</summary>
internal sealed class OperationsOptions
{
    public const string Section = "Operations";

    /// <summary>When true, <c>/metrics</c> answers only an admin; by default it is anonymous, like most Prometheus targets.</summary>
    public bool MetricsRequireAuth { get; set; }

    public OperationsLogOptions Logs { get; set; } = new();
}

/// <summary><c>Operations:Logs</c>: the rolling JSON log file under <c>&lt;data&gt;/logs</c>.</summary>
internal sealed class OperationsLogOptions
{
    /// <summary>Write <c>&lt;data&gt;/logs/switchboard-YYYYMMDD.json</c>. Default true.</summary>
    public bool File { get; set; } = true;

    /// <summary>Write logs to standard output. Default true.</summary>
    public bool Console { get; set; } = true;

    /// <summary>
    /// How standard output shows them: <c>auto</c> (default) is one readable line per event on an interactive
    /// terminal and JSON lines when the output goes to a file, a pipe or a log collector; <c>json</c> or <c>text</c> force one.
    /// </summary>
    public string ConsoleFormat { get; set; } = ConsoleFormats.Auto;

    /// <summary>A file rolls over to a new one beyond this size. Default 100 MiB.</summary>
    public long FileSizeLimitBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>How many files are kept; the oldest are deleted. Default 31.</summary>
    public int RetainedFiles { get; set; } = 31;
}
