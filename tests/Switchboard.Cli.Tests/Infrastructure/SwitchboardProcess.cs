using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace Switchboard.Cli.Tests.Infrastructure;

/// <summary>
/// The real built <c>switchboard</c> binary in its own process (<c>dotnet switchboard.dll …</c>), with its output
/// captured. Disposing kills it by its PID.
/// </summary>
public sealed partial class SwitchboardProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _error = new();
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SwitchboardProcess(Process process) => _process = process;

    public static string DllPath { get; } = typeof(SwitchboardProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "SwitchboardDll").Value!;

    public int Id => _process.Id;

    public string Out
    {
        get
        {
            lock (_gate)
            {
                return _out.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_gate)
            {
                return _error.ToString();
            }
        }
    }

    /// <summary>Starts <c>switchboard</c> with <paramref name="args"/> in <paramref name="workingDirectory"/>.</summary>
    /// <param name="environment">Added to the inherited environment, from which every <c>SWITCHBOARD_</c> variable is removed first.</param>
    public static SwitchboardProcess Start(string workingDirectory, string[] args, IDictionary<string, string>? environment = null)
    {
        Assert.True(File.Exists(DllPath), $"The switchboard binary is not built at {DllPath}.");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(DllPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("SWITCHBOARD_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var running = new SwitchboardProcess(process);
        process.OutputDataReceived += (_, e) => running.OnOutput(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => running.OnOutput(e.Data, isError: true);
        process.Exited += (_, _) => running._listening.TrySetException(
            new InvalidOperationException($"switchboard exited before listening.\n{running}"));
        Assert.True(process.Start(), "dotnet could not be started.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return running;
    }

    /// <summary>The first URL the server printed as "Listening on …".</summary>
    public Task<Uri> WaitForListeningAsync() => _listening.Task.WaitAsync(StartTimeout);

    /// <summary>Waits for the process to end on its own and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(StartTimeout);
        // The parameterless WaitForExit drains the redirected output before returning.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Kills the process by its PID and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    private void OnOutput(string? line, bool isError)
    {
        if (line is null)
        {
            return;
        }
        lock (_gate)
        {
            (isError ? _error : _out).AppendLine(line);
        }
        if (!isError && ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    public override string ToString() => $"--- stdout\n{Out}\n--- stderr\n{Error}";

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        finally
        {
            _process.Dispose();
        }
    }

    [GeneratedRegex(@"^Listening on (https?://\S+)")]
    private static partial Regex ListeningLine();
}
