using System.Text;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>Generated lead files shaped like real CRM exports, with a share of repeated emails.</summary>
internal static class LeadFiles
{
    /// <summary>
    /// A UTF-8 lead file of <paramref name="rows"/> rows where about one email in five repeats an earlier one; people are
    /// numbered from <paramref name="firstPerson"/>, so files with far-apart numbers share no lead.
    /// </summary>
    public static byte[] Generate(int rows, int firstPerson = 0)
    {
        var random = new Random(42);
        var text = new StringBuilder("Email,First Name,Last Name,Company,Job Title,Phone,City,Country,Notes\n");
        for (var i = 0; i < rows; i++)
        {
            var person = firstPerson + (random.Next(5) == 0 && i > 0 ? random.Next(i) : i);
            text.Append(CultureInfoInvariant($"person{person}@example{person % 97}.com,First{person},Last{person},\"Company {person % 1000}, Inc\",Sales Manager,+1 (555) {person % 1000:000}-{person % 10000:0000},Springfield,United States,Met at the booth on day {i % 3}\n"));
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string CultureInfoInvariant(FormattableString text) => FormattableString.Invariant(text);
}
