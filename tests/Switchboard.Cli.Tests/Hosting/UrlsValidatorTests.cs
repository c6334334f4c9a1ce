using Switchboard.Server.Hosting;

namespace Switchboard.Cli.Tests.Hosting;

public sealed class UrlsValidatorTests
{
    [Theory]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("https://localhost:8443")]
    [InlineData("http://[::1]:8080")]
    [InlineData("http://0.0.0.0:80")]
    [InlineData("http://*:8080")]
    [InlineData("http://+:8080")]
    [InlineData("http://example.com")]
    [InlineData("HTTP://127.0.0.1:0")]
    [InlineData("http://127.0.0.1:65535/")]
    public void Urls_kestrel_can_bind_are_accepted(string url) => Assert.Null(UrlsValidator.Check(url));

    [Theory]
    [InlineData("not a url")]
    [InlineData("127.0.0.1:8080")]
    [InlineData("ftp://127.0.0.1:21")]
    [InlineData("http://")]
    [InlineData("http://:8080")]
    [InlineData("http://127.0.0.1:port")]
    [InlineData("http://[::1")]
    [InlineData("http://bad host:80")]
    public void Entries_that_are_not_urls_are_reported(string url) =>
        Assert.Equal($"Urls: '{url}' is not an absolute http:// or https:// URL.", UrlsValidator.Check(url));

    [Theory]
    [InlineData("http://127.0.0.1:70000", "70000")]
    [InlineData("http://[::1]:65536", "65536")]
    [InlineData("https://localhost:99999999999999999999", "99999999999999999999")]
    public void Ports_outside_the_range_are_reported(string url, string port) =>
        Assert.Equal($"Urls: '{url}' has port {port}, outside 1–65535.", UrlsValidator.Check(url));

    [Fact]
    public void Every_bad_entry_of_a_list_is_reported()
    {
        var result = new UrlsValidator().Validate(null, new HostingOptions { Urls = "http://127.0.0.1:1; nope ;http://127.0.0.1:70000" });

        Assert.True(result.Failed);
        Assert.Equal(["Urls: 'nope' is not an absolute http:// or https:// URL.", "Urls: 'http://127.0.0.1:70000' has port 70000, outside 1–65535."],
            result.Failures);
    }

    [Fact]
    public void An_empty_list_is_reported()
    {
        var result = new UrlsValidator().Validate(null, new HostingOptions { Urls = " ; " });

        Assert.StartsWith("Urls: must name at least one URL", Assert.Single(result.Failures!));
    }
}
