using System.Globalization;
using System.Text;

namespace Kenbun.LeadImport.Benchmarks;

/// <summary>
/// The shape of a generated lead file: how often a row repeats an earlier person, how many emails are unusable, how
/// often the phone and LinkedIn cells are filled and from how many distinct values. The defaults are the shape the
/// benchmark issue measured real exports by: 20% repeats (half of them in other case or with spaces), 2% invalid or
/// empty emails, phones in 75% of rows and LinkedIn in 50%, almost all distinct, so most leads own three identifiers.
/// </summary>
internal sealed record LeadFileShape
{
    /// <summary>Of every row, the share that repeats an earlier row's person.</summary>
    public double Repeats { get; init; } = 0.20;

    /// <summary>Of the repeats, the share whose email differs in case or has spaces around it.</summary>
    public double RepeatsRewritten { get; init; } = 0.5;

    /// <summary>Of every row, the share whose email is empty or not an email.</summary>
    public double BadEmails { get; init; } = 0.02;

    /// <summary>Of every row, the share with a phone number.</summary>
    public double PhoneFilled { get; init; } = 0.75;

    /// <summary>How many distinct phone numbers the file draws from; <see langword="null"/>: one per person.</summary>
    public int? DistinctPhones { get; init; }

    /// <summary>Of every row, the share with a LinkedIn profile.</summary>
    public double LinkedInFilled { get; init; } = 0.50;

    /// <summary>How many distinct LinkedIn profiles the file draws from; <see langword="null"/>: one per person.</summary>
    public int? DistinctLinkedIn { get; init; }
}

/// <summary>
/// Generated lead files shaped like real CRM exports (<see cref="LeadFileShape"/>): the seed's columns, quoted cells
/// with commas, non-ASCII names, phones in several formats. The same arguments give the same bytes.
/// </summary>
internal static class LeadFiles
{
    /// <summary>The header line: the seed's columns.</summary>
    public const string Header = "Email,First Name,Last Name,Company,Job Title,Phone,LinkedIn,Notes";

    private static readonly string[] FirstNames =
        ["James", "María", "José", "Zoë", "Björn", "Łukasz", "Renée", "François", "Søren", "Chloé", "Anna", "Mohammed", "Wei", "Priya", "Olivia", "Noah", "Aiko", "Mateo", "Ingrid", "Yusuf"];

    private static readonly string[] LastNames =
        ["Smith", "García", "Müller", "O'Brien", "Nowak", "Johnson", "Öztürk", "Dubois", "Kowalski", "Rossi", "Nguyen", "Jensen", "Silva", "Tanaka", "Kim", "Brown", "Fernández", "Novák", "Larsen", "Schäfer"];

    private static readonly string[] Titles =
        ["Sales Manager", "CTO", "Head of Marketing", "Account Executive", "VP, Operations", "Founder", "Procurement Lead", "Engineer"];

    private static readonly string[] Domains = ["gmail.com", "outlook.com", "acme.io", "example.org", "yahoo.co.uk", "web.de"];

    private static readonly int[] AreaCodes = [212, 415, 312, 617, 213, 305, 206, 512, 303, 404, 702, 602, 919, 503, 615, 801, 214, 713, 202, 646];

    /// <summary>
    /// A UTF-8 lead file of <paramref name="rows"/> rows of <paramref name="shape"/> (default: the issue's); people are
    /// numbered from <paramref name="firstPerson"/>, so files with far-apart numbers share no lead.
    /// </summary>
    public static byte[] Generate(int rows, int firstPerson = 0, LeadFileShape? shape = null)
    {
        using var bytes = new MemoryStream(rows * 100);
        Write(bytes, rows, firstPerson, shape);
        return bytes.ToArray();
    }

    /// <summary>Writes the file <see cref="Generate"/> returns to <paramref name="destination"/>, a row at a time.</summary>
    public static void Write(Stream destination, int rows, int firstPerson = 0, LeadFileShape? shape = null)
    {
        shape ??= new LeadFileShape();
        var random = new Random(42);
        using var writer = new StreamWriter(destination, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        writer.WriteLine(Header);
        var row = new StringBuilder(160);
        for (var i = 0; i < rows; i++)
        {
            var repeat = i > 0 && random.NextDouble() < shape.Repeats;
            var person = firstPerson + (repeat ? random.Next(i) : i);
            row.Clear();
            AppendEmail(row, random, person, shape, rewritten: repeat && random.NextDouble() < shape.RepeatsRewritten);
            var (first, last) = (FirstNames[person % FirstNames.Length], LastNames[person / FirstNames.Length % LastNames.Length]);
            row.Append(',').Append(first).Append(',').Append(last).Append(',');
            AppendCompany(row, person);
            row.Append(',');
            AppendQuoted(row, Titles[person % Titles.Length]);
            row.Append(',');
            if (random.NextDouble() < shape.PhoneFilled)
            {
                AppendPhone(row, person % (shape.DistinctPhones ?? int.MaxValue));
            }

            row.Append(',');
            if (random.NextDouble() < shape.LinkedInFilled)
            {
                var profile = person % (shape.DistinctLinkedIn ?? int.MaxValue);
                row.Append(CultureInfo.InvariantCulture, $"linkedin.com/in/{Ascii(first)}-{Ascii(last)}-{profile:x}");
            }

            row.Append(',');
            AppendNotes(row, i);
            writer.WriteLine(row);
        }
    }

    private static void AppendEmail(StringBuilder row, Random random, int person, LeadFileShape shape, bool rewritten)
    {
        if (random.NextDouble() < shape.BadEmails)
        {
            row.Append(random.Next(2) == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"lead{person} at example.com"));
            return;
        }

        var email = string.Create(
            CultureInfo.InvariantCulture,
            $"{Ascii(FirstNames[person % FirstNames.Length])}.{Ascii(LastNames[person / FirstNames.Length % LastNames.Length])}{person}@{Domains[person % Domains.Length]}");
        row.Append(rewritten ? (person % 2 == 0 ? $"  {email.ToUpperInvariant()}" : $" {char.ToUpperInvariant(email[0])}{email[1..]} ") : email);
    }

    private static void AppendCompany(StringBuilder row, int person)
    {
        var company = (person % 3) switch
        {
            0 => string.Create(CultureInfo.InvariantCulture, $"Northwind {person % 5000}, Inc."),
            1 => string.Create(CultureInfo.InvariantCulture, $"Contoso {person % 5000}"),
            _ => string.Create(CultureInfo.InvariantCulture, $"Café \"Zür\" {person % 5000}"),
        };
        AppendQuoted(row, company);
    }

    /// <summary>The phone formats of real exports: with the calling code and separators, in brackets, or national.</summary>
    private static void AppendPhone(StringBuilder row, int number)
    {
        var (area, exchange, line) = (AreaCodes[number % AreaCodes.Length], 200 + number / AreaCodes.Length % 800, number / (AreaCodes.Length * 800) % 10_000);
        row.Append((number % 10) switch
        {
            < 6 => FormattableString.Invariant($"+1 {area}-{exchange}-{line:0000}"),
            < 9 => FormattableString.Invariant($"+1 ({area}) {exchange}-{line:0000}"),
            _ => FormattableString.Invariant($"({area}) {exchange}-{line:0000}"),
        });
    }

    private static void AppendNotes(StringBuilder row, int i)
    {
        switch (i % 4)
        {
            case 0:
                AppendQuoted(row, string.Create(CultureInfo.InvariantCulture, $"Booth, day {i % 3 + 1}"));
                break;
            case 1:
                row.Append("Webinar");
                break;
        }
    }

    private static void AppendQuoted(StringBuilder row, string cell)
    {
        if (cell.AsSpan().IndexOfAny(",\"\n") < 0)
        {
            row.Append(cell);
            return;
        }

        row.Append('"').Append(cell.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }

    private static string Ascii(string name) =>
        new([.. name.Normalize(NormalizationForm.FormD).Where(c => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z').Select(char.ToLowerInvariant)]);
}
