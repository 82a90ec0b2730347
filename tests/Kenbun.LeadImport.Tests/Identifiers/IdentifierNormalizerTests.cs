using Kenbun.LeadImport.Identifiers;

namespace Kenbun.LeadImport.Tests.Identifiers;

/// <summary>Example-based tests of the identifier rules of CONTRACT §4.</summary>
public class IdentifierNormalizerTests
{
    private const string ExampleDomain = "@example.com";

    // ---------------------------------------------------------------- email

    [Theory]
    [InlineData("jane@x.com", "jane@x.com")]
    [InlineData(" Jane@X.COM ", "jane@x.com")]
    [InlineData("\tjane@x.com\r\n", "jane@x.com")]
    [InlineData("\u00A0jane@x.com\u2003", "jane@x.com")]
    [InlineData("JANE.DOE@EXAMPLE.CO.UK", "jane.doe@example.co.uk")]
    [InlineData("a@b.c", "a@b.c")]
    [InlineData("first.last+tag@sub.example.org", "first.last+tag@sub.example.org")]
    [InlineData("O'Brien@Example.IE", "o'brien@example.ie")]
    [InlineData("user_name-1@my-domain.io", "user_name-1@my-domain.io")]
    [InlineData("x@1.2", "x@1.2")]
    [InlineData("a!#$%&'*=?^_`{|}~@example.com", "a!#$%&'*=?^_`{|}~@example.com")]
    [InlineData("ÄNNE@BÜCHER.DE", "änne@bücher.de")]
    [InlineData("a@b.c.d.e.f", "a@b.c.d.e.f")]
    [InlineData("1234567890@EXAMPLE.com", "1234567890@example.com")]
    [InlineData(".dot.first@example.com", ".dot.first@example.com")]
    [InlineData("jane@x-y.z-w.com", "jane@x-y.z-w.com")]
    public void Valid_emails_are_trimmed_and_lower_cased(string value, string expected) =>
        AssertNormalizes(IdentifierKind.Email, value, expected);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\r\n")]
    [InlineData("jane")]
    [InlineData("jane.x.com")]
    [InlineData("jane@")]
    [InlineData("@x.com")]
    [InlineData("jane@@x.com")]
    [InlineData("a@b@c.com")]
    [InlineData("jane@x.com@")]
    [InlineData("a@b")]
    [InlineData("a@.b.c")]
    [InlineData("a@b..c")]
    [InlineData("a@b.c.")]
    [InlineData("a@.")]
    [InlineData("a@b.")]
    [InlineData("jane doe@x.com")]
    [InlineData("jane@x .com")]
    [InlineData("jane@x\u2003y.com")]
    [InlineData("jane\t@x.com")]
    [InlineData("ja\u0001ne@x.com")]
    [InlineData("jane@x.com\u0000")]
    [InlineData("\u007Fjane@x.com")]
    [InlineData("jane@x.com\u0085y")]
    public void Invalid_emails_are_rejected(string value) =>
        AssertRejects(IdentifierKind.Email, value);

    public static TheoryData<string, string> LongEmails()
    {
        var local254 = new string('a', IdentifierNormalizer.MaxEmailLength - ExampleDomain.Length);
        var upper254 = new string('A', IdentifierNormalizer.MaxEmailLength - ExampleDomain.Length);
        return new TheoryData<string, string>
        {
            { local254 + ExampleDomain, local254 + ExampleDomain },
            { upper254 + "@EXAMPLE.COM", local254 + ExampleDomain },
            { "  " + local254 + ExampleDomain + "\t", local254 + ExampleDomain },
        };
    }

    [Theory]
    [MemberData(nameof(LongEmails))]
    public void Emails_of_254_characters_are_valid(string value, string expected)
    {
        Assert.Equal(254, expected.Length);
        AssertNormalizes(IdentifierKind.Email, value, expected);
    }

    [Fact]
    public void Emails_of_255_characters_are_rejected()
    {
        var value = new string('a', 255 - ExampleDomain.Length) + ExampleDomain;
        Assert.Equal(255, value.Length);
        AssertRejects(IdentifierKind.Email, value);
    }

    // ---------------------------------------------------------------- phone

    [Theory]
    [InlineData("+1 (555) 010-0000", "+15550100000")]
    [InlineData("+1-555-010-0000", "+15550100000")]
    [InlineData("+1.555.010.0000", "+15550100000")]
    [InlineData("+1/555/010/0000", "+15550100000")]
    [InlineData("\t+15550100000\r\n", "+15550100000")]
    [InlineData("  +44 20 7946 0958  ", "+442079460958")]
    [InlineData("+ 1 555 0100", "+15550100")]
    [InlineData("555 0100", "5550100")]
    [InlineData("1234567", "1234567")]
    [InlineData("1 2 3 4 5 6 7", "1234567")]
    [InlineData("123456789012345", "123456789012345")]
    [InlineData("123-456-789-012-345", "123456789012345")]
    [InlineData("(030) 123/4567", "0301234567")]
    [InlineData("+49 (0)30 1234-567", "+49301234567")]
    [InlineData("0044.20.7946.0958", "00442079460958")]
    [InlineData("--555--0100--", "5550100")]
    [InlineData("()555()0100()", "5550100")]
    [InlineData("+1 415 555 0100 x12", "+14155550100;ext=12")]
    [InlineData("+1 415 555 0100 ext. 12", "+14155550100;ext=12")]
    [InlineData("+1 415 555 0100 EXT 12", "+14155550100;ext=12")]
    [InlineData("+1 415 555 0100#12", "+14155550100;ext=12")]
    [InlineData("+14155550100;ext=12", "+14155550100;ext=12")]
    [InlineData("555 0100 x12", "5550100;ext=12")]
    [InlineData("555 0100 ext 12", "5550100;ext=12")]
    public void Valid_phones_without_a_region_are_E164_with_a_country_code_else_the_digits_alone(string value, string expected) =>
        AssertNormalizes(IdentifierKind.Phone, value, expected);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("123456")]
    [InlineData("+123456")]
    [InlineData("+1234567")]
    [InlineData("+123456789012345")]
    [InlineData("+999 1234 5678")]
    [InlineData("+0 1234 5678")]
    [InlineData("12 34 56")]
    [InlineData("+1 (23) 45-6")]
    [InlineData("1234567890123456")]
    [InlineData("+1234567890123456")]
    [InlineData("+1 234 567 890 123 456")]
    [InlineData("1+5550100000")]
    [InlineData("+1+5550100000")]
    [InlineData("++15550100000")]
    [InlineData("(+1) 555 0100")]
    [InlineData("5550100000+")]
    [InlineData("555-CALL-NOW")]
    [InlineData("555_0100")]
    [InlineData("555,0100")]
    [InlineData("555\t0100")]
    [InlineData("#5550100")]
    [InlineData("*5550100")]
    [InlineData("5550100;")]
    [InlineData("555 0100 x")]
    [InlineData("555 0100 x12345678901")]
    [InlineData("555 0100 extension 12")]
    [InlineData("x12")]
    [InlineData("555 0100 x12 x13")]
    [InlineData("+")]
    [InlineData("(-)./ ")]
    public void Invalid_phones_are_rejected(string value) =>
        AssertRejects(IdentifierKind.Phone, value);

    [Theory]
    [InlineData("1957-03-04")]
    [InlineData("1957/3/4")]
    [InlineData("1957.03.04")]
    [InlineData("04.03.1957")]
    [InlineData("4.3.1957")]
    [InlineData("03/04/1957")]
    [InlineData("12/31/1999")]
    [InlineData("31-12-1999")]
    [InlineData("31.12.99")]
    [InlineData("2024-01-15 10:30:00")]
    [InlineData("2024-01-15T10:30:00Z")]
    [InlineData("10:30")]
    [InlineData("23:59:59.999")]
    [InlineData("12.345,67")]
    [InlineData("1,234,567")]
    [InlineData("-122.4194")]
    [InlineData("+122.4194")]
    [InlineData("37.774929")]
    [InlineData("-122.419416")]
    [InlineData("1700000000.123")]
    [InlineData("1234567.89")]
    [InlineData("37.7749 -122.4194")]
    [InlineData("37.7749, -122.4194")]
    [InlineData("  1957-03-04  ")]
    public void Dates_times_decimals_and_coordinates_are_never_phones(string value)
    {
        Assert.True(PhoneLookalikes.Matches(value.Trim()));
        AssertRejects(IdentifierKind.Phone, value);
    }

    [Theory]
    [InlineData("415.555.0100", "4155550100")]
    [InlineData("1-415-555-0100", "14155550100")]
    [InlineData("0171.2345678", "01712345678")]
    [InlineData("01.23.45.67.89", "0123456789")]
    [InlineData("12-34-5678", "12345678")]
    [InlineData("2024-555-0100", "20245550100")]
    [InlineData("+1 (415) 555-0100", "+14155550100")]
    public void Phones_shaped_like_no_date_or_number_stay_phones(string value, string expected)
    {
        Assert.False(PhoneLookalikes.Matches(value));
        AssertNormalizes(IdentifierKind.Phone, value, expected);
    }

    // ---------------------------------------------------------------- cookie

    [Theory]
    [InlineData("abc", "abc")]
    [InlineData(" AbC123 ", "AbC123")]
    [InlineData("\tGA1.2.1234567890.1700000000\r\n", "GA1.2.1234567890.1700000000")]
    [InlineData("a", "a")]
    [InlineData("!#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\"", "!#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\"")]
    [InlineData("ÄÖÜ-ß-日本", "ÄÖÜ-ß-日本")]
    [InlineData("dGVzdA==", "dGVzdA==")]
    [InlineData("x=y;z", "x=y;z")]
    [InlineData("MixedCASE", "MixedCASE")]
    public void Valid_cookies_are_trimmed_and_keep_their_case(string value, string expected) =>
        AssertNormalizes(IdentifierKind.Cookie, value, expected);

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r\n")]
    [InlineData("abc def")]
    [InlineData("abc\tdef")]
    [InlineData("abc\u0000")]
    [InlineData("\u0007abc")]
    [InlineData("abc\u00A0def")]
    [InlineData("abc\u2028def")]
    [InlineData("\u007F")]
    [InlineData("abc\u0085def")]
    public void Invalid_cookies_are_rejected(string value) =>
        AssertRejects(IdentifierKind.Cookie, value);

    [Fact]
    public void Cookies_of_512_characters_are_valid()
    {
        var value = new string('c', IdentifierNormalizer.MaxCookieLength);
        Assert.Equal(512, value.Length);
        AssertNormalizes(IdentifierKind.Cookie, value, value);
        AssertNormalizes(IdentifierKind.Cookie, " " + value + " ", value);
    }

    [Fact]
    public void Cookies_of_513_characters_are_rejected()
    {
        var value = new string('c', 513);
        AssertRejects(IdentifierKind.Cookie, value);
    }

    // ---------------------------------------------------------------- external_id

    [Theory]
    [InlineData("ABC-1", "ABC-1")]
    [InlineData(" abc-1 ", "abc-1")]
    [InlineData("x", "x")]
    [InlineData("Customer 42", "Customer 42")]
    [InlineData("\tCRM-0042\n", "CRM-0042")]
    [InlineData("00123", "00123")]
    [InlineData("日本語ID", "日本語ID")]
    [InlineData("a@B.c", "a@B.c")]
    [InlineData("a\tb", "a\tb")]
    [InlineData("\u00A0id\u00A0", "id")]
    public void Valid_external_ids_are_trimmed_and_keep_their_case(string value, string expected) =>
        AssertNormalizes(IdentifierKind.ExternalId, value, expected);

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("   ")]
    [InlineData("\t\r\n")]
    [InlineData("\u00A0")]
    [InlineData("\u2003 \u2028")]
    [InlineData("\u0085")]
    [InlineData("\u3000")]
    public void Empty_or_whitespace_external_ids_are_rejected(string value) =>
        AssertRejects(IdentifierKind.ExternalId, value);

    [Fact]
    public void External_ids_of_256_characters_are_valid()
    {
        var value = new string('E', IdentifierNormalizer.MaxExternalIdLength);
        Assert.Equal(256, value.Length);
        AssertNormalizes(IdentifierKind.ExternalId, value, value);
        AssertNormalizes(IdentifierKind.ExternalId, "  " + value + "\t", value);
    }

    [Fact]
    public void External_ids_of_257_characters_are_rejected() =>
        AssertRejects(IdentifierKind.ExternalId, new string('E', 257));

    // ---------------------------------------------------------------- social

    [Theory]
    [InlineData("https://www.LinkedIn.com/in/Jane/?trk=1#x", "linkedin.com/in/jane")]
    [InlineData("linkedin.com/in/jane", "linkedin.com/in/jane")]
    [InlineData("http://twitter.com/JaneDoe", "x.com/janedoe")]
    [InlineData("HTTPS://WWW.FACEBOOK.COM/jane.doe", "facebook.com/jane.doe")]
    [InlineData("www.linkedin.com/in/jane/", "linkedin.com/in/jane")]
    [InlineData("instagram.com/jane#bio", "instagram.com/jane")]
    [InlineData("https://x.com/jane///", "x.com/jane")]
    [InlineData("https://linkedin.com/in/jane?x=1/2", "linkedin.com/in/jane")]
    [InlineData("https://www.com/jane", "www.com/jane")]
    [InlineData("https://www.www.example.com/jane", "example.com/jane")]
    [InlineData("https://sub.www.example.com/p", "sub.www.example.com/p")]
    [InlineData("https://my-site.co.uk/users/42", "my-site.co.uk/users/42")]
    [InlineData(" \thttps://github.com/Jane \n", "github.com/jane")]
    [InlineData("@JaneDoe", "@janedoe")]
    [InlineData("  @Jane  ", "@jane")]
    [InlineData("@jane_doe.99-x", "@jane_doe.99-x")]
    [InlineData("@Jürgen", "@jürgen")]
    public void Valid_social_profiles_are_lower_cased_and_stripped(string value, string expected) =>
        AssertNormalizes(IdentifierKind.Social, value, expected);

    [Theory]
    [InlineData("https://uk.linkedin.com/in/Jane-Doe/?trk=x", "linkedin.com/in/jane-doe")]
    [InlineData("https://de.linkedin.com/in/jane-doe", "linkedin.com/in/jane-doe")]
    [InlineData("https://www.uk.linkedin.com/in/jane-doe", "linkedin.com/in/jane-doe")]
    [InlineData("https://m.linkedin.com/in/jane-doe/", "linkedin.com/in/jane-doe")]
    [InlineData("https://mobile.twitter.com/JaneDoe?s=20", "x.com/janedoe")]
    [InlineData("https://m.facebook.com/jane.doe", "facebook.com/jane.doe")]
    [InlineData("https://www.linkedin.com/in/j%C3%BCrgen-m%C3%BCller/", "linkedin.com/in/jürgen-müller")]
    [InlineData("https://www.linkedin.com/in/J%C3%9CRGEN", "linkedin.com/in/jürgen")]
    [InlineData("linkedin.com/in/j%2541ne", "linkedin.com/in/jane")]
    [InlineData("linkedin.com/in/jane%3Ftrk=1", "linkedin.com/in/jane")]
    [InlineData("linkedin.com/in/jane%2F", "linkedin.com/in/jane")]
    [InlineData("linkedin.com/in/jane?trk=a%20b", "linkedin.com/in/jane")]
    [InlineData("linkedin.com/in/50%25", "linkedin.com/in/50%")]
    [InlineData("linkedin.com/in/%C3", "linkedin.com/in/%c3")]
    [InlineData("https://m.com/jane", "m.com/jane")]
    [InlineData("https://uk.com/jane", "uk.com/jane")]
    [InlineData("https://uk.facebook.com/jane", "uk.facebook.com/jane")]
    [InlineData("https://usa.linkedin.com/in/jane", "usa.linkedin.com/in/jane")]
    [InlineData("https://uk.linkedin.co.uk/in/jane", "uk.linkedin.co.uk/in/jane")]
    [InlineData("https://x.twitter.com/jane", "x.twitter.com/jane")]
    [InlineData("https://twitter.com.au/jane", "twitter.com.au/jane")]
    [InlineData("https://linkedin%2Ecom%2Fin%2Fjane", "linkedin.com/in/jane")]
    [InlineData("@Twitter.com", "@twitter.com")]
    public void Social_profiles_follow_the_host_table_and_are_percent_decoded(string value, string expected) =>
        AssertNormalizes(IdentifierKind.Social, value, expected);

    [Theory]
    [InlineData("https://linkedin.com/in/jane%20doe")]
    [InlineData("https://linkedin.com/in/jane%0A")]
    [InlineData("https://linkedin.com/%3Fin=jane")]
    public void Social_profiles_that_decode_to_whitespace_or_no_path_are_rejected(string value) =>
        AssertRejects(IdentifierKind.Social, value);

    [Fact]
    public void Every_alias_target_of_the_host_table_is_already_canonical()
    {
        foreach (var (alias, target) in SocialProfileHosts.Aliases)
        {
            AssertNormalizes(IdentifierKind.Social, alias + "/p", target + "/p");
            AssertNormalizes(IdentifierKind.Social, target + "/p", target + "/p");
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("@")]
    [InlineData(" @ ")]
    [InlineData("@jane doe")]
    [InlineData("@jane!")]
    [InlineData("@jane/x")]
    [InlineData("@@jane")]
    [InlineData("jane")]
    [InlineData("https://linkedin.com/")]
    [InlineData("https://linkedin.com")]
    [InlineData("linkedin.com")]
    [InlineData("https://linkedin.com//")]
    [InlineData("https://linkedin.com/?in=jane")]
    [InlineData("https://linkedin.com/#/in/jane")]
    [InlineData("https://linkedin.com?in=jane")]
    [InlineData("linkedin/in/jane")]
    [InlineData("https:///in/jane")]
    [InlineData("ftp://linkedin.com/in/jane")]
    [InlineData("https://linkedin..com/in/jane")]
    [InlineData("https://.linkedin.com/in/jane")]
    [InlineData("https://linkedin.com./in/jane")]
    [InlineData("https://linked_in.com/in/jane")]
    [InlineData("https://linkedin.com/in/ja ne")]
    [InlineData("https://linkedin.com/in\t/jane")]
    [InlineData("https://linkedin.com/in/\u0001jane")]
    public void Invalid_social_profiles_are_rejected(string value) =>
        AssertRejects(IdentifierKind.Social, value);

    // ---------------------------------------------------------------- every kind

    [Theory]
    [InlineData(IdentifierKind.Email)]
    [InlineData(IdentifierKind.Phone)]
    [InlineData(IdentifierKind.Cookie)]
    [InlineData(IdentifierKind.ExternalId)]
    [InlineData(IdentifierKind.Social)]
    public void Null_is_never_a_valid_identifier(IdentifierKind kind) =>
        AssertRejects(kind, null);

    // ---------------------------------------------------------------- equivalent spellings

    public static TheoryData<IdentifierKind, string, string[]> EquivalentSpellings() => new()
    {
        { IdentifierKind.Email, "jane@x.com", [" Jane@X.COM ", "jane@x.com", "JANE@X.COM", "\tJane@x.Com\n"] },
        { IdentifierKind.Email, "first.last@example.co.uk", ["First.Last@Example.CO.UK", "first.last@example.co.uk", " FIRST.LAST@EXAMPLE.CO.UK"] },
        { IdentifierKind.Email, "änne@bücher.de", ["ÄNNE@BÜCHER.DE", "änne@bücher.de", "Änne@Bücher.De "] },
        { IdentifierKind.Phone, "+15550100000", ["+1 (555) 010-0000", "+1-555-010-0000", "+1.555.010.0000", "+15550100000", " +1 555 010 0000 ", "+1/555/010/0000"] },
        { IdentifierKind.Phone, "0301234567", ["(030) 1234567", "030-123-4567", "030 123 45 67", "0301234567", "030/123.45-67"] },
        { IdentifierKind.Phone, "+442079460958", ["+44 20 7946 0958", "+44 (20) 7946-0958", "+44.20.7946.0958", "+442079460958", "+ 44 20 79 46 09 58", "+44 (0)20 7946 0958"] },
        { IdentifierKind.Phone, "+4930123456", ["+49 30 123456", "+49 (0)30 123456", "+49030123456"] },
        { IdentifierKind.Cookie, "GA1.2.3", [" GA1.2.3 ", "GA1.2.3", "\tGA1.2.3\r\n"] },
        { IdentifierKind.ExternalId, "CRM-0042", ["  CRM-0042 ", "CRM-0042", "\u00A0CRM-0042\u00A0"] },
        {
            IdentifierKind.Social, "linkedin.com/in/jane",
            [
                "https://www.LinkedIn.com/in/Jane/?trk=1#x", "linkedin.com/in/jane", "http://linkedin.com/in/jane/",
                "HTTPS://LINKEDIN.COM/IN/JANE", "www.linkedin.com/in/jane#about", "https://www.www.linkedin.com/in/jane//?a=b",
            ]
        },
        { IdentifierKind.Social, "x.com/janedoe", ["https://twitter.com/JaneDoe?s=20", "twitter.com/janedoe/", "http://www.Twitter.com/JaneDoe#top", "x.com/JaneDoe", "https://mobile.twitter.com/janedoe"] },
        { IdentifierKind.Social, "linkedin.com/in/jane-doe", ["https://uk.linkedin.com/in/Jane-Doe/?trk=x", "de.linkedin.com/in/jane-doe", "https://m.linkedin.com/in/jane-doe#experience", "linkedin.com/in/jane-doe/", "https://www.linkedin.com/in/jane%2Ddoe"] },
        { IdentifierKind.Social, "@janedoe", ["@JaneDoe", "@janedoe", " @JANEDOE "] },
    };

    [Theory]
    [MemberData(nameof(EquivalentSpellings))]
    public void Different_spellings_of_one_identifier_normalise_to_one_value(IdentifierKind kind, string expected, string[] spellings)
    {
        Assert.True(spellings.Length >= 2);
        foreach (var spelling in spellings)
        {
            AssertNormalizes(kind, spelling, expected);
        }
    }

    // ---------------------------------------------------------------- distinct identifiers

    [Theory]
    [InlineData(IdentifierKind.ExternalId, "ABC-1", "abc-1")]
    [InlineData(IdentifierKind.ExternalId, "a b", "ab")]
    [InlineData(IdentifierKind.ExternalId, "007", "7")]
    [InlineData(IdentifierKind.Cookie, "AbC", "abc")]
    [InlineData(IdentifierKind.Cookie, "GA1.2.X", "GA1.2.x")]
    [InlineData(IdentifierKind.Phone, "+15550100000", "15550100000")]
    [InlineData(IdentifierKind.Phone, "0049301234567", "+49301234567")]
    [InlineData(IdentifierKind.Phone, "+4930123456", "+4930123457")]
    [InlineData(IdentifierKind.Phone, "+14155550100;ext=12", "+14155550100;ext=13")]
    [InlineData(IdentifierKind.Phone, "+14155550100;ext=12", "+14155550100")]
    [InlineData(IdentifierKind.Email, "jane@x.com", "jane@y.com")]
    [InlineData(IdentifierKind.Email, "jane@x.com", "jane.doe@x.com")]
    [InlineData(IdentifierKind.Email, "jane+a@x.com", "jane@x.com")]
    [InlineData(IdentifierKind.Email, "j.ane@x.com", "jane@x.com")]
    [InlineData(IdentifierKind.Social, "linkedin.com/in/jane", "linkedin.com/in/jane2")]
    [InlineData(IdentifierKind.Social, "linkedin.com/in/jane", "linkedin.com/jane")]
    [InlineData(IdentifierKind.Social, "@jane", "twitter.com/jane")]
    [InlineData(IdentifierKind.Social, "https://sub.example.com/jane", "https://example.com/jane")]
    [InlineData(IdentifierKind.Social, "@jane", "@jane_")]
    public void Different_identifiers_stay_distinct(IdentifierKind kind, string first, string second)
    {
        Assert.True(IdentifierNormalizer.TryNormalize(kind, first, out var firstNormalized), $"'{first}' should be valid");
        Assert.True(IdentifierNormalizer.TryNormalize(kind, second, out var secondNormalized), $"'{second}' should be valid");
        Assert.NotEqual(firstNormalized, secondNormalized);
    }

    // ---------------------------------------------------------------- helpers

    private static void AssertNormalizes(IdentifierKind kind, string value, string expected)
    {
        Assert.True(IdentifierNormalizer.TryNormalize(kind, value, out var normalized), $"{kind} '{Escape(value)}' should be valid");
        Assert.Equal(expected, normalized);
        Assert.True(IdentifierNormalizer.IsValid(kind, value));
    }

    private static void AssertRejects(IdentifierKind kind, string? value)
    {
        Assert.False(IdentifierNormalizer.TryNormalize(kind, value, out var normalized), $"{kind} '{Escape(value)}' should be invalid");
        Assert.Null(normalized);
        Assert.False(IdentifierNormalizer.IsValid(kind, value));
    }

    private static string Escape(string? value) =>
        value is null
            ? "<null>"
            : string.Concat(value.Select(c => char.IsControl(c) || (char.IsWhiteSpace(c) && c != ' ') ? $"\\u{(int)c:X4}" : c.ToString()));
}
