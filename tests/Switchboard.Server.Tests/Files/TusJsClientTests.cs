using System.Diagnostics;
using System.Security.Cryptography;

namespace Switchboard.Server.Tests.Files;

/// <summary>The official tus JavaScript client (tus-js-client from npm, run with node) against the real server.</summary>
public sealed class TusJsClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_tus_js_client_uploads_a_file_in_chunks_that_downloads_byte_identical()
    {
        await using var files = await FilesFixture.StartAsync();
        var bytes = GeneratedContent.Bytes(30, 0, 3 * 1024 * 1024 + 12345);
        var folder = Directory.CreateTempSubdirectory("switchboard-tus-js-");
        try
        {
            var path = Path.Combine(folder.FullName, "holiday photos.bin");
            await File.WriteAllBytesAsync(path, bytes);
            var token = files.Alice.Http.DefaultRequestHeaders.Authorization!.Parameter!;

            var (exitCode, output, error) = await RunNodeAsync("tus-upload.mjs", new Uri(files.Server.BaseAddress, "v1/files").ToString(), token, path,
                Convert.ToHexStringLower(SHA256.HashData(bytes)), (1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));

            Assert.True(exitCode == 0, $"node exited with {exitCode}: {error}");
            var url = new Uri(output.Trim());
            Assert.Matches("^/v1/files/[0-9a-f-]{36}$", url.AbsolutePath);
            using var download = await files.Alice.Http.GetAsync(url.AbsolutePath.TrimStart('/')).WaitAsync(Timeout);
            Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
            Assert.Equal("holiday photos.bin", download.Content.Headers.ContentDisposition!.FileNameStar);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunNodeAsync(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = JsFolder(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(Timeout);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await output, await error);
    }

    /// <summary>tests/js, found by walking up from the test binaries to the folder holding Switchboard.sln.</summary>
    private static string JsFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Switchboard.sln")))
            {
                var js = Path.Combine(folder.FullName, "tests", "js");
                Assert.True(Directory.Exists(Path.Combine(js, "node_modules", "tus-js-client")),
                    $"{js} has no node_modules/tus-js-client; run `npm ci` there (tests/services.sh does).");
                return js;
            }
        }
        throw new InvalidOperationException($"No Switchboard.sln above {AppContext.BaseDirectory}.");
    }
}
