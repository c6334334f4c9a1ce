using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Switchboard.Server.Tests.Chat;

/// <summary>The official JavaScript client (<c>@microsoft/signalr</c> from npm, run with node) joins a room and receives a message.</summary>
public sealed class ChatJavaScriptClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_official_JavaScript_client_joins_a_room_and_receives_a_message()
    {
        await using var chat = await ChatFixture.StartAsync();
        var alice = await chat.CreateUserAsync("alice");
        var bob = await chat.CreateUserAsync("bob");
        var room = await alice.CreateConversationAsync("room", "javascript");

        var output = new StringBuilder();
        var errors = new StringBuilder();
        var joined = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = ScriptsFolder(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "signalr-room.mjs", chat.Server.BaseAddress.ToString(), bob.Token, room.ToString(), "30000" })
        {
            start.ArgumentList.Add(arg);
        }
        using var node = new Process { StartInfo = start };
        node.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }
            lock (output)
            {
                output.AppendLine(e.Data);
            }
            var line = JsonDocument.Parse(e.Data).RootElement.Clone();
            if (line.GetProperty("step").GetString() == "joined")
            {
                joined.TrySetResult(line);
            }
        };
        node.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        Assert.True(node.Start(), "node could not be started; install Node.js (tests/services.sh does).");
        try
        {
            node.BeginOutputReadLine();
            node.BeginErrorReadLine();
            var exited = node.WaitForExitAsync();
            var first = await Task.WhenAny(joined.Task, exited).WaitAsync(Timeout);
            Assert.True(first == joined.Task, $"The script ended before joining: {errors}");
            var view = (await joined.Task).GetProperty("room");
            Assert.Equal(room, view.GetProperty("id").GetGuid());
            Assert.Equal("room", view.GetProperty("kind").GetString());

            var sent = await alice.PostAsync($"v1/conversations/{room}/messages", new { text = "hello from .NET" }, HttpStatusCode.Created);
            await exited.WaitAsync(Timeout);
            Assert.True(node.ExitCode == 0, $"node exited with {node.ExitCode}: {errors}");
            string[] lines;
            lock (output)
            {
                lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            }
            var received = JsonDocument.Parse(lines.Last()).RootElement;
            Assert.Equal("received", received.GetProperty("step").GetString());
            var message = received.GetProperty("message");
            Assert.Equal(sent.GetProperty("id").GetGuid(), message.GetProperty("id").GetGuid());
            Assert.Equal("hello from .NET", message.GetProperty("text").GetString());
            Assert.Equal(alice.Id, message.GetProperty("senderId").GetString());
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill();
            }
        }
    }

    /// <summary><c>tests/js</c>, found from the test's folder by walking up to the one holding <c>Switchboard.sln</c>.</summary>
    private static string ScriptsFolder()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Switchboard.sln")))
        {
            folder = folder.Parent;
        }
        Assert.True(folder is not null, $"No Switchboard.sln above {AppContext.BaseDirectory}.");
        var scripts = Path.Combine(folder.FullName, "tests", "js");
        Assert.True(Directory.Exists(Path.Combine(scripts, "node_modules", "@microsoft", "signalr")),
            $"The JavaScript packages are not installed in {scripts}; run tests/services.sh (or npm ci there).");
        return scripts;
    }
}
