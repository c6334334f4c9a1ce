using System.Text;
using Microsoft.AspNetCore.Components;
using Switchboard.Broker;
using Switchboard.Errors;
using Switchboard.Server.WebConsole.Account;
using Switchboard.Server.WebConsole.Live;
using Switchboard.Server.WebConsole.Shared;

namespace Switchboard.Server.WebConsole.Queue;

/// <summary>
/// One queue: its counters (live), peek, publish a test message, purge with a confirmation and redrive from its
/// dead-letter queue. Every action is the <see cref="BrokerService"/> call the REST API makes, with the same checks.
/// </summary>
public sealed partial class Page : IDisposable
{
    private const int PeekLimit = 50;
    private readonly List<double> _publishRates = [];
    private QueueInfo? _queue;
    private QueueStats? _stats;
    private IReadOnlyList<BrokerMessage>? _messages;
    private IReadOnlyList<BrokerMessage>? _deadLetters;
    private Problem? _problem;
    private Problem? _publishProblem;
    private Problem? _actionProblem;
    private Problem? _redriveProblem;
    private string? _body;
    private string? _headers;
    private int? _priority;
    private int? _redriveRate;
    private string? _published;
    private string? _status;
    private bool _confirmPurge;
    private IDisposable? _watch;

    [Parameter]
    public string Name { get; set; } = "";

    [Inject]
    public required BrokerService Broker { get; init; }

    [Inject]
    public required BrokerActivity Activity { get; init; }

    [Inject]
    public required ConsoleCaller Caller { get; init; }

    [Inject]
    public required ConsoleFeed Feed { get; init; }

    protected override async Task OnParametersSetAsync()
    {
        _watch?.Dispose();
        _publishRates.Clear();
        _messages = null;
        _deadLetters = null;
        _problem = await Problem.TryAsync(async () => _queue = await Broker.GetQueueAsync(await Caller.GetAsync(), Name));
        await RefreshAsync();
        if (RendererInfo.IsInteractive && _queue is not null)
        {
            _watch = Feed.Watch(() => InvokeAsync(async () =>
            {
                await RefreshAsync();
                StateHasChanged();
            }));
        }
    }

    private async Task RefreshAsync()
    {
        if (_queue is null)
        {
            return;
        }
        var problem = await Problem.TryAsync(async () => _stats = await Broker.GetStatsAsync(await Caller.GetAsync(), Name));
        _problem ??= problem;
        _publishRates.Add(Activity.Rates(Name).Published);
        if (_publishRates.Count > ConsoleFeed.Capacity)
        {
            _publishRates.RemoveAt(0);
        }
    }

    private static string? Invalid(Problem? problem, string field) => problem?.For(field).Count > 0 ? "true" : null;

    private async Task PublishAsync()
    {
        _published = null;
        IReadOnlyList<PublishResult>? results = null;
        _publishProblem = await Problem.TryAsync(async () =>
        {
            var message = new OutgoingMessage(Encoding.UTF8.GetBytes(_body ?? ""))
            {
                Headers = ParseHeaders(_headers),
                Priority = _priority ?? 0,
            };
            results = await Broker.PublishAsync(await Caller.GetAsync(), Name, [message]);
        });
        if (results is { Count: > 0 })
        {
            // The typed body stays in the form after a failure; only a success clears it.
            _published = results[0].Id.ToString();
            _body = null;
            await RefreshAsync();
        }
    }

    /// <summary>Lines of <c>name=value</c>; a malformed line is a 400 on <c>headers</c>, as a bad JSON field would be.</summary>
    internal static Dictionary<string, string>? ParseHeaders(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw SwitchboardException.Validation("headers", $"'{line}' is not name=value.");
            }
            headers[line[..equals].Trim()] = line[(equals + 1)..].Trim();
        }
        return headers;
    }

    private async Task PeekAsync() =>
        _actionProblem = await Problem.TryAsync(async () => _messages = await Broker.PeekAsync(await Caller.GetAsync(), Name, PeekLimit));

    private async Task PeekDeadLettersAsync() =>
        _redriveProblem = await Problem.TryAsync(async () => _deadLetters = await Broker.PeekAsync(await Caller.GetAsync(), _queue!.Settings.DeadLetterQueue!, PeekLimit));

    private async Task PurgeAsync()
    {
        _confirmPurge = false;
        _actionProblem = await Problem.TryAsync(async () =>
        {
            var purged = await Broker.PurgeAsync(await Caller.GetAsync(), Name);
            _status = $"Purged {purged} messages.";
            _messages = null;
        });
        await RefreshAsync();
    }

    private async Task RedriveAsync()
    {
        _redriveProblem = await Problem.TryAsync(async () =>
        {
            var moved = await Broker.RedriveAsync(await Caller.GetAsync(), _queue!.Settings.DeadLetterQueue!, null, null, _redriveRate);
            _status = $"Redrove {moved} messages to {Name}.";
            _deadLetters = null;
        });
        await RefreshAsync();
    }

    public void Dispose() => _watch?.Dispose();
}
