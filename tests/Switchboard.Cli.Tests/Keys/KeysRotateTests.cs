using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Switchboard.Cli.Tests.Infrastructure;
using Switchboard.Tests.Contract;

namespace Switchboard.Cli.Tests.Keys;

[Collection(ProcessCollection.Name)]
public sealed class KeysRotateTests : IDisposable
{
    private const string Password = "rotate-test-admin-password";
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Rotate_while_the_server_runs_switches_signing_to_the_new_key_and_old_tokens_stay_valid()
    {
        var data = _folder.Combine("data");
        await using var process = SwitchboardProcess.Start(_folder.Path, ["serve", "--urls", "http://127.0.0.1:0", "--data", data],
            new Dictionary<string, string> { ["SWITCHBOARD_Identity__BootstrapAdminPassword"] = Password });
        var url = await process.WaitForListeningAsync();
        using var client = ContractCheckingHandler.CreateClient(url);
        var before = await LoginAsync(client);
        var oldKid = new JsonWebToken(before).Kid;

        var rotate = await CliRun.InvokeAsync(["keys", "rotate", "--data", data]);

        Assert.True(rotate.ExitCode == ExitCodes.Ok, rotate.ToString());
        Assert.Contains("Added signing key", rotate.Out);
        var newKid = oldKid;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (newKid == oldKid && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            newKid = new JsonWebToken(await LoginAsync(client)).Kid;
        }
        Assert.NotEqual(oldKid, newKid);
        Assert.Contains(newKid, rotate.Out);

        using var me = new HttpRequestMessage(HttpMethod.Get, "v1/auth/me");
        me.Headers.Authorization = new AuthenticationHeaderValue("Bearer", before);
        using var meResponse = await client.SendAsync(me);
        Assert.Equal(HttpStatusCode.OK, meResponse.StatusCode);

        using var jwks = JsonDocument.Parse(await client.GetStringAsync(".well-known/jwks.json"));
        var kids = jwks.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()).ToArray();
        Assert.Contains(oldKid, kids);
        Assert.Contains(newKid, kids);
    }

    [Fact]
    public async Task Rotate_with_invalid_configuration_names_the_key_and_writes_nothing()
    {
        var data = _folder.Combine("data");

        var result = await CliRun.InvokeAsync(["keys", "rotate", "--data", data, "--engine", "bogus"]);

        Assert.True(result.ExitCode == ExitCodes.InvalidConfiguration, result.ToString());
        Assert.Contains("Storage:Engine", result.Error);
        Assert.False(Directory.Exists(Path.Combine(data, "keys")));
    }

    private static async Task<string> LoginAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("v1/auth/token", new { username = "admin", password = Password });
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("accessToken").GetString()!;
    }

    public void Dispose() => _folder.Dispose();
}
