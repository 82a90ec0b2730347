namespace Kenbun.LeadImport.Tests.Options;

/// <summary>Messages name configured limits as a user would say them, whatever the host set, never "0 MB" or "0 minutes".</summary>
public class MessageAmountsTests
{
    [Theory]
    [InlineData(1000, "1,000 bytes")]
    [InlineData(1024, "1 KB (1,024 bytes)")]
    [InlineData(512 * 1024, "512 KB (524,288 bytes)")]
    [InlineData(10 * 1024 * 1024, "10 MB (10,485,760 bytes)")]
    [InlineData(1536 * 1024, "1.5 MB (1,572,864 bytes)")]
    public void Sizes_are_said_in_the_largest_unit_they_hold(long bytes, string said) =>
        Assert.Equal(said, MessageAmounts.Size(bytes));

    [Theory]
    [InlineData(1, "1 second")]
    [InlineData(2, "2 seconds")]
    [InlineData(90, "1.5 minutes")]
    [InlineData(300, "5 minutes")]
    [InlineData(3600, "1 hour")]
    [InlineData(5400, "1.5 hours")]
    [InlineData(86400, "1 day")]
    public void Durations_are_said_in_the_largest_unit_they_hold(int seconds, string said) =>
        Assert.Equal(said, MessageAmounts.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void The_limits_messages_use_them()
    {
        Assert.Contains("the limit of 1,000 bytes.", new FileTooLargeException(1000).Message, StringComparison.Ordinal);
        Assert.Contains("the limit of 2 seconds.", new UploadTooSlowException(TimeSpan.FromSeconds(2)).Message, StringComparison.Ordinal);
    }
}
