using Kenbun.LeadImport.Identifiers;

namespace Kenbun.LeadImport.Tests.Identifiers;

/// <summary>Phones read with a region (CONTRACT §4): its national numbers and its international call prefix become E.164.</summary>
public class PhoneRegionTests
{
    [Theory]
    [InlineData("+1 (415) 555-0100", null, "+14155550100")]
    [InlineData("415.555.0100", "US", "+14155550100")]
    [InlineData("1-415-555-0100", "US", "+14155550100")]
    [InlineData("(415) 555-0100", "US", "+14155550100")]
    [InlineData("4155550100", "US", "+14155550100")]
    [InlineData("4155550100", null, "4155550100")]
    [InlineData("011 44 20 7946 0000", "US", "+442079460000")]
    [InlineData("020 7946 0000", "GB", "+442079460000")]
    [InlineData("0044 20 7946 0000", "GB", "+442079460000")]
    [InlineData("+44 20 7946 0000", "US", "+442079460000")]
    [InlineData("030 1234567", "DE", "+49301234567")]
    [InlineData("06 12 34 56 78", "FR", "+33612345678")]
    [InlineData("06 1234 5678", "IT", "+390612345678")]
    [InlineData("+1 415 555 0100 x12", null, "+14155550100;ext=12")]
    [InlineData("(415) 555-0100 ext. 12", "us", "+14155550100;ext=12")]
    [InlineData("+1-555-0100", null, "+15550100")]
    [InlineData("555-0100", "US", "+15550100")]
    [InlineData("49.302769 x15", "DE", "+49302769;ext=15")] // starts with the region's own calling code: libphonenumber reads it as that code
    [InlineData("(416) 555-0100", "CA", "+14165550100")]
    public void Numbers_whose_country_is_known_become_E164(string value, string? region, string expected)
    {
        Assert.True(IdentifierNormalizer.TryNormalize(IdentifierKind.Phone, value, region, out var normalized), $"{value} [{region}] should be a phone");
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("12345", "US")]
    [InlineData("(415) 555-01000000", "US")]
    [InlineData("0044 20", "GB")]
    [InlineData("+999 1234 5678", "US")]
    [InlineData("1957-03-04", "US")]
    [InlineData("-122.4194", "DE")]
    [InlineData("555-CALL-NOW", "US")]
    public void Numbers_libphonenumber_calls_impossible_for_their_country_are_not_phones(string value, string region) =>
        Assert.False(IdentifierNormalizer.IsValid(IdentifierKind.Phone, value, region));

    [Fact]
    public void Two_extensions_of_one_switchboard_stay_two_identifiers()
    {
        IdentifierNormalizer.TryNormalize(IdentifierKind.Phone, "(415) 555-0100 x12", "US", out var first);
        IdentifierNormalizer.TryNormalize(IdentifierKind.Phone, "(415) 555-0100 x13", "US", out var second);

        Assert.Equal("+14155550100;ext=12", first);
        Assert.Equal("+14155550100;ext=13", second);
    }

    [Theory]
    [InlineData("US", "US")]
    [InlineData("gb", "GB")]
    [InlineData("De", "DE")]
    public void Region_codes_are_read_in_any_case(string code, string expected)
    {
        Assert.True(PhoneRegions.TryParse(code, out var region));
        Assert.Equal(expected, region);
    }

    [Theory]
    [InlineData("")]
    [InlineData("USA")]
    [InlineData("UK")]
    [InlineData("ZZ")]
    [InlineData("001")]
    [InlineData(null)]
    public void Unknown_region_codes_are_refused(string? code)
    {
        Assert.False(PhoneRegions.TryParse(code, out _));
        if (code is not null)
        {
            Assert.Throws<ArgumentException>(() => IdentifierNormalizer.IsValid(IdentifierKind.Phone, "4155550100", code));
        }
    }

    [Fact]
    public void The_known_regions_are_the_countries_libphonenumber_has_rules_for()
    {
        Assert.Contains("US", PhoneRegions.All);
        Assert.Contains("GB", PhoneRegions.All);
        Assert.True(PhoneRegions.All.Count > 200);
        Assert.Equal(PhoneRegions.All.Order(StringComparer.Ordinal), PhoneRegions.All);
    }
}
