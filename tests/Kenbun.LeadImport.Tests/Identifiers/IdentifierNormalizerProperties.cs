using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kenbun.LeadImport.Identifiers;
using PhoneNumbers;

namespace Kenbun.LeadImport.Tests.Identifiers;

/// <summary>
/// Property-based tests of <see cref="IdentifierNormalizer"/>: it never throws, normalising is idempotent,
/// and every result agrees with an independent model of the CONTRACT §4 rules.
/// The generators build values from identifier-shaped parts so that a good share of them is valid.
/// </summary>
public class IdentifierNormalizerProperties
{
    private const int Runs = 1000;

    public static TheoryData<IdentifierKind> Kinds() => new(IdentifierKinds.All);

    // ---------------------------------------------------------------- never throws

    [Property(MaxTest = Runs)]
    public Property Normalising_never_throws_and_agrees_with_IsValid() =>
        Prop.ForAll(IdentifierGenerators.AnyKind.ToArbitrary(), IdentifierGenerators.AnyValue.ToArbitrary(), (kind, value) =>
        {
            var valid = IdentifierNormalizer.TryNormalize(kind, value, out var normalized);
            var holds = valid == IdentifierNormalizer.IsValid(kind, value) && valid == (normalized is not null);
            return holds.Label($"{kind} {Show(value)} -> {valid} {Show(normalized)}");
        });

    // ---------------------------------------------------------------- idempotence

    [Property(MaxTest = Runs)]
    public Property Normalising_any_value_as_any_kind_is_idempotent() =>
        Prop.ForAll(IdentifierGenerators.AnyKind.ToArbitrary(), IdentifierGenerators.AnyValue.ToArbitrary(), Idempotent);

    [Property(MaxTest = Runs)]
    public Property Normalised_emails_normalise_to_themselves() =>
        Prop.ForAll(IdentifierGenerators.Email.ToArbitrary(), value => Idempotent(IdentifierKind.Email, value));

    [Property(MaxTest = Runs)]
    public Property Normalised_phones_normalise_to_themselves() =>
        Prop.ForAll(IdentifierGenerators.Phone.ToArbitrary(), value => Idempotent(IdentifierKind.Phone, value));

    [Property(MaxTest = Runs)]
    public Property Normalised_phones_normalise_to_themselves_in_every_region() =>
        Prop.ForAll(IdentifierGenerators.PhoneRegion.ToArbitrary(), IdentifierGenerators.Phone.ToArbitrary(), (region, value) => Idempotent(IdentifierKind.Phone, value, region));

    [Property(MaxTest = Runs)]
    public Property Normalised_cookies_normalise_to_themselves() =>
        Prop.ForAll(IdentifierGenerators.Cookie.ToArbitrary(), value => Idempotent(IdentifierKind.Cookie, value));

    [Property(MaxTest = Runs)]
    public Property Normalised_external_ids_normalise_to_themselves() =>
        Prop.ForAll(IdentifierGenerators.ExternalId.ToArbitrary(), value => Idempotent(IdentifierKind.ExternalId, value));

    [Property(MaxTest = Runs)]
    public Property Normalised_social_profiles_normalise_to_themselves() =>
        Prop.ForAll(IdentifierGenerators.Social.ToArbitrary(), value => Idempotent(IdentifierKind.Social, value));

    // ---------------------------------------------------------------- agreement with the contract model

    [Property(MaxTest = Runs)]
    public Property Emails_follow_the_contract_rules() =>
        Prop.ForAll(IdentifierGenerators.Email.ToArbitrary(), value => AgreesWithContract(IdentifierKind.Email, value));

    [Property(MaxTest = Runs)]
    public Property Phones_follow_the_contract_rules() =>
        Prop.ForAll(IdentifierGenerators.Phone.ToArbitrary(), value => AgreesWithContract(IdentifierKind.Phone, value));

    [Property(MaxTest = Runs)]
    public Property Phones_follow_the_contract_rules_in_every_region() =>
        Prop.ForAll(IdentifierGenerators.PhoneRegion.ToArbitrary(), IdentifierGenerators.Phone.ToArbitrary(), (region, value) => AgreesWithContract(IdentifierKind.Phone, value, region));

    [Property(MaxTest = Runs)]
    public Property E164_values_get_the_full_parse_s_answer() =>
        Prop.ForAll(IdentifierGenerators.E164.ToArbitrary(), value => AgreesWithContract(IdentifierKind.Phone, value));

    [Property(MaxTest = Runs)]
    public Property Cookies_follow_the_contract_rules() =>
        Prop.ForAll(IdentifierGenerators.Cookie.ToArbitrary(), value => AgreesWithContract(IdentifierKind.Cookie, value));

    [Property(MaxTest = Runs)]
    public Property External_ids_follow_the_contract_rules() =>
        Prop.ForAll(IdentifierGenerators.ExternalId.ToArbitrary(), value => AgreesWithContract(IdentifierKind.ExternalId, value));

    [Property(MaxTest = Runs)]
    public Property Social_profiles_follow_the_contract_rules() =>
        Prop.ForAll(IdentifierGenerators.Social.ToArbitrary(), value => AgreesWithContract(IdentifierKind.Social, value));

    [Property(MaxTest = Runs)]
    public Property Any_value_as_any_kind_follows_the_contract_rules() =>
        Prop.ForAll(IdentifierGenerators.AnyKind.ToArbitrary(), IdentifierGenerators.AnyValue.ToArbitrary(), AgreesWithContract);

    // ---------------------------------------------------------------- spellings

    [Property(MaxTest = Runs)]
    public Property Email_and_social_ignore_the_case_of_ascii_letters() =>
        Prop.ForAll(
            Gen.Elements(IdentifierKind.Email, IdentifierKind.Social).ToArbitrary(),
            IdentifierGenerators.AsciiCaseVariants.ToArbitrary(),
            (kind, variants) =>
            {
                var (value, respelled) = variants;
                var valid = IdentifierNormalizer.TryNormalize(kind, value, out var normalized);
                var respelledValid = IdentifierNormalizer.TryNormalize(kind, respelled, out var respelledNormalized);
                return (valid == respelledValid && normalized == respelledNormalized)
                    .Label($"{kind} {Show(value)} -> {Show(normalized)} but {Show(respelled)} -> {Show(respelledNormalized)}");
            });

    [Property(MaxTest = Runs)]
    public Property Cookies_and_external_ids_keep_the_case_of_ascii_letters() =>
        Prop.ForAll(
            Gen.Elements(IdentifierKind.Cookie, IdentifierKind.ExternalId).ToArbitrary(),
            IdentifierGenerators.AsciiCaseVariants.ToArbitrary(),
            (kind, variants) =>
            {
                var (value, respelled) = variants;
                var valid = IdentifierNormalizer.TryNormalize(kind, value, out var normalized);
                var respelledValid = IdentifierNormalizer.TryNormalize(kind, respelled, out var respelledNormalized);
                var holds = valid == respelledValid
                    && (!valid || string.Equals(normalized, respelledNormalized, StringComparison.Ordinal) == string.Equals(value.Trim(), respelled.Trim(), StringComparison.Ordinal));
                return holds.Label($"{kind} {Show(value)} -> {Show(normalized)}, {Show(respelled)} -> {Show(respelledNormalized)}");
            });

    [Property(MaxTest = Runs)]
    public Property Every_spelling_of_one_social_profile_normalises_to_one_value() =>
        Prop.ForAll(IdentifierGenerators.SocialProfileSpellings.ToArbitrary(), profile =>
        {
            var (expected, spelling) = profile;
            var valid = IdentifierNormalizer.TryNormalize(IdentifierKind.Social, spelling, out var normalized);
            var stays = IdentifierNormalizer.TryNormalize(IdentifierKind.Social, expected, out var again) && again == expected;
            return (valid && normalized == expected && stays).Label($"{Show(spelling)} -> {Show(normalized)}, expected {Show(expected)}");
        });

    [Property(MaxTest = Runs)]
    public Property Every_format_of_one_phone_gives_one_E164_value() =>
        Prop.ForAll(IdentifierGenerators.PhoneSpellings.ToArbitrary(), phone =>
        {
            var valid = IdentifierNormalizer.TryNormalize(IdentifierKind.Phone, phone.Spelling, phone.Region, out var normalized);
            return (valid && normalized == phone.Expected)
                .Label($"[{phone.Region}] {Show(phone.Spelling)} -> {Show(normalized)}, expected {Show(phone.Expected)}");
        });

    [Property(MaxTest = Runs)]
    public Property No_date_time_decimal_number_or_coordinate_is_a_phone_in_any_region() =>
        Prop.ForAll(IdentifierGenerators.PhoneRegion.ToArbitrary(), IdentifierGenerators.PhoneLookalike.ToArbitrary(), (region, value) =>
            (!IdentifierNormalizer.IsValid(IdentifierKind.Phone, value, region)).Label($"[{region}] {Show(value)} was taken for a phone"));

    // ---------------------------------------------------------------- the generators themselves

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Generators_produce_both_valid_and_invalid_values(IdentifierKind kind)
    {
        var samples = IdentifierGenerators.For(kind).Sample(2000);
        var valid = samples.Count(value => ContractModel.Normalize(kind, value) is not null);

        // A third or more valid keeps the idempotence and model properties meaningful;
        // a tenth or more invalid keeps the rejection rules exercised.
        Assert.InRange(valid, samples.Length / 3, samples.Length * 9 / 10);
    }

    [Theory]
    [InlineData(IdentifierKind.Email, 254)]
    [InlineData(IdentifierKind.Email, 255)]
    [InlineData(IdentifierKind.Cookie, 512)]
    [InlineData(IdentifierKind.Cookie, 513)]
    [InlineData(IdentifierKind.ExternalId, 256)]
    [InlineData(IdentifierKind.ExternalId, 257)]
    public void Generators_reach_the_length_limits(IdentifierKind kind, int length)
    {
        var samples = IdentifierGenerators.For(kind).Sample(3000);
        Assert.Contains(samples, value => value is not null && value.Trim().Length == length);
    }

    // ---------------------------------------------------------------- helpers

    private static Property Idempotent(IdentifierKind kind, string? value) => Idempotent(kind, value, phoneRegion: null);

    private static Property Idempotent(IdentifierKind kind, string? value, string? phoneRegion)
    {
        var valid = IdentifierNormalizer.TryNormalize(kind, value, phoneRegion, out var once);
        string? twice = null;
        var holds = !valid
            || (IdentifierNormalizer.TryNormalize(kind, once, phoneRegion, out twice) && string.Equals(once, twice, StringComparison.Ordinal));
        return holds
            .Label($"{kind} [{phoneRegion}] {Show(value)} -> {Show(once)} -> {Show(twice)}")
            .Classify(valid, "valid");
    }

    private static Property AgreesWithContract(IdentifierKind kind, string? value) => AgreesWithContract(kind, value, phoneRegion: null);

    private static Property AgreesWithContract(IdentifierKind kind, string? value, string? phoneRegion)
    {
        var expected = ContractModel.Normalize(kind, value, phoneRegion);
        var valid = IdentifierNormalizer.TryNormalize(kind, value, phoneRegion, out var actual);
        var holds = valid == (expected is not null) && string.Equals(expected, actual, StringComparison.Ordinal);
        return holds
            .Label($"{kind} [{phoneRegion}] {Show(value)}: expected {Show(expected)}, actual {Show(actual)}")
            .Classify(expected is not null, "valid");
    }

    internal static string Show(string? value)
    {
        if (value is null)
        {
            return "<null>";
        }

        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                text.Append(c);
            }
        }

        return text.Append('"').ToString();
    }
}

/// <summary>An independent statement of the CONTRACT §4 rules, written from the contract rather than the implementation.</summary>
internal static partial class ContractModel
{
    private static readonly PhoneNumberUtil PhoneNumbers = PhoneNumberUtil.GetInstance();

    public static string? Normalize(IdentifierKind kind, string? value, string? phoneRegion = null)
    {
        if (value is null)
        {
            return null;
        }

        var trimmed = value.Trim();
        return kind switch
        {
            IdentifierKind.Email => Email(trimmed),
            IdentifierKind.Phone => Phone(trimmed, phoneRegion),
            IdentifierKind.Cookie => trimmed.Length is >= 1 and <= 512 && !HasSpaceOrControl(trimmed) ? trimmed : null,
            IdentifierKind.ExternalId => trimmed.Length is >= 1 and <= 256 ? trimmed : null,
            IdentifierKind.Social => Social(trimmed),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
    }

    private static bool HasSpaceOrControl(string value) => value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));

    private static string? Email(string email)
    {
        if (email.Length is 0 or > 254 || HasSpaceOrControl(email))
        {
            return null;
        }

        var parts = email.Split('@');
        if (parts.Length != 2 || parts[0].Length == 0)
        {
            return null;
        }

        var labels = parts[1].Split('.');
        return labels.Length >= 2 && labels.All(label => label.Length > 0) ? email.ToLowerInvariant() : null;
    }

    /// <summary>
    /// With a <c>+</c> or a region, what libphonenumber's full parse makes of the number (so the implementation's fast path
    /// for E.164 values is checked against it); with neither, 7 to 15 digits kept alone; an extension as <c>;ext=</c>.
    /// </summary>
    private static string? Phone(string phone, string? region)
    {
        // Dates, times, decimals and coordinates are pinned by examples in IdentifierNormalizerTests; here they are taken as given.
        var match = PhoneShape().Match(phone);
        if (!match.Success || PhoneLookalikes.Matches(phone))
        {
            return null;
        }

        var number = match.Groups["number"].Value;
        var extension = match.Groups["extension"].Success ? ";ext=" + match.Groups["extension"].Value : "";
        string? normalized;
        if (number.StartsWith('+') || region is not null)
        {
            // Parsed again until the E.164 form stays as it is (null when it does not within three more parses).
            normalized = FullParse(number, region ?? "ZZ");
            for (var round = 0; normalized is not null; round++)
            {
                var again = FullParse(normalized, "ZZ");
                if (again == normalized)
                {
                    break;
                }

                normalized = round < 2 ? again : null;
            }
        }
        else
        {
            var digits = new string([.. number.Where(char.IsAsciiDigit)]);
            normalized = digits.Length is >= 7 and <= 15 ? digits : null;
        }

        return normalized is null ? null : normalized + extension;
    }

    private static string? Social(string social)
    {
        if (social.Length == 0 || HasSpaceOrControl(social))
        {
            return null;
        }

        var lower = social.ToLowerInvariant();
        if (lower.StartsWith('@'))
        {
            return lower.Length >= 2 && lower.Skip(1).All(c => char.IsLetterOrDigit(c) || c is '_' or '.' or '-') ? lower : null;
        }

        // Percent-decoded (again while that changes something), the query and fragment never decoded into the profile.
        var url = social;
        for (var previous = ""; url != previous;)
        {
            previous = url;
            url = Uri.UnescapeDataString(QueryOrFragment().Replace(url, ""));
        }

        if (HasSpaceOrControl(url))
        {
            return null;
        }

        var match = ProfileUrl().Match(url.ToLowerInvariant());
        if (!match.Success)
        {
            return null;
        }

        var host = match.Groups["host"].Value;
        var path = match.Groups["path"].Value.TrimEnd('/');
        if (path.Length == 0 || !IsHostName(host))
        {
            return null;
        }

        var labels = host.Split('.').ToList();
        while (labels.Count > 2
            && (labels[0] is "www" or "m" or "mobile"
                || (labels[0].Length == 2 && labels[0].All(char.IsAsciiLetterLower) && string.Join('.', labels.Skip(1)) == "linkedin.com")))
        {
            labels.RemoveAt(0);
        }

        host = string.Join('.', labels);
        return (host == "twitter.com" ? "x.com" : host) + path;
    }

    private static bool IsHostName(string host)
    {
        var labels = host.Split('.');
        return labels.Length >= 2 && labels.All(label => label.Length > 0 && label.All(c => char.IsLetterOrDigit(c) || c == '-'));
    }

    private static string? FullParse(string number, string region)
    {
        try
        {
            var parsed = PhoneNumbers.Parse(number, region);
            return PhoneNumbers.IsPossibleNumber(parsed) ? PhoneNumbers.Format(parsed, PhoneNumberFormat.E164) : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^(?<number>\+?[0-9 \-.()/]*?)(?:\s*(?:;ext=|ext\.?|x|\#)\s*(?<extension>[0-9]{1,10}))?\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex PhoneShape();

    [GeneratedRegex(@"[?#].*\z", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex QueryOrFragment();

    [GeneratedRegex(@"^(?:https?://)?(?<host>[^/?#]+)(?<path>/[^?#]*)?(?:[?#].*)?\z", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex ProfileUrl();
}

/// <summary>Generators of identifier-shaped strings: mostly well-formed, with padding, awkward characters and edits mixed in.</summary>
internal static class IdentifierGenerators
{
    private const string Lower = "abcdefghijklmnopqrstuvwxyz";
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Digits = "0123456789";
    private const string Alphanumeric = Lower + Upper + Digits;

    /// <summary>Letters outside ASCII, some with unusual case mappings (dotted I, dotless i, Kelvin sign, long s, final sigma).</summary>
    private const string OtherLetters = "ÄäÖöÜüßéÉİıKſΣσςДж日本語";

    /// <summary>Characters that break one rule or another: whitespace, controls, format characters, structure characters, surrogates.</summary>
    private const string Awkward =
        " \t\r\n\0\u0001\u001F\u007F\u0085\u00A0\u1680\u2003\u2028\u3000\u200B\uFEFF" +
        "@@..//++--()?#:;,_'\"\\%~*" + OtherLetters + "\uD83D\uDE00\uD800";

    private static readonly Gen<char> AlphanumericChar = Gen.Elements(Alphanumeric.ToCharArray());
    private static readonly Gen<char> DigitChar = Gen.Elements(Digits.ToCharArray());
    private static readonly Gen<char> AwkwardChar = Gen.Elements(Awkward.ToCharArray());
    private static readonly Gen<char> PrintableAsciiChar = Gen.Choose('!', '~').Select(i => (char)i);

    private static readonly Gen<string> Padding =
        Gen.Frequency((8, Gen.Constant("")), (4, Gen.Elements(" ", "  ", "\t", "\r\n", " \n ", "\u00A0", "\u3000", "\u2003 ")));

    /// <summary>
    /// A social profile's normalised value paired with one way people write it: scheme, <c>www.</c>/<c>m.</c>/<c>mobile.</c>,
    /// a LinkedIn country label, <c>twitter.com</c> for <c>x.com</c>, percent-encoding, trailing <c>/</c>, query, fragment, case.
    /// </summary>
    public static Gen<(string Normalized, string Spelling)> SocialProfileSpellings { get; } = BuildSocialProfileSpellings();

    public static Gen<IdentifierKind> AnyKind { get; } = Gen.Elements(IdentifierKinds.All.ToArray());

    public static Gen<string> Email { get; } = BuildEmail();

    /// <summary><c>+</c>, a calling code libphonenumber knows (or, now and then, one it does not), and 2 to 14 more digits.</summary>
    public static Gen<string> E164 { get; } = Gen.Zip(
        Gen.Frequency(
            (9, Gen.Elements(PhoneNumberUtil.GetInstance().GetSupportedCallingCodes().Select(code => code.ToString(CultureInfo.InvariantCulture)).ToArray())),
            (1, Gen.Elements("0", "28", "999", "80"))),
        StringOf(DigitChar, 2, 14),
        (code, national) => "+" + code + national);

    /// <summary>The E.164 form of a number of any region libphonenumber knows, from its example numbers with other last digits.</summary>
    public static Gen<string> ExampleE164 { get; } = Gen.Zip(
            Gen.Elements(PhoneNumberUtil.GetInstance().GetSupportedRegions().Order(StringComparer.Ordinal).ToArray()),
            Gen.Choose(0, 99))
        .Select(p => PhoneNumberUtil.GetInstance().GetExampleNumber(p.Item1) is { } example
            ? "+" + example.CountryCode.ToString(CultureInfo.InvariantCulture)
                + (example.NationalNumber - (example.NationalNumber % 100) + (ulong)p.Item2).ToString(CultureInfo.InvariantCulture)
            : "+1 415 555 0100");

    public static Gen<string> Phone { get; } = BuildPhone();

    public static Gen<string> Cookie { get; } = BuildCookie();

    public static Gen<string> ExternalId { get; } = BuildExternalId();

    public static Gen<string> Social { get; } = BuildSocial();

    /// <summary>Any string: FsCheck's own strings (null included) and every identifier-shaped generator.</summary>
    public static Gen<string> AnyValue { get; } = Gen.OneOf(
        ArbMap.Default.GeneratorFor<string>(), Email, Phone, Cookie, ExternalId, Social);

    /// <summary>ASCII identifier-shaped strings paired with the same string in a random mix of upper and lower case.</summary>
    public static Gen<(string Value, string Respelled)> AsciiCaseVariants { get; } =
        Gen.OneOf(Email, Phone, Cookie, ExternalId, Social)
            .Where(value => value is not null && value.All(char.IsAscii))
            .SelectMany(value => Gen.Elements(true, false).ArrayOf(value.Length).Select(flips => (value, Respell(value, flips))));

    public static Gen<string> For(IdentifierKind kind) => kind switch
    {
        IdentifierKind.Email => Email,
        IdentifierKind.Phone => Phone,
        IdentifierKind.Cookie => Cookie,
        IdentifierKind.ExternalId => ExternalId,
        IdentifierKind.Social => Social,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static Gen<string> BuildEmail()
    {
        var local = StringOf(Gen.Frequency((24, AlphanumericChar), (4, Gen.Elements(".+_-'".ToCharArray())), (1, AwkwardChar)), 0, 12);
        var label = Gen.Frequency(
            (1, Gen.Constant("")),
            (14, StringOf(Gen.Frequency((20, AlphanumericChar), (2, Gen.Constant('-')), (1, AwkwardChar)), 1, 8)));
        var domain = Gen.Frequency((1, Gen.Choose(1, 1)), (6, Gen.Choose(2, 4)))
            .SelectMany(count => label.ArrayOf(count))
            .Select(labels => string.Join('.', labels));
        var at = Gen.Frequency((12, Gen.Constant("@")), (1, Gen.Elements("", "@@", "@a@")));
        var ordinary = Concat(local, at, domain);

        // 250 to 258 characters, around the 254 limit.
        var longEmail = Gen.Zip(Gen.Choose(250, 258), Gen.Elements("@example.com", "@EXAMPLE.COM", "@b.c.d.e.f.g"))
            .SelectMany(pair => StringOf(Gen.Elements('a', 'B', '9', '.'), pair.Item1 - pair.Item2.Length, pair.Item1 - pair.Item2.Length)
                .Select(localPart => localPart + pair.Item2));

        return Decorate(Gen.Frequency((6, ordinary), (1, longEmail)));
    }

    private static Gen<string> BuildPhone()
    {
        var prefix = Gen.Frequency((10, Gen.Constant("")), (3, Gen.Constant("+")), (1, Gen.Elements("+ ", "(+", "00", "+(", "++")));
        var separator = Gen.Frequency(
            (6, Gen.Elements("", " ", "-", ".", "/")),
            (2, Gen.Elements(" (", ") ", "(", ")", " - ", "  ", "./")),
            (1, Gen.Elements("+", "x", "\t", "_", ",", "#")));
        var groups = Gen.Choose(2, 5).SelectMany(count => Gen.Zip(
            StringOf(DigitChar, 1, 4).ArrayOf(count),
            separator.ArrayOf(count),
            (digitGroups, separators) => string.Concat(digitGroups.Zip(separators, (d, s) => d + s))));
        var extension = Gen.Frequency(
            (8, Gen.Constant("")),
            (2, Gen.Elements(" x", "x", " ext. ", " EXT ", "#", ";ext=", " x ").SelectMany(mark => StringOf(DigitChar, 1, 11).Select(digits => mark + digits))),
            (1, Gen.Elements(" x", "ext", ";ext", "# ", " extension 1", "x1x")));
        return Decorate(Gen.Frequency((6, Concat(prefix, groups, extension)), (1, E164), (2, ExampleE164)));
    }

    /// <summary>
    /// A phone number of one of several countries with the region it is read in, its E.164 form (an extension as
    /// <c>;ext=</c>), and one way people write it there: E.164, international, national, or dialled from the region
    /// with its international call prefix (<c>011 44 …</c> from the US), the spaces and dashes replaced by one separator.
    /// </summary>
    public static Gen<(string Region, string Expected, string Spelling)> PhoneSpellings { get; } = BuildPhoneSpellings();

    /// <summary>
    /// A date, a time, a date and time, a decimal number or a coordinate (one or a pair), in the formats spreadsheets and
    /// CRM exports write them: ISO, day first with dots, month first with slashes, two-digit years, grouped thousands
    /// with either decimal separator, degrees with four to six decimals.
    /// </summary>
    public static Gen<string> PhoneLookalike { get; } = BuildPhoneLookalike();

    /// <summary>No region, or one of several whose numbers are written quite differently.</summary>
    public static Gen<string?> PhoneRegion { get; } = Gen.Elements<string?>(null, "US", "CA", "GB", "DE", "FR", "IT", "NL", "BR", "IN", "JP", "AU", "AR", "MX", "CH");

    private static Gen<(string Region, string Expected, string Spelling)> BuildPhoneSpellings()
    {
        var util = PhoneNumberUtil.GetInstance();
        string[] countries = ["US", "CA", "GB", "DE", "FR", "IT", "NL", "ES", "BR", "IN", "JP", "AU", "MX", "CH", "AT", "BE", "SE", "PL"];
        var number = Gen.Zip(Gen.Elements(countries), Gen.Elements(PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE))
            .SelectMany(p => Gen.Choose(0, 99).Select(tail =>
            {
                var example = util.GetExampleNumberForType(p.Item1, p.Item2);
                var varied = new PhoneNumber.Builder().MergeFrom(example).SetNationalNumber(example.NationalNumber - (example.NationalNumber % 100) + (ulong)tail).Build();
                return (Country: p.Item1, Number: varied);
            }));
        var readIn = Gen.Frequency((2, Gen.Constant<string?>(null)), (1, Gen.Elements(countries).Select(c => (string?)c)));
        var extension = Gen.Frequency(
            (4, Gen.Constant((Written: "", Normalized: ""))),
            (1, Gen.Elements((" x12", ";ext=12"), (" ext. 345", ";ext=345"), ("#7", ";ext=7"), (";ext=9", ";ext=9"))));
        var style = Gen.Zip(Gen.Choose(0, 3), Gen.Elements(" ", "-", ".", "/", ""));
        return Gen.Zip(Gen.Zip(number, readIn), Gen.Zip(extension, style)).Select(p =>
        {
            var ((country, phone), region) = (p.Item1.Item1, p.Item1.Item2 ?? p.Item1.Item1.Country);
            var ((written, normalizedExtension), (format, separator)) = p.Item2;
            var formatted = format switch
            {
                0 => util.Format(phone, PhoneNumberFormat.E164),
                1 => util.Format(phone, PhoneNumberFormat.INTERNATIONAL),
                2 when region == country => util.Format(phone, PhoneNumberFormat.NATIONAL),
                _ => util.FormatOutOfCountryCallingNumber(phone, region),
            };
            var separated = formatted.Replace(" ", separator, StringComparison.Ordinal).Replace("-", separator, StringComparison.Ordinal);

            // One dot alone would read as a decimal number: such a spelling keeps its spaces.
            var spelling = separator == "." && separated.Count(c => c == '.') < 2 ? formatted : separated;
            return (region, util.Format(phone, PhoneNumberFormat.E164) + normalizedExtension, spelling + written);
        });
    }

    private static Gen<string> BuildPhoneLookalike()
    {
        var moment = Gen.Zip(Gen.Choose(0, 73_000), Gen.Choose(0, 86_399))
            .Select(p => new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(p.Item1).AddSeconds(p.Item2));
        var dateFormat = Gen.Elements(
            "yyyy-MM-dd", "yyyy/MM/dd", "yyyy.MM.dd", "yyyy-M-d", "dd.MM.yyyy", "d.M.yyyy", "dd.MM.yy", "MM/dd/yyyy", "M/d/yyyy",
            "M/d/yy", "dd/MM/yyyy", "dd-MM-yyyy", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-ddTHH:mm:ss.fffZ",
            "dd.MM.yyyy HH:mm", "MM/dd/yyyy h:mm tt", "HH:mm", "H:mm", "HH:mm:ss", "HH:mm:ss.fff", "h:mm tt");
        var dates = Gen.Zip(moment, dateFormat).Select(p => p.Item1.ToString(p.Item2, CultureInfo.InvariantCulture));

        var amount = Gen.Zip(Gen.Choose(-9_999_999, 9_999_999), Gen.Choose(1, 9999)).Select(p => p.Item1 + (p.Item2 / 10_000m));
        var numberFormat = Gen.Elements(
            ("0.####", CultureInfo.InvariantCulture), ("0.00", CultureInfo.InvariantCulture), ("N2", CultureInfo.GetCultureInfo("en-US")),
            ("N2", CultureInfo.GetCultureInfo("de-DE")), ("0.00", CultureInfo.GetCultureInfo("de-DE")), ("N3", CultureInfo.GetCultureInfo("it-IT")));
        var decimals = Gen.Zip(amount, numberFormat).Select(p => p.Item1.ToString(p.Item2.Item1, p.Item2.Item2));

        var degrees = Gen.Zip(Gen.Choose(-180_000_000, 180_000_000), Gen.Choose(4, 6))
            .Select(p => Math.Round(p.Item1 / 1_000_000m, p.Item2).ToString("0.0000##", CultureInfo.InvariantCulture));
        var pairs = Gen.Zip(Gen.Zip(degrees, degrees), Gen.Elements(" ", ", ", ",", "; "))
            .Select(p => p.Item1.Item1.TrimStart('-') is var latitude && latitude.Length > 0 ? $"{latitude}{p.Item2}{p.Item1.Item2}" : p.Item1.Item2);

        return Concat(Padding, Gen.OneOf(dates, decimals, degrees, pairs), Padding);
    }

    private static Gen<string> BuildCookie()
    {
        var ordinary = StringOf(
            Gen.Frequency((40, PrintableAsciiChar), (3, Gen.Elements(OtherLetters.ToCharArray())), (1, AwkwardChar)), 0, 40);
        var longCookie = Gen.Choose(508, 517).SelectMany(length => StringOf(PrintableAsciiChar, length, length));
        return Decorate(Gen.Frequency((6, ordinary), (2, longCookie)));
    }

    private static Gen<string> BuildExternalId()
    {
        var ordinary = StringOf(
            Gen.Frequency((30, PrintableAsciiChar), (3, Gen.Constant(' ')), (2, Gen.Elements(OtherLetters.ToCharArray())), (2, AwkwardChar)),
            0,
            30);
        var longId = Gen.Choose(252, 261).SelectMany(length => StringOf(PrintableAsciiChar, length, length));
        var blank = Gen.Elements("", " ", "\t\r\n", "\u00A0", "\u2003\u3000");
        return Decorate(Gen.Frequency((8, ordinary), (3, longId), (1, blank)));
    }

    private static Gen<string> BuildSocial()
    {
        var handle = Concat(
            Gen.Constant("@"),
            StringOf(Gen.Frequency((24, AlphanumericChar), (4, Gen.Elements("_.-".ToCharArray())), (1, Gen.Elements(OtherLetters.ToCharArray())), (1, AwkwardChar)), 0, 15));

        var scheme = Gen.Frequency(
            (4, Gen.Constant("")),
            (8, Gen.Elements("http://", "https://", "HTTPS://", "Http://", "hTTps://")),
            (1, Gen.Elements("ftp://", "//", "https:/", "https//", "mailto:")));
        var www = Gen.Frequency(
            (4, Gen.Constant("")),
            (3, Gen.Elements("www.", "WWW.", "Www.", "www.www.", "www.www.www.")),
            (2, Gen.Elements("m.", "M.", "mobile.", "www.m.", "uk.", "DE.", "www.uk.", "m.de.", "u.", "usa.")));
        var label = StringOf(Gen.Frequency((24, AlphanumericChar), (2, Gen.Constant('-')), (1, AwkwardChar)), 1, 10);
        var topLevel = Gen.Frequency(
            (10, Gen.Elements(".com", ".io", ".co.uk", ".COM", ".de")),
            (1, Gen.Elements("", ".", "..com", ".com.")));
        var host = Gen.Frequency(
            (10, Concat(label, topLevel)),
            (4, Gen.Elements("linkedin.com", "LinkedIn.com", "twitter.com", "x.com", "m.com", "mobile.io")),
            (2, Gen.Elements("com", "co.uk", "io", "www", "www.com", "x")));
        var percentEncoded = Gen.Elements("%C3%BC", "%c3%9c", "%41", "%2F", "%3F", "%23", "%20", "%00", "%25", "%2541", "%C3", "%zz", "%");
        var segment = Concat(
            Gen.Constant("/"),
            Concat(StringOf(Gen.Frequency((24, AlphanumericChar), (4, Gen.Elements("._-~%@+=!$&'()*,;:".ToCharArray())), (1, AwkwardChar)), 0, 10), Gen.Frequency((6, Gen.Constant("")), (1, percentEncoded))));
        var path = Gen.Frequency((1, Gen.Choose(0, 0)), (6, Gen.Choose(1, 3)))
            .SelectMany(count => segment.ArrayOf(count))
            .Select(segments => string.Concat(segments));
        var trailing = Gen.Elements("", "", "", "/", "//");
        var query = Gen.Elements("", "", "", "?trk=1", "?a=b&c=/d", "?", "?x#y", "?q=www.x.com/a");
        var fragment = Gen.Elements("", "", "", "#x", "#/a/b", "#");
        var url = Concat(scheme, www, host, path, trailing, query, fragment);

        return Decorate(Gen.Frequency((1, handle), (3, url)));
    }

    private static Gen<(string Normalized, string Spelling)> BuildSocialProfileSpellings()
    {
        var host = Gen.Frequency(
            (3, Gen.Elements("linkedin.com", "x.com")),
            (1, Gen.Elements("facebook.com", "github.com", "instagram.com", "example.co.uk")));
        var segment = StringOf(Gen.Frequency((20, Gen.Elements((Lower + Digits).ToCharArray())), (3, Gen.Elements("._-".ToCharArray())), (1, Gen.Elements("äöüéжß".ToCharArray()))), 1, 12);
        var path = Gen.Choose(1, 3).SelectMany(count => segment.ArrayOf(count)).Select(segments => "/" + string.Join('/', segments));
        return Gen.Zip(host, path).SelectMany(profile =>
        {
            var (canonicalHost, canonicalPath) = profile;
            var hostSpelling = canonicalHost switch
            {
                "linkedin.com" => Gen.Elements("linkedin.com", "uk.linkedin.com", "de.linkedin.com", "www.uk.linkedin.com", "m.linkedin.com"),
                "x.com" => Gen.Elements("x.com", "twitter.com", "mobile.twitter.com", "www.twitter.com", "m.x.com"),
                _ => Gen.Constant(canonicalHost),
            };
            var spelling = Concat(
                Gen.Elements("", "http://", "https://", "HTTPS://"),
                Gen.Elements("", "", "www.", "m.", "mobile."),
                hostSpelling,
                Gen.Elements(canonicalPath, PercentEncode(canonicalPath)),
                Gen.Elements("", "/", "//"),
                Gen.Elements("", "?trk=public_profile", "?a=%20b&c=/d", "?"),
                Gen.Elements("", "#about", "#/x/y"));
            return Gen.Zip(spelling, Gen.Elements(true, false).ArrayOf(64))
                .Select(pair => (canonicalHost + canonicalPath, ChangeCase(pair.Item1, pair.Item2)));
        });
    }

    /// <summary>Every character of <paramref name="path"/> but <c>/</c> as <c>%XX</c> escapes of its UTF-8 bytes.</summary>
    private static string PercentEncode(string path) =>
        string.Concat(path.Select(c => c == '/' ? "/" : string.Concat(Encoding.UTF8.GetBytes(c.ToString()).Select(b => $"%{b:X2}"))));

    private static string ChangeCase(string value, bool[] upper) =>
        string.Concat(value.Select((c, i) => upper[i % upper.Length] ? char.ToUpperInvariant(c) : c));

    /// <summary>Sometimes edits a value (inserts an awkward character, deletes a character) and pads it with whitespace.</summary>
    private static Gen<string> Decorate(Gen<string> values)
    {
        var edited = values.SelectMany(value => Gen.Frequency(
            (10, Gen.Constant(value)),
            (1, Gen.Choose(0, value.Length).SelectMany(at => AwkwardChar.Select(c => value.Insert(at, c.ToString())))),
            (1, value.Length == 0 ? Gen.Constant(value) : Gen.Choose(0, value.Length - 1).Select(at => value.Remove(at, 1)))));
        return Concat(Padding, edited, Padding);
    }

    private static Gen<string> StringOf(Gen<char> chars, int minLength, int maxLength) =>
        Gen.Choose(minLength, maxLength).SelectMany(length => chars.ArrayOf(length)).Select(c => new string(c));

    private static Gen<string> Concat(params Gen<string>[] parts) =>
        Gen.CollectToArray(parts).Select(values => string.Concat(values));

    private static string Respell(string value, bool[] flips)
    {
        var chars = value.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (flips[i])
            {
                chars[i] = char.IsAsciiLetterUpper(chars[i]) ? char.ToLowerInvariant(chars[i]) : char.ToUpperInvariant(chars[i]);
            }
        }

        return new string(chars);
    }
}
