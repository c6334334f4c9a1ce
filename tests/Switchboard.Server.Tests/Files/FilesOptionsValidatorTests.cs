using Switchboard.Files;
using Switchboard.Server.Tests.Infrastructure;

namespace Switchboard.Server.Tests.Files;

public sealed class FilesOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        var options = new FilesOptions();

        Assert.True(new FilesOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(2L * 1024 * 1024 * 1024, options.MaxUploadBytes);
        Assert.Equal(TimeSpan.FromHours(24), options.IncompleteUploadExpiry);
    }

    [Theory]
    [InlineData(nameof(FilesOptions.MaxUploadBytes), "Files:MaxUploadBytes:")]
    [InlineData(nameof(FilesOptions.QuotaBytesPerUser), "Files:QuotaBytesPerUser:")]
    [InlineData(nameof(FilesOptions.IncompleteUploadExpiry), "Files:IncompleteUploadExpiry:")]
    [InlineData(nameof(FilesOptions.SweepInterval), "Files:SweepInterval:")]
    [InlineData(nameof(FilesOptions.Path), "Files:Path:")]
    public void Each_invalid_setting_is_reported_with_its_key(string property, string prefix)
    {
        var options = new FilesOptions();
        switch (property)
        {
            case nameof(FilesOptions.MaxUploadBytes):
                options.MaxUploadBytes = 0;
                break;
            case nameof(FilesOptions.QuotaBytesPerUser):
                options.QuotaBytesPerUser = -1;
                break;
            case nameof(FilesOptions.IncompleteUploadExpiry):
                options.IncompleteUploadExpiry = TimeSpan.Zero;
                break;
            case nameof(FilesOptions.SweepInterval):
                options.SweepInterval = TimeSpan.FromHours(2);
                break;
            default:
                options.Path = " ";
                break;
        }

        var result = new FilesOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith(prefix, failure);
    }

    [Fact]
    public async Task An_invalid_files_setting_stops_the_start_with_a_message_naming_the_key()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            RunningServer.StartAsync(new Dictionary<string, string?> { ["Files:MaxUploadBytes"] = "2000000000000" }).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains("Files:MaxUploadBytes:", error.Message);
    }
}
