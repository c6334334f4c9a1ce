using System.Diagnostics;
using System.Text.RegularExpressions;
using Switchboard.Testing;

namespace Switchboard.Engine.Tests.Infrastructure;

/// <summary>
/// Test databases carry their run's id, and the drop script picks only its own run's, or leftovers of runs that are
/// clearly over. The script is run in its planning mode on made-up names: no database is touched.
/// </summary>
public sealed partial class TestDatabaseNamingTests
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    [Fact]
    public void A_database_name_starts_with_the_run_id()
    {
        var name = TestPostgres.NewDatabaseName();

        Assert.StartsWith($"sb_test_{TestPostgres.RunId}_", name);
        Assert.Matches(NameShape(), name);
        Assert.NotEqual(name, TestPostgres.NewDatabaseName());
    }

    [Fact]
    public void Without_a_configured_run_id_the_run_is_named_for_its_start_and_this_process()
    {
        var id = TestPostgres.ReadRunId(null);

        var match = Regex.Match(id, "^([0-9]+)x([0-9]+)$");
        Assert.True(match.Success, id);
        Assert.InRange(long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Now - 60, Now + 60);
        Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), match.Groups[2].Value);
        Assert.Equal("1765000000x4242", TestPostgres.ReadRunId("1765000000x4242"));
        Assert.Throws<InvalidOperationException>(() => TestPostgres.ReadRunId("x'; DROP DATABASE postgres; --"));
    }

    [Fact]
    public async Task A_run_drops_only_its_own_databases()
    {
        var mine = $"{Now}x{Environment.ProcessId}";
        var other = $"{Now}x{Environment.ProcessId + 1}";
        string[] names =
        [
            $"sb_test_{mine}_0123456789ab", $"sb_bench_{mine}_0123456789ab", $"sb_test_{other}_0123456789ab",
            $"sb_bench_{other}_0123456789ab", "sb_test_0123456789abcdef", "sb_test_" + mine + "x_0123456789ab", "postgres",
        ];

        var drops = await PlanAsync(mine, names.Select(n => $"{n} 10"));

        Assert.Equal([$"sb_test_{mine}_0123456789ab", $"sb_bench_{mine}_0123456789ab"], drops);
    }

    [Fact]
    public async Task Only_leftovers_of_runs_that_are_over_count_as_stale()
    {
        var alive = Environment.ProcessId;
        var gone = DeadProcessId();
        var lines = new[]
        {
            $"sb_test_{Now}x{alive}_00000000000a 100",              // a live run: kept
            $"sb_bench_{Now}x{alive}_00000000000b 100",             // a live run's benchmark: kept
            $"sb_test_{Now}x{gone}_00000000000c 100",               // its process is gone: dropped
            $"sb_test_{Now - 90_000}x{alive}_00000000000d 90000",   // began more than a day ago: dropped
            "sb_test_0123456789abcdef 90000",                      // named before run ids, more than a day old: dropped
            "sb_test_fedcba9876543210 600",                        // named before run ids, recent: kept
            "sb_e2e_0123456789ab 600",                             // recent: kept
            "myapp 90000",                                         // not a test database: kept
        };

        var drops = await PlanAsync("--stale", lines);

        Assert.Equal([$"sb_test_{Now}x{gone}_00000000000c", $"sb_test_{Now - 90_000}x{alive}_00000000000d", "sb_test_0123456789abcdef"], drops);
    }

    private static int DeadProcessId()
    {
        for (var pid = 4_000_000; ; pid--)
        {
            if (!Directory.Exists($"/proc/{pid}"))
            {
                return pid;
            }
        }
    }

    private static async Task<string[]> PlanAsync(string mode, IEnumerable<string> lines)
    {
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { Path.Combine(RepositoryRoot(), "tests", "drop-test-databases.sh"), "--plan", mode },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(string.Join('\n', lines) + "\n");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(process.ExitCode == 0, await error);
        return (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Switchboard.sln")))
        {
            folder = folder.Parent;
        }
        return folder?.FullName ?? throw new InvalidOperationException($"No Switchboard.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex("^sb_test_[0-9a-z]{1,32}_[0-9a-f]{12}$")]
    private static partial Regex NameShape();
}
