using Switchboard.Cli.Tests.Infrastructure;

namespace Switchboard.Cli.Tests.Configuration;

public sealed class ConfigCheckTests : IDisposable
{
    private readonly TempFolder _data = new();

    private Task<CliRun.Result> CheckAsync(params string[] args) =>
        CliRun.InvokeAsync(["config", "check", "--data", _data.Path, .. args]);

    [Fact]
    public async Task Valid_configuration_exits_0_and_summarises_engine_data_folder_and_urls()
    {
        var result = await CheckAsync("--urls", "http://127.0.0.1:9123;https://localhost:9124");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.StartsWith("Configuration is valid.", result.Out);
        Assert.Contains("Engine:      sqlite", result.Out);
        Assert.Contains($"Data folder: {_data.Path}", result.Out);
        Assert.Contains("Urls:        http://127.0.0.1:9123 https://localhost:9124", result.Out);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task A_url_that_is_not_a_url_is_reported_with_the_Urls_key()
    {
        var result = await CheckAsync("--urls", "not a url");

        Assert.True(result.ExitCode == ExitCodes.InvalidConfiguration, result.ToString());
        Assert.Contains("  Urls: 'not a url' is not an absolute http:// or https:// URL.", result.Error);
        Assert.Contains("switchboard config check", result.Error);
        Assert.DoesNotContain("Configuration is valid", result.Out);
    }

    [Fact]
    public async Task A_port_outside_the_range_is_reported_with_the_Urls_key()
    {
        var result = await CheckAsync("--urls", "http://127.0.0.1:70000");

        Assert.True(result.ExitCode == ExitCodes.InvalidConfiguration, result.ToString());
        Assert.Contains("  Urls: 'http://127.0.0.1:70000' has port 70000, outside 1–65535.", result.Error);
    }

    [Fact]
    public async Task An_unknown_engine_is_reported_with_the_Storage_Engine_key()
    {
        var result = await CheckAsync("--engine", "bogus");

        Assert.True(result.ExitCode == ExitCodes.InvalidConfiguration, result.ToString());
        Assert.Contains("  Storage:Engine: 'bogus' is not an engine; use one of sqlite, postgres.", result.Error);
    }

    [Fact]
    public async Task Every_problem_is_reported_at_once_each_starting_with_its_key()
    {
        var result = await CheckAsync("--urls", "ftp://127.0.0.1:21;http://[::1]:99999", "--engine", "postgres");

        Assert.True(result.ExitCode == ExitCodes.InvalidConfiguration, result.ToString());
        Assert.Contains("Configuration is invalid (3 problems):", result.Error);
        Assert.Contains("  Urls: 'ftp://127.0.0.1:21' is not an absolute http:// or https:// URL.", result.Error);
        Assert.Contains("  Urls: 'http://[::1]:99999' has port 99999, outside 1–65535.", result.Error);
        Assert.Contains("  Storage:Postgres:ConnectionString: required when Storage:Engine is 'postgres'", result.Error);
    }

    [Fact]
    public async Task Wrong_type_values_and_out_of_range_values_are_all_named_with_their_key_and_type()
    {
        var result = await CheckAsync("--Identity:AccessTokenMinutes=abc", "--Broker:MaxMessageBytes=abc", "--Chat:Presence:AwayAfter=xyz",
            "--Tls:Enabled=maybe", "--Broker:MaxReceive=0", "--Chat:MaxGroupMembers=1");

        Assert.True(result.ExitCode == ExitCodes.InvalidConfiguration, result.ToString());
        Assert.Contains("Configuration is invalid (6 problems):", result.Error);
        Assert.Contains("  Identity:AccessTokenMinutes: 'abc' is not a whole number (Int32).", result.Error);
        Assert.Contains("  Broker:MaxMessageBytes: 'abc' is not a whole number (Int32).", result.Error);
        Assert.Contains("  Chat:Presence:AwayAfter: 'xyz' is not a duration such as 00:00:30", result.Error);
        Assert.Contains("  Tls:Enabled: 'maybe' is not true or false.", result.Error);
        Assert.Contains("  Broker:MaxReceive: 0 is outside 1–10000.", result.Error);
        Assert.Contains("  Chat:MaxGroupMembers: 1 is outside 3–10000", result.Error);
        Assert.DoesNotContain("Exception", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public async Task A_problem_in_one_section_does_not_hide_the_problems_of_another()
    {
        var result = await CheckAsync("--Broker:MaxReceive=0", "--Chat:MaxGroupMembers=1");

        Assert.True(result.ExitCode == ExitCodes.InvalidConfiguration, result.ToString());
        Assert.Contains("Configuration is invalid (2 problems):", result.Error);
        Assert.Contains("  Broker:MaxReceive: 0 is outside 1–10000.", result.Error);
        Assert.Contains("  Chat:MaxGroupMembers: 1 is outside 3–10000", result.Error);
    }

    [Fact]
    public async Task Any_key_can_be_given_as_a_Section_Key_setting()
    {
        var result = await CheckAsync("--Storage:Sqlite:MaxBatch=0");

        Assert.True(result.ExitCode == ExitCodes.InvalidConfiguration, result.ToString());
        Assert.Contains("  Storage:Sqlite:MaxBatch: 0 is outside 1–100000.", result.Error);
    }

    [Fact]
    public async Task A_configured_certificate_that_does_not_exist_is_reported_with_its_key()
    {
        var missing = _data.Combine("nope.pfx");

        var result = await CheckAsync("--tls", "--Tls:CertificatePath=" + missing);

        Assert.True(result.ExitCode == ExitCodes.InvalidConfiguration, result.ToString());
        Assert.Contains($"  Tls:CertificatePath: '{missing}' does not exist", result.Error);
    }

    [Fact]
    public async Task Tls_without_urls_defaults_to_https_on_8443_with_a_self_signed_certificate()
    {
        var result = await CheckAsync("--tls");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Contains("Urls:        https://127.0.0.1:8443", result.Out);
        Assert.Contains($"TLS:         self-signed, kept in {Path.Combine(_data.Path, "tls")}", result.Out);
    }

    [Fact]
    public async Task Tls_with_only_http_urls_is_refused_rather_than_serving_plain_http()
    {
        var result = await CheckAsync("--tls", "--urls", "http://127.0.0.1:9123");

        Assert.True(result.ExitCode == ExitCodes.InvalidConfiguration, result.ToString());
        Assert.Contains("  Tls:Enabled: TLS is on but Urls ('http://127.0.0.1:9123') has no https:// entry", result.Error);
    }

    [Fact]
    public async Task Config_check_does_not_create_the_data_folder()
    {
        var data = _data.Combine("not-yet");

        var result = await CliRun.InvokeAsync(["config", "check", "--data", data]);

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.False(Directory.Exists(data));
    }

    [Fact]
    public async Task An_unknown_flag_is_invalid_usage_and_points_at_help()
    {
        var result = await CheckAsync("--url", "http://127.0.0.1:1");

        Assert.True(result.ExitCode == ExitCodes.InvalidUsage, result.ToString());
        Assert.Contains("'--url' is not an option of this command", result.Error);
        Assert.Contains("switchboard config check --help", result.Error);
    }

    [Fact]
    public async Task An_unknown_command_is_invalid_usage()
    {
        var result = await CliRun.InvokeAsync(["frobnicate"]);

        Assert.True(result.ExitCode == ExitCodes.InvalidUsage, result.ToString());
        Assert.Contains("frobnicate", result.Error);
        Assert.Contains("switchboard --help", result.Error);
    }

    public void Dispose() => _data.Dispose();
}
