using System.Text;
using Kenbun.LeadImport.Csv;
using Kenbun.LeadImport.Tests.Support;

namespace Kenbun.LeadImport.Tests.Csv;

/// <summary>
/// What the upload's inspection knows before the upload ends: a preview stops analysing an upload as it streams once
/// it is certainly Windows-1252, which the streaming analysis never assumes.
/// </summary>
public class InspectingUploadStreamTests
{
    [Fact]
    public void Windows_1252_is_known_from_the_first_sequence_that_is_not_utf8_on()
    {
        var upload = Inspect([.. Encoding.UTF8.GetBytes("Name\nZoë\n"), .. UploadEncodings.Windows1252.GetBytes("José\n"), .. "Ann\n"u8]);

        Assert.False(upload.IsWindows1252);
        upload.ReadExactly(new byte[10]);
        Assert.False(upload.IsWindows1252);
        // "Jos" and é's byte, which may still begin a UTF-8 sequence, then the line break that shows it does not.
        upload.ReadExactly(new byte[4]);
        Assert.False(upload.IsWindows1252);
        upload.ReadExactly(new byte[1]);
        Assert.True(upload.IsWindows1252);
        upload.CopyTo(Stream.Null);
        Assert.Equal((CsvTextEncoding.Windows1252, false), upload.DecideEncoding());
    }

    [Theory]
    [InlineData("utf-8")]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    public void Text_in_an_encoding_with_its_own_check_is_never_taken_for_windows_1252(string encoding)
    {
        var text = Encoding.GetEncoding(encoding);
        var upload = Inspect([.. text.GetPreamble(), .. text.GetBytes("Name\nZoë 😀\n")]);

        // Before the head is whole, a UTF-16 byte order mark (FF FE is not UTF-8) must not pass for Windows-1252.
        upload.ReadExactly(new byte[2]);
        Assert.False(upload.IsWindows1252);
        upload.CopyTo(Stream.Null);

        Assert.False(upload.IsWindows1252);
        Assert.NotEqual(CsvTextEncoding.Windows1252, upload.DecideEncoding().Encoding);
    }

    private static InspectingUploadStream Inspect(byte[] bytes) => new(new MemoryStream(bytes), long.MaxValue);
}
