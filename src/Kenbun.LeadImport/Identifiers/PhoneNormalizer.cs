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

    /// <summary>The fewest digits a national number needs for the fast path; shorter ones are left to the full parse.</summary>
    private const int MinFastNationalDigits = 6;

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>Per calling code, what a national significant number starting with a national prefix looks like (null: none).</summary>
    private static readonly ConcurrentDictionary<int, Regex?> NationalPrefixes = new();

    /// <summary>Per calling code and length of national number, whether libphonenumber calls the number possible.</summary>
    private static readonly ConcurrentDictionary<(int CallingCode, int Length), bool> PossibleLengths = new();

    /// <summary>Per region, how its numbers are dialled (null: a region libphonenumber does not know).</summary>
    private static readonly ConcurrentDictionary<string, RegionDialing?> Regions = new(StringComparer.Ordinal);

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
        if (number.Length <= MaxFastPathLength && FastE164(Compact(number, stackalloc char[number.Length]), region) is { } known)
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
    /// The fast path, for the forms most files hold: a number with a <c>+</c> (<see cref="KnownE164"/>), or a national
    /// number of the phone region (<c>(415) 555-0100</c> in the US) that could not start with the region's international
    /// or national prefix or its own calling code, which is the region's calling code and its digits. Anything else is left to the full parse
    /// (<see langword="null"/>). Besides its own cost, the full parse has libphonenumber compile its regular expressions
    /// (<c>RegexOptions.Compiled</c>), whose dynamic methods the finalizer thread revisits after every garbage collection.
    /// </summary>
    private static string? FastE164(ReadOnlySpan<char> compact, string? region)
    {
        if (compact.IsEmpty || compact[0] == '+')
        {
            return compact.IsEmpty ? null : KnownE164(compact);
        }

        // Short numbers (service numbers, fragments) are rare and subject to more of libphonenumber's rules: the full parse.
        if (region is null || compact.Length < MinFastNationalDigits || Dialing(region) is not { } dialing
            || dialing.InternationalPrefix?.IsMatch(compact) == true || dialing.NationalPrefix?.IsMatch(compact) == true)
        {
            return null;
        }

        // A national number starting with the region's own calling code may be read as that code and a shorter number.
        Span<char> e164 = stackalloc char[compact.Length + 4];
        e164[0] = '+';
        dialing.CallingCode.TryFormat(e164[1..], out var codeLength, provider: CultureInfo.InvariantCulture);
        if (compact.StartsWith(e164[1..(1 + codeLength)]))
        {
            return null;
        }

        compact.CopyTo(e164[(1 + codeLength)..]);
        return KnownE164(e164[..(1 + codeLength + compact.Length)]);
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

            return IsPossible(code, national) ? number.ToString() : null;
        }

        return null;
    }

    private static Regex? NationalPrefix(int callingCode) => NationalPrefixes.GetOrAdd(callingCode, static code =>
    {
        var region = Util.GetRegionCodeForCountryCode(code);
        var metadata = region == "001" ? Util.GetMetadataForNonGeographicalRegion(code) : Util.GetMetadataForRegion(region);
        return StartingWith(metadata?.NationalPrefixForParsing);
    });

    private static RegionDialing? Dialing(string region) => Regions.GetOrAdd(region, static code =>
        Util.GetMetadataForRegion(code) is { } metadata
            ? new RegionDialing(metadata.CountryCode, StartingWith(metadata.InternationalPrefix), StartingWith(metadata.NationalPrefixForParsing))
            : null);

    /// <summary>A pattern of libphonenumber's metadata, matched at the start; interpreted, not compiled (see <see cref="FastE164"/>).</summary>
    private static Regex? StartingWith(string? pattern) =>
        string.IsNullOrEmpty(pattern) ? null : new Regex($"^(?:{pattern})", RegexOptions.CultureInvariant);

    /// <summary>How numbers are dialled in a region: its calling code, and the prefixes a national number cannot start with.</summary>
    private sealed record RegionDialing(int CallingCode, Regex? InternationalPrefix, Regex? NationalPrefix);

    private static bool IsPossible(PhoneNumber phone) =>
        Util.IsPossibleNumberWithReason(phone) is PhoneNumberUtil.ValidationResult.IS_POSSIBLE or PhoneNumberUtil.ValidationResult.IS_POSSIBLE_LOCAL_ONLY;

    /// <summary>
    /// Whether a national number (no leading zero) is possible under <paramref name="callingCode"/>: libphonenumber
    /// decides that by the number's length alone, so each calling code and length is asked once.
    /// </summary>
    private static bool IsPossible(int callingCode, ReadOnlySpan<char> national)
    {
        var key = (callingCode, national.Length);
        if (!PossibleLengths.TryGetValue(key, out var possible))
        {
            possible = IsPossible(new PhoneNumber.Builder()
                .SetCountryCode(callingCode)
                .SetNationalNumber(ulong.Parse(national, NumberStyles.None, CultureInfo.InvariantCulture))
                .Build());
            PossibleLengths.TryAdd(key, possible);
        }

        return possible;
    }
}
