using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using PhoneNumbers;

namespace Kenbun.LeadImport.Identifiers;

/// <summary>
/// The phone rule of CONTRACT §4. A number whose country is known (from its <c>+</c>, from the region's international
/// call prefix, or from the import's phone region) is parsed by libphonenumber and normalised to E.164, valid when
/// libphonenumber calls it possible; with no country and no region it stays the digits alone (7 to 15), as before
/// phones were parsed, so earlier data keeps matching. An extension is kept as an RFC 3966 <c>;ext=</c> suffix.
/// </summary>
internal static partial class PhoneNormalizer
{
    /// <summary>The longest written number the fast path compacts on the stack; longer ones are left to the full parse.</summary>
    private const int MaxFastPathLength = 64;

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>Per calling code, what a national significant number starting with a national prefix looks like (null: none).</summary>
    private static readonly ConcurrentDictionary<int, Regex?> NationalPrefixes = new();

    /// <summary>The normalised form of a trimmed <paramref name="phone"/>, or <see langword="null"/> when it is not a phone.</summary>
    /// <param name="phone">The trimmed value.</param>
    /// <param name="region">The upper-case region national numbers belong to, or <see langword="null"/> for none.</param>
    public static string? Normalize(ReadOnlySpan<char> phone, string? region)
    {
        if (PhoneLookalikes.Matches(phone) || !TrySplitExtension(phone, out var number, out var extension))
        {
            return null;
        }

        var digits = CountDigits(number);
        if (digits < 0)
        {
            return null;
        }

        var normalized = number[0] == '+' || region is not null
            ? ToE164(number, region)
            : digits is >= IdentifierNormalizer.MinPhoneDigits and <= IdentifierNormalizer.MaxPhoneDigits ? DigitsOf(number, digits) : null;
        return normalized is null || extension.IsEmpty ? normalized : string.Concat(normalized, ";ext=", extension);
    }

    /// <summary>
    /// Splits off an extension written <c>x12</c>, <c>ext 12</c>, <c>ext. 12</c>, <c>#12</c> or <c>;ext=12</c> (any case);
    /// false when the value holds any other letter or mark.
    /// </summary>
    private static bool TrySplitExtension(ReadOnlySpan<char> phone, out ReadOnlySpan<char> number, out ReadOnlySpan<char> extension)
    {
        number = phone;
        extension = default;
        if (!phone.ContainsAnyExcept(PhoneSyntax.Characters))
        {
            return !phone.IsEmpty;
        }

        var match = Extension().Match(phone.ToString());
        if (!match.Success)
        {
            return false;
        }

        number = phone[..match.Groups["number"].Length].TrimEnd();
        extension = phone.Slice(match.Groups["extension"].Index, match.Groups["extension"].Length);
        return !number.ContainsAnyExcept(PhoneSyntax.Characters);
    }

    [GeneratedRegex(@"^(?<number>[^a-z#;]+?)\s*(?:;ext=|ext\.?|x|\#)\s*(?<extension>[0-9]{1,10})\z", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex Extension();

    /// <summary>The number of digits, or -1 when a <c>+</c> stands anywhere but first.</summary>
    private static int CountDigits(ReadOnlySpan<char> number)
    {
        if (number[1..].Contains('+'))
        {
            return -1;
        }

        var digits = 0;
        foreach (var c in number)
        {
            digits += char.IsAsciiDigit(c) ? 1 : 0;
        }

        return digits;
    }

    private static string DigitsOf(ReadOnlySpan<char> number, int count)
    {
        Span<char> digits = stackalloc char[count];
        var i = 0;
        foreach (var c in number)
        {
            if (char.IsAsciiDigit(c))
            {
                digits[i++] = c;
            }
        }

        return digits.ToString();
    }

    private static string? ToE164(ReadOnlySpan<char> number, string? region)
    {
        if (number[0] == '+' && number.Length <= MaxFastPathLength && KnownE164(Compact(number, stackalloc char[number.Length])) is { } known)
        {
            return known;
        }

        // libphonenumber's E.164 form may start with what a second parse strips as a national prefix (+54 0…): parse it
        // again until it stays as it is, so normalising twice changes nothing; a number that never settles is no phone.
        var e164 = Parse(number.ToString(), region ?? "ZZ");
        for (var round = 0; e164 is not null && round < 3; round++)
        {
            var again = KnownE164(e164) ?? Parse(e164, "ZZ");
            if (again == e164)
            {
                return e164;
            }

            e164 = again;
        }

        return null;
    }

    /// <summary>
    /// The number's <c>+</c> and digits without its separators, which carry no meaning once a <c>+</c> gives the
    /// country: <c>+1 (415) 555-0100</c> is <c>+14155550100</c> to libphonenumber too.
    /// </summary>
    private static ReadOnlySpan<char> Compact(ReadOnlySpan<char> number, Span<char> buffer)
    {
        var length = 0;
        foreach (var c in number)
        {
            if (c == '+' || char.IsAsciiDigit(c))
            {
                buffer[length++] = c;
            }
        }

        return buffer[..length];
    }

    private static string? Parse(string number, string region)
    {
        PhoneNumber parsed;
        try
        {
            parsed = Util.Parse(number, region);
        }
        catch (NumberParseException)
        {
            return null;
        }

        return IsPossible(parsed) ? Util.Format(parsed, PhoneNumberFormat.E164) : null;
    }

    /// <summary>
    /// The fast path for a value already in E.164 form (<c>+</c> and digits, as this rule stores it): the number itself
    /// when its calling code is known, its national part is possible and could not start with a national prefix that a
    /// full parse would strip; otherwise <see langword="null"/>, and the full parse decides.
    /// </summary>
    private static string? KnownE164(ReadOnlySpan<char> number)
    {
        var digits = number[1..];
        if (number[0] != '+' || digits.Length < 3 || digits[0] == '0' || digits.ContainsAnyExceptInRange('0', '9'))
        {
            return null;
        }

        // Calling codes are prefix-free: the first known one of one to three digits is the only one.
        for (var length = 1; length <= 3; length++)
        {
            var code = int.Parse(digits[..length], NumberStyles.None, CultureInfo.InvariantCulture);
            var national = digits[length..];
            if (Util.GetRegionCodeForCountryCode(code) == "ZZ")
            {
                continue;
            }

            if (national.Length is < 2 or > 17 || national[0] == '0' || NationalPrefix(code)?.IsMatch(national) == true)
            {
                return null;
            }

            var phone = new PhoneNumber.Builder()
                .SetCountryCode(code)
                .SetNationalNumber(ulong.Parse(national, NumberStyles.None, CultureInfo.InvariantCulture))
                .Build();
            return IsPossible(phone) ? number.ToString() : null;
        }

        return null;
    }

    private static Regex? NationalPrefix(int callingCode) => NationalPrefixes.GetOrAdd(callingCode, static code =>
    {
        var region = Util.GetRegionCodeForCountryCode(code);
        var metadata = region == "001" ? Util.GetMetadataForNonGeographicalRegion(code) : Util.GetMetadataForRegion(region);
        var prefix = metadata?.NationalPrefixForParsing;
        return string.IsNullOrEmpty(prefix) ? null : new Regex($"^(?:{prefix})", RegexOptions.CultureInvariant);
    });

    private static bool IsPossible(PhoneNumber phone) =>
        Util.IsPossibleNumberWithReason(phone) is PhoneNumberUtil.ValidationResult.IS_POSSIBLE or PhoneNumberUtil.ValidationResult.IS_POSSIBLE_LOCAL_ONLY;
}
