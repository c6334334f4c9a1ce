using Switchboard.Broker;
using Switchboard.Errors;

namespace Switchboard.Core.Tests.Broker;

public sealed class LeaseTokenTests
{
    [Fact]
    public void A_token_round_trips_through_its_text()
    {
        var token = LeaseToken.New(Guid.CreateVersion7(), 3);

        Assert.True(LeaseToken.TryParse(token.ToString(), out var parsed));

        Assert.Equal(token, parsed);
        Assert.DoesNotContain('=', token.ToString());
        Assert.DoesNotContain('+', token.ToString());
    }

    [Fact]
    public void Every_delivery_of_the_same_message_gets_a_different_token()
    {
        var id = Guid.CreateVersion7();

        var first = LeaseToken.New(id, 1);
        var again = LeaseToken.New(id, 1);

        Assert.NotEqual(first.ToString(), again.ToString());
        Assert.NotEqual(first.Nonce, again.Nonce);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("not a token at all, but exactly 39 ch!")]
    public void Malformed_text_is_not_a_token(string? text) => Assert.False(LeaseToken.TryParse(text, out _));

    [Fact]
    public void A_wrong_version_a_zero_delivery_or_a_non_canonical_spelling_is_refused()
    {
        var good = LeaseToken.New(Guid.CreateVersion7(), 1).ToString();
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(good);

        var wrongVersion = (byte[])bytes.Clone();
        wrongVersion[0] = 2;
        var zeroDelivery = (byte[])bytes.Clone();
        Array.Clear(zeroDelivery, 17, 4);
        var padded = good + "=";
        // The last character carries 2 unused bits: setting one spells the same bytes differently.
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var nonCanonical = good[..^1] + alphabet[alphabet.IndexOf(good[^1], StringComparison.Ordinal) | 1];

        Assert.False(LeaseToken.TryParse(System.Buffers.Text.Base64Url.EncodeToString(wrongVersion), out _));
        Assert.False(LeaseToken.TryParse(System.Buffers.Text.Base64Url.EncodeToString(zeroDelivery), out _));
        Assert.False(LeaseToken.TryParse(padded, out _));
        Assert.False(LeaseToken.TryParse(nonCanonical, out _));
    }

    [Fact]
    public void ParseAll_names_the_first_bad_token_with_invalid_lease()
    {
        var good = LeaseToken.New(Guid.CreateVersion7(), 1).ToString();

        var error = Assert.Throws<SwitchboardException>(() => LeaseToken.ParseAll([good, "garbage"]));

        Assert.Equal(ErrorCodes.InvalidLease, error.Error);
        Assert.Contains("leases[1]", error.Message);
    }

    [Fact]
    public void ParseAll_refuses_an_empty_list_as_a_validation_error()
    {
        var error = Assert.Throws<SwitchboardException>(() => LeaseToken.ParseAll([]));

        Assert.Equal(ErrorCodes.ValidationFailed, error.Error);
    }
}
