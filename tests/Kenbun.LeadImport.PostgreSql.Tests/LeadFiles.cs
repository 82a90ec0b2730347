using System.Globalization;
using System.Text;
using Kenbun.LeadImport.Identifiers;

namespace Kenbun.LeadImport.PostgreSql.Tests;

/// <summary>An identifier as the store keeps it: its kind and normalised value.</summary>
internal readonly record struct Identifier(IdentifierKind Kind, string Value);

/// <summary>
/// One data row as the import rules read it: the normalised email (null when the row fails, with its error), the
/// trimmed profile fields (null when the cell is empty) and the normalised aliases. Built with the CSV, not parsed from it.
/// </summary>
internal sealed record LeadRow(long Row, string? Email, string? Error, IReadOnlyDictionary<string, string> Fields, IReadOnlyList<Identifier> Aliases, int InvalidAliases);

/// <summary>
/// A person the generated files name: display names as people type them, and the normalised identifiers every spelling
/// in a file comes down to. A share of people give their company's switchboard as their phone, so some phones are
/// named with several emails, in one file or across two.
/// </summary>
internal sealed record Person(int Id, string FirstName, string LastName, string Company, string Email, string PhoneDigits, string LinkedIn);

/// <summary>
/// Lead files shaped like real exports (Email, First Name, Last Name, Company, Phone, LinkedIn): the same person in several
/// rows with the email in another case or padded, phones in the usual US spellings, some profile URLs, a few invalid
/// and missing emails, a few unusable phones, a company with a comma or quotes. Deterministic for a seed.
/// </summary>
internal sealed class LeadFile
{
    /// <summary>The start request's settings for these files: email primary, phone and LinkedIn as aliases, three profile fields.</summary>
    public const string Settings =
        """
        {"primary_identifier":{"column":"Email","kind":"email"},
         "field_mappings":{"First Name":"first_name","Last Name":"last_name","Company":"company"},
         "alias_mappings":{"Phone":"_alias_phone","LinkedIn":"_alias_social"}}
        """;

    private static readonly (string Display, string Ascii)[] FirstNames =
    [
        ("Jane", "jane"), ("John", "john"), ("Zoë", "zoe"), ("José", "jose"), ("Aisha", "aisha"), ("Jürgen", "jurgen"), ("Mei", "mei"),
        ("Siobhán", "siobhan"), ("Olu", "olu"), ("Priya", "priya"), ("Lars", "lars"), ("Ana", "ana"), ("Tom", "tom"), ("Ingrid", "ingrid"),
    ];

    private static readonly (string Display, string Ascii)[] LastNames =
    [
        ("Doe", "doe"), ("Smith", "smith"), ("Müller", "muller"), ("O'Brien", "obrien"), ("García", "garcia"), ("Nguyen", "nguyen"),
        ("Kowalski", "kowalski"), ("Okafor", "okafor"), ("Larsen", "larsen"), ("Rossi", "rossi"), ("Tanaka", "tanaka"), ("Dubois", "dubois"),
    ];

    private static readonly (string Name, string Domain)[] Companies =
    [
        ("Acme Corp", "acme.com"), ("Globex", "globex.io"), ("Initech", "initech.net"), ("Smith, Jones & Co", "smithjones.co.uk"),
        ("Umbrella GmbH", "umbrella.de"), ("The \"Best\" Widgets", "bestwidgets.com"), ("Hooli", "hooli.xyz"), ("Stark Industries", "stark.com"),
        ("Wayne Enterprises", "wayne.com"), ("Soylent", "soylent.org"), ("Vandelay Import-Export", "vandelay.com"), ("Cyberdyne", "cyberdyne.ai"),
    ];

    private LeadFile(byte[] csv, IReadOnlyList<LeadRow> rows)
    {
        Csv = csv;
        Rows = rows;
    }

    /// <summary>The file's bytes (UTF-8, LF line ends).</summary>
    public byte[] Csv { get; }

    /// <summary>The data rows, row 1 first.</summary>
    public IReadOnlyList<LeadRow> Rows { get; }

    /// <summary>The person with <paramref name="id"/>: a pure function of the id, so two files built apart name the same people alike.</summary>
    public static Person PersonOf(int id)
    {
        var random = new Random(id);
        var first = FirstNames[random.Next(FirstNames.Length)];
        var last = LastNames[random.Next(LastNames.Length)];
        var companyIndex = random.Next(Companies.Length);
        var company = Companies[companyIndex];
        // One in eight gives the switchboard of a group of eight colleagues; every other phone is the person's own.
        var phone = random.Next(8) == 0
            ? "212" + (2_000_000 + (id / 8)).ToString(CultureInfo.InvariantCulture)
            : "415" + (2_000_000 + id).ToString(CultureInfo.InvariantCulture);
        return new Person(
            id, first.Display, last.Display, company.Name, $"{first.Ascii}.{last.Ascii}{id}@{company.Domain}", phone, $"linkedin.com/in/{first.Ascii}-{last.Ascii}-{id}");
    }

    /// <summary>A file of <paramref name="rows"/> rows naming people <paramref name="firstPerson"/> to <paramref name="lastPerson"/> (exclusive) at random.</summary>
    public static LeadFile Generate(int seed, int rows, int firstPerson, int lastPerson)
    {
        var random = new Random(seed);
        var text = new StringBuilder("Email,First Name,Last Name,Company,Phone,LinkedIn\n");
        var read = new List<LeadRow>(rows);
        var people = new Dictionary<int, Person>();
        for (var row = 1; row <= rows; row++)
        {
            var id = random.Next(firstPerson, lastPerson);
            if (!people.TryGetValue(id, out var person))
            {
                people[id] = person = PersonOf(id);
            }

            var (emailCell, email, error) = EmailCell(random, person);
            var firstName = random.Next(12) == 0 ? "" : person.FirstName;
            // People change jobs: a later row may name another company, and the last one named wins.
            var company = random.Next(6) == 0 ? Companies[random.Next(Companies.Length)].Name : person.Company;
            var (phoneCell, phone, invalidPhone) = PhoneCell(random, person);
            var (linkedInCell, linkedIn) = random.Next(10) < 3 ? LinkedInCell(random, person) : ("", null);

            AppendRow(text, emailCell, firstName, person.LastName, company, phoneCell, linkedInCell);
            var fields = new Dictionary<string, string>(StringComparer.Ordinal) { ["last_name"] = person.LastName, ["company"] = company };
            if (firstName.Length > 0)
            {
                fields["first_name"] = firstName;
            }

            List<Identifier> aliases = [];
            if (phone is not null)
            {
                aliases.Add(new Identifier(IdentifierKind.Phone, phone));
            }

            if (linkedIn is not null)
            {
                aliases.Add(new Identifier(IdentifierKind.Social, linkedIn));
            }

            read.Add(new LeadRow(row, email, error, fields, aliases, invalidPhone ? 1 : 0));
        }

        var csv = Encoding.UTF8.GetBytes(text.ToString());
        Assert.InRange(csv.Length, 1, 10 * 1024 * 1024); // the preview's default limit
        return new LeadFile(csv, read);
    }

    private static (string Cell, string? Email, string? Error) EmailCell(Random random, Person person) => random.Next(200) switch
    {
        < 3 => (person.Email.Replace("@", " at ", StringComparison.Ordinal), null, "Invalid email format"),
        < 4 => (person.Email[..(person.Email.IndexOf('@') + 1)], null, "Invalid email format"), // no domain
        < 6 => ("", null, "Missing required identifier"),
        < 30 => (person.Email.ToUpperInvariant(), person.Email, null),
        < 45 => ($" {char.ToUpperInvariant(person.Email[0])}{person.Email[1..]} ", person.Email, null),
        _ => (person.Email, person.Email, null),
    };

    private static (string Cell, string? Phone, bool Invalid) PhoneCell(Random random, Person person)
    {
        var d = person.PhoneDigits;
        var (area, exchange, line) = (d[..3], d[3..6], d[6..]);
        return random.Next(100) switch
        {
            < 2 => ("tbd", null, true),
            < 20 => ($"+1 ({area}) {exchange}-{line}", "+1" + d, false),
            < 35 => ($"{area}.{exchange}.{line}", "+1" + d, false),
            < 50 => ($"({area}) {exchange}-{line}", "+1" + d, false),
            < 60 => ($"+1-{area}-{exchange}-{line}", "+1" + d, false),
            _ => ("", null, false),
        };
    }

    private static (string Cell, string LinkedIn) LinkedInCell(Random random, Person person)
    {
        var slug = person.LinkedIn["linkedin.com/in/".Length..];
        var cell = random.Next(3) switch
        {
            0 => "https://www." + person.LinkedIn,
            1 => $"https://uk.linkedin.com/in/{CultureInfo.InvariantCulture.TextInfo.ToTitleCase(slug)}/?trk=people",
            _ => $"https://linkedin.com/in/{slug}/",
        };
        return (cell, person.LinkedIn);
    }

    private static void AppendRow(StringBuilder text, params string[] cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            var cell = cells[i];
            text.Append(cell.AsSpan().IndexOfAny(",\"\n") >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell);
        }

        text.Append('\n');
    }
}
