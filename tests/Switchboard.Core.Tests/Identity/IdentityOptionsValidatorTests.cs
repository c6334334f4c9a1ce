using Switchboard.Identity;

namespace Switchboard.Core.Tests.Identity;

public sealed class IdentityOptionsValidatorTests
{
    private static IReadOnlyList<string> Validate(IdentityOptions options) =>
        new IdentityOptionsValidator().Validate(null, options).Failures?.ToArray() ?? [];

    [Fact]
    public void Defaults_are_valid() => Assert.Empty(Validate(new IdentityOptions()));

    [Fact]
    public void Every_error_names_its_configuration_key()
    {
        var errors = Validate(new IdentityOptions
        {
            Issuer = "",
            Audience = " ",
            AccessTokenMinutes = 0,
            RefreshTokenDays = 400,
            MinPasswordLength = 4,
            MaxFailedLogins = 0,
            LockoutMinutes = 0,
            BootstrapAdminPassword = "abc",
            UserScopes = ["apikeys:manage", "not a scope"],
        });

        Assert.Contains(errors, e => e.StartsWith("Identity:Issuer:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Identity:Audience:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Identity:AccessTokenMinutes:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Identity:RefreshTokenDays:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Identity:MinPasswordLength:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Identity:MaxFailedLogins:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Identity:LockoutMinutes:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Identity:BootstrapAdminPassword:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Identity:UserScopes:1:", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.StartsWith("Identity:UserScopes:0:", StringComparison.Ordinal));
    }

    [Fact]
    public void External_issuers_need_a_name_a_key_source_an_issuer_and_an_audience()
    {
        var errors = Validate(new IdentityOptions
        {
            ExternalIssuers =
            [
                new ExternalIssuerOptions { Name = "kc", Authority = "https://login.example.com/realms/a", Audience = "switchboard" },
                new ExternalIssuerOptions { Name = "kc", Authority = "http://login.example.com", Audience = "" },
                new ExternalIssuerOptions { Name = "", JwksUrl = "not a url", Audience = "x" },
                new ExternalIssuerOptions { Name = "bare", Audience = "x" },
            ],
        });

        Assert.DoesNotContain(errors, e => e.StartsWith("Identity:ExternalIssuers:0:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Identity:ExternalIssuers:1:Name:", StringComparison.Ordinal) && e.Contains("another"));
        Assert.Contains(errors, e => e.StartsWith("Identity:ExternalIssuers:1:Authority:", StringComparison.Ordinal) && e.Contains("https"));
        Assert.Contains(errors, e => e.StartsWith("Identity:ExternalIssuers:1:Audience:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Identity:ExternalIssuers:2:Name:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Identity:ExternalIssuers:2:JwksUrl:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Identity:ExternalIssuers:2:Issuer:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Identity:ExternalIssuers:3:Authority:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_loopback_issuer_may_use_http_when_https_metadata_is_not_required()
    {
        var errors = Validate(new IdentityOptions
        {
            ExternalIssuers = [new ExternalIssuerOptions { Name = "test", Authority = "http://127.0.0.1:5000", Audience = "a", RequireHttpsMetadata = false }],
        });

        Assert.Empty(errors);
    }
}
