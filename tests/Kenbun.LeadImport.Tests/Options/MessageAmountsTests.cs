namespace Kenbun.LeadImport.Tests.Options;

/// <summary>Messages name configured limits as a user would say them, whatever the host set, never "0 MB" or "0 minutes".</summary>
public class MessageAmountsTests
{
    [Theory]
    [InlineData(1, "1 byte")]
    [InlineData(1000, "1,000 bytes")]
    [InlineData(1023, "1,023 bytes")]
    [InlineData(1024, "1 KB (1,024 bytes)")]
    [InlineData(512 * 1024, "512 KB (524,288 bytes)")]
    [InlineData(1536 * 1024, "1,536 KB (1,572,864 bytes)")]
    [InlineData(1024 * 1024 - 1, "1,048,575 bytes")]
    [InlineData(10 * 1024 * 1024, "10 MB (10,485,760 bytes)")]
    public void Sizes_are_said_exactly_in_the_largest_unit_that_holds_them_whole(long bytes, string said) =>
        Assert.Equal(said, MessageAmounts.Size(bytes));

    [Theory]
    [InlineData(1, "1 millisecond")]
    [InlineData(1500, "1,500 milliseconds")]
    [InlineData(59_960, "59,960 milliseconds")]
    [InlineData(1000, "1 second")]
    [InlineData(2000, "2 seconds")]
    [InlineData(61_000, "61 seconds")]
    [InlineData(90_000, "90 seconds")]
    [InlineData(300_000, "5 minutes")]
    [InlineData(3_600_000, "1 hour")]
    [InlineData(5_400_000, "90 minutes")]
    [InlineData(86_400_000, "1 day")]
    [InlineData(90_000_000, "25 hours")]
    public void Durations_are_said_exactly_in_the_largest_unit_that_holds_them_whole(int milliseconds, string said) =>
        Assert.Equal(said, MessageAmounts.Duration(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void The_limits_messages_use_them()
    {
        Assert.Contains("the limit of 1,000 bytes.", new FileTooLargeException(1000).Message, StringComparison.Ordinal);
        Assert.Contains("the limit of 2 seconds.", new UploadTooSlowException(TimeSpan.FromSeconds(2)).Message, StringComparison.Ordinal);
    }
}
