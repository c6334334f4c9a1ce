using System.CommandLine;
using System.Diagnostics;
using System.Text;
using Spectre.Console;
using Switchboard.Client;

namespace Switchboard.Cli.Commands;

/// <summary>
/// <c>switchboard publish &lt;queue&gt; [body]</c>: publishes a message whose body is the argument, a file or stdin;
/// with <c>--count</c>, that many copies in batches, as a quick load generator with a live rate on stderr.
/// </summary>
internal sealed class PublishCommand : Command
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly CliConsole _console;
    private readonly ServerConnection _connection;
    private readonly Argument<string> _queue = new("queue") { Description = "The queue to publish to." };
    private readonly Argument<string?> _body = new("body") { Description = "The message body; omit to use --file or stdin.", Arity = ArgumentArity.ZeroOrOne };
    private readonly Option<FileInfo?> _file = new("--file", "-f") { Description = "Read the body from this file (binary is fine)." };
    private readonly Option<int> _count = new("--count", "-n") { Description = "Publish this many copies (for load).", DefaultValueFactory = _ => 1 };
    private readonly Option<int> _batch = new("--batch") { Description = "Copies per request when --count > 1 (1–1000).", DefaultValueFactory = _ => 100 };
    private readonly Option<string[]> _headers = new("--header", "-H") { Description = "A header as name=value; repeat for more.", AllowMultipleArgumentsPerToken = false };
    private readonly Option<int?> _priority = new("--priority") { Description = "0 (lowest, default) to 9 (highest)." };

    public PublishCommand(CliConsole console)
        : base("publish", "Publish a message (from an argument, --file or stdin) to a queue; --count N publishes N copies.")
    {
        _console = console;
        Arguments.Add(_queue);
        Arguments.Add(_body);
        Options.Add(_file);
        Options.Add(_count);
        Options.Add(_batch);
        Options.Add(_headers);
        Options.Add(_priority);
        _connection = new ServerConnection(console, this);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var queue = parseResult.GetValue(_queue)!;
        var count = parseResult.GetValue(_count);
        var batch = parseResult.GetValue(_batch);
        if (count < 1 || batch is < 1 or > 1000)
        {
            await _console.Error.WriteLineAsync("error: --count must be 1 or more and --batch 1–1000.");
            return ExitCodes.InvalidUsage;
        }
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var header in parseResult.GetValue(_headers) ?? [])
        {
            var split = header.IndexOf('=', StringComparison.Ordinal);
            if (split < 1)
            {
                await _console.Error.WriteLineAsync($"error: --header '{header}' is not name=value, e.g. --header kind=order.");
                return ExitCodes.InvalidUsage;
            }
            headers[header[..split]] = header[(split + 1)..];
        }
        var (message, fromStdin, problem) = await ReadBodyAsync(parseResult, cancellationToken);
        if (message is null)
        {
            await _console.Error.WriteLineAsync($"error: {problem}");
            return ExitCodes.InvalidUsage;
        }
        message = message with { Headers = headers.Count == 0 ? null : headers, Priority = parseResult.GetValue(_priority) };

        return await _connection.RunAsync(parseResult, queue, fromStdin, async client =>
        {
            if (count == 1)
            {
                var published = await client.PublishAsync(queue, message, cancellationToken);
                await _console.Out.WriteLineAsync(published.Id.ToString());
                return ExitCodes.Ok;
            }
            return await PublishManyAsync(client, queue, message, count, batch, cancellationToken);
        }, cancellationToken);
    }

    private async Task<int> PublishManyAsync(SwitchboardClient client, string queue, OutgoingMessage message, int count, int batch, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var done = 0;
        await ProgressConsole.ForErrors(_console).Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Describe(queue, 0, count, clock.Elapsed), maxValue: count);
                while (done < count)
                {
                    var size = Math.Min(batch, count - done);
                    await client.PublishBatchAsync(queue, Enumerable.Repeat(message, size), cancellationToken);
                    done += size;
                    task.Increment(size);
                    task.Description = Describe(queue, done, count, clock.Elapsed);
                }
            });
        await _console.Out.WriteLineAsync(done.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await _console.Error.WriteLineAsync($"Published {done} messages to '{queue}' in {clock.Elapsed.TotalSeconds:0.0} s ({ProgressConsole.Rate(done, clock.Elapsed)}).");
        return ExitCodes.Ok;
    }

    private static string Describe(string queue, int done, int count, TimeSpan elapsed) =>
        Markup.Escape($"publish → {queue}: {done}/{count} ({ProgressConsole.Rate(done, elapsed)})");

    /// <summary>
    /// The argument, else the file (text when it is valid UTF-8, otherwise sent as bytes), else stdin when piped, less one
    /// trailing newline; an empty stdin is a missing body.
    /// </summary>
    private async Task<(OutgoingMessage? Message, bool FromStdin, string? Problem)> ReadBodyAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var body = parseResult.GetValue(_body);
        var file = parseResult.GetValue(_file);
        if (body is not null && file is not null)
        {
            return (null, false, "give the body either as an argument or with --file, not both.");
        }
        if (body is not null)
        {
            return (OutgoingMessage.FromString(body), false, null);
        }
        if (file is not null)
        {
            if (!file.Exists)
            {
                return (null, false, $"--file '{file.FullName}' does not exist.");
            }
            var bytes = await File.ReadAllBytesAsync(file.FullName, cancellationToken);
            try
            {
                return (OutgoingMessage.FromString(StrictUtf8.GetString(bytes)), false, null);
            }
            catch (DecoderFallbackException)
            {
                return (OutgoingMessage.FromBytes(bytes), false, null);
            }
        }
        if (_console.IsInputRedirected)
        {
            var text = await _console.In.ReadToEndAsync(cancellationToken);
            // One trailing newline is the shell's (echo, a heredoc), not the message's, as curl -d @- treats it.
            text = text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
            return text.Length == 0
                ? (null, true, "stdin was empty: pipe the message body in, or give it as an argument or with --file.")
                : (OutgoingMessage.FromString(text), true, null);
        }
        return (null, false, "no message body: give it as an argument (switchboard publish orders '{\"id\":1}'), with --file, or on stdin.");
    }
}
