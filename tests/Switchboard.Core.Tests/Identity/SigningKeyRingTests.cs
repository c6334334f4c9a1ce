using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Identity;

namespace Switchboard.Core.Tests.Identity;

public sealed class SigningKeyRingTests : IDisposable
{
    private static readonly TimeSpan Retention = TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(30);
    private readonly string _data = Path.Combine(Path.GetTempPath(), "switchboard-tests", Guid.NewGuid().ToString("n"));

    private SigningKeyRing NewRing(TimeProvider time) => new(_data, Retention, time, NullLogger<SigningKeyRing>.Instance);

    [Fact]
    public void The_first_key_is_created_once_in_a_private_file()
    {
        var ring = NewRing(TimeProvider.System);

        ring.EnsureCreated();
        ring.EnsureCreated();

        var files = Directory.GetFiles(Path.Combine(_data, SigningKeyRing.FolderName));
        var file = Assert.Single(files);
        Assert.Single(ring.Keys);
        Assert.Contains(ring.Current.Kid, Path.GetFileName(file), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public void Rotate_makes_the_new_key_sign_and_keeps_the_old_one_for_validation()
    {
        var ring = NewRing(TimeProvider.System);
        ring.EnsureCreated();
        var first = ring.Current.Kid;

        var second = SigningKeyRing.Rotate(_data);
        ring.Refresh(force: true);

        Assert.NotEqual(first, second);
        Assert.Equal(second, ring.Current.Kid);
        Assert.Equal([first, second], ring.Keys.Select(k => k.Kid));
        Assert.NotNull(ring.Keys[0].RetiredAt);
        Assert.Null(ring.Current.RetiredAt);
    }

    [Fact]
    public void A_retired_key_is_deleted_once_every_token_it_signed_has_expired()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var ring = NewRing(time);
        ring.EnsureCreated();
        var first = ring.Current.Kid;
        SigningKeyRing.Rotate(_data);
        ring.Refresh(force: true);
        var retiredAt = ring.Keys[0].RetiredAt!.Value;

        time.Now = retiredAt + Retention - TimeSpan.FromSeconds(1);
        ring.Refresh(force: true);
        Assert.Contains(first, ring.Keys.Select(k => k.Kid));

        time.Now = retiredAt + Retention + TimeSpan.FromSeconds(1);
        ring.Refresh(force: true);
        Assert.DoesNotContain(first, ring.Keys.Select(k => k.Kid));
        Assert.Single(Directory.GetFiles(Path.Combine(_data, SigningKeyRing.FolderName)));
    }

    [Fact]
    public void Another_ring_on_the_same_folder_loads_the_same_keys()
    {
        var ring = NewRing(TimeProvider.System);
        ring.EnsureCreated();

        var other = NewRing(TimeProvider.System);
        other.EnsureCreated();

        Assert.Equal(ring.Current.Kid, other.Current.Kid);
        Assert.Equal(
            ring.Current.PublicKey.ECDsa.ExportSubjectPublicKeyInfo(),
            other.Current.PublicKey.ECDsa.ExportSubjectPublicKeyInfo());
    }

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}
