using Kenbun.LeadImport.Identifiers;
using Kenbun.LeadImport.Preview;
using Kenbun.LeadImport.Tests.Support;

namespace Kenbun.LeadImport.Tests.Preview;

/// <summary>CONTRACT §2, auto-detected identifiers and suggestions: by header name and by content.</summary>
public class IdentifierDetectionTests
{
    private readonly ImportHarness _harness = new();

    [Theory]
    [InlineData("Email", IdentifierKind.Email)]
    [InlineData("E-Mail", IdentifierKind.Email)]
    [InlineData("work_email", IdentifierKind.Email)]
    [InlineData("EmailAddress", IdentifierKind.Email)]
    [InlineData("Phone", IdentifierKind.Phone)]
    [InlineData("Mobile", IdentifierKind.Phone)]
    [InlineData("Tel", IdentifierKind.Phone)]
    [InlineData("phone_number", IdentifierKind.Phone)]
    [InlineData("LinkedIn", IdentifierKind.Social)]
    [InlineData("Twitter Handle", IdentifierKind.Social)]
    [InlineData("Badge ID", IdentifierKind.ExternalId)]
    [InlineData("CustomerId", IdentifierKind.ExternalId)]
    [InlineData("external_id", IdentifierKind.ExternalId)]
    [InlineData("Telefon", IdentifierKind.Phone)]
    [InlineData("Telefonnummer", IdentifierKind.Phone)]
    [InlineData("Téléphone", IdentifierKind.Phone)]
    [InlineData("Numéro de téléphone", IdentifierKind.Phone)]
    [InlineData("Teléfono", IdentifierKind.Phone)]
    [InlineData("Telefone", IdentifierKind.Phone)]
    [InlineData("Telefono", IdentifierKind.Phone)]
    [InlineData("Numero di telefono", IdentifierKind.Phone)]
    [InlineData("Telefoon", IdentifierKind.Phone)]
    [InlineData("Handy", IdentifierKind.Phone)]
    [InlineData("Mobil", IdentifierKind.Phone)]
    [InlineData("Mobilnummer", IdentifierKind.Phone)]
    [InlineData("Tel.", IdentifierKind.Phone)]
    [InlineData("Tél. portable", IdentifierKind.Phone)]
    [InlineData("Portable", IdentifierKind.Phone)]
    [InlineData("Móvil", IdentifierKind.Phone)]
    [InlineData("Celular", IdentifierKind.Phone)]
    [InlineData("Telemóvel", IdentifierKind.Phone)]
    [InlineData("Cellulare", IdentifierKind.Phone)]
    [InlineData("Mobiel", IdentifierKind.Phone)]
    [InlineData("GSM", IdentifierKind.Phone)]
    [InlineData("Festnetz", IdentifierKind.Phone)]
    [InlineData("TELEFON_PRIVAT", IdentifierKind.Phone)]
    [InlineData("E-Mail-Adresse", IdentifierKind.Email)]
    [InlineData("Courriel", IdentifierKind.Email)]
    [InlineData("Adresse électronique", IdentifierKind.Email)]
    [InlineData("Correo", IdentifierKind.Email)]
    [InlineData("Correo electrónico", IdentifierKind.Email)]
    [InlineData("Correio eletrônico", IdentifierKind.Email)]
    [InlineData("Posta elettronica", IdentifierKind.Email)]
    [InlineData("Mailadres", IdentifierKind.Email)]
    [InlineData("Kunden-ID", IdentifierKind.ExternalId)]
    [InlineData("Identifiant", IdentifierKind.ExternalId)]
    [InlineData("Identificador", IdentifierKind.ExternalId)]
    [InlineData("Kennung", IdentifierKind.ExternalId)]
    public async Task Columns_are_detected_by_header_name_in_each_language_without_any_values(string header, IdentifierKind kind)
    {
        var preview = await _harness.PreviewAsync($"Notes,{header}\n");

        Assert.Equal([header], ColumnsOf(preview.AutoDetectedIdentifiers, kind));
    }

    [Theory]
    [InlineData("Company")]
    [InlineData("Paid")]
    [InlineData("Hotel")]
    [InlineData("Video")]
    public async Task Ordinary_headers_are_not_identifiers_by_name(string header)
    {
        var preview = await _harness.PreviewAsync($"{header}\n");

        Assert.Null(preview.SuggestedPrimaryIdentifier);
        Assert.Empty(preview.AutoDetectedIdentifiers.EmailColumns.Concat(preview.AutoDetectedIdentifiers.PhoneColumns)
            .Concat(preview.AutoDetectedIdentifiers.ExternalIdColumns).Concat(preview.AutoDetectedIdentifiers.SocialColumns));
    }

    [Fact]
    public async Task Columns_are_detected_by_content_when_80_percent_of_values_are_valid()
    {
        var rows = Enumerable.Range(0, 10).Select(i =>
            $"{(i < 8 ? $"user{i}@x.com" : "n/a")},{(i < 7 ? $"user{i}@x.com" : "n/a")},+1 555 010{i},https://linkedin.com/in/u{i}");

        var preview = await _harness.PreviewAsync("Contact,Backup,Reach,Profile\n" + string.Join("\n", rows));

        Assert.Equal(["Contact"], preview.AutoDetectedIdentifiers.EmailColumns);
        Assert.Equal(["Reach"], preview.AutoDetectedIdentifiers.PhoneColumns);
        Assert.Equal(["Profile"], preview.AutoDetectedIdentifiers.SocialColumns);
        Assert.Equal(new SuggestedIdentifier("Contact", IdentifierKind.Email), preview.SuggestedPrimaryIdentifier);
    }

    [Fact]
    public async Task Detection_by_content_needs_at_least_two_values()
    {
        var preview = await _harness.PreviewAsync("Contact,Other\nann@x.com,\n,\u00a0\n");

        Assert.Empty(preview.AutoDetectedIdentifiers.EmailColumns);
    }

    [Fact]
    public async Task Empty_cells_do_not_count_against_detection()
    {
        var preview = await _harness.PreviewAsync("Contact,Name\nann@x.com,a\n,b\n  ,c\nbob@x.com,d\n");

        Assert.Equal(["Contact"], preview.AutoDetectedIdentifiers.EmailColumns);
    }

    [Fact]
    public async Task Bare_digit_runs_are_not_detected_as_phones()
    {
        var preview = await _harness.PreviewAsync("Ref,Reach\n5550100123,(555) 010-0123\n5550100124,+15550100124\n");

        Assert.Equal(["Reach"], preview.AutoDetectedIdentifiers.PhoneColumns);
    }

    [Fact]
    public async Task Dates_times_decimals_and_coordinates_are_not_detected_as_phones()
    {
        var preview = await _harness.PreviewAsync(
            "Born,Seen,Longitude,Latitude,Where,Amount,Stamp,Reach\n" +
            "1957-03-04,2024-01-15 10:30:00,-122.4194,37.774929,37.7749 -122.4194,12.345,1700000000.123,415.555.0100\n" +
            "04.03.1961,2024-01-16 11:00:00,-0.1276,51.507351,51.5072 -0.1276,1.234,1700000100.456,415.555.0101\n" +
            "12/31/1999,2024-01-17 09:15:00,2.3522,48.856613,48.8566 2.3522,\"9.876,54\",1700000200.789,415.555.0102\n");

        Assert.Equal(["Reach"], preview.AutoDetectedIdentifiers.PhoneColumns);
    }

    [Fact]
    public async Task With_a_default_region_a_column_is_a_phone_column_by_content_only_when_its_values_are_possible_numbers_there()
    {
        const string csv = "Reach,Tax Number,Abroad\n(415) 555-0100,123-45-6789,+44 20 7946 0000\n415.555.0101,987-65-4321,+49 30 1234567\n";
        using var us = new ImportHarness(o => o.DefaultPhoneRegion = "US");

        var withRegion = await us.PreviewAsync(csv);
        var withoutRegion = await _harness.PreviewAsync(csv);

        Assert.Equal(["Reach", "Abroad"], withRegion.AutoDetectedIdentifiers.PhoneColumns);
        Assert.Equal(["Reach", "Tax Number", "Abroad"], withoutRegion.AutoDetectedIdentifiers.PhoneColumns);
    }

    [Fact]
    public async Task External_ids_are_never_detected_by_content()
    {
        var preview = await _harness.PreviewAsync("Ref,Code\nCUST-0001,A1B2C3\nCUST-0002,D4E5F6\nCUST-0003,G7H8I9\n");

        Assert.Empty(preview.AutoDetectedIdentifiers.ExternalIdColumns);
        Assert.Null(preview.SuggestedPrimaryIdentifier);
    }

    [Fact]
    public async Task Only_the_first_100_records_are_judged()
    {
        var rows = Enumerable.Range(0, 100).Select(i => $"user{i}@x.com").Concat(Enumerable.Repeat("not an email", 400));

        var preview = await _harness.PreviewAsync("Contact\n" + string.Join("\n", rows));

        Assert.Equal(["Contact"], preview.AutoDetectedIdentifiers.EmailColumns);
        Assert.Equal(500, preview.RowCount);
    }

    [Theory]
    [InlineData("Email,Mobile,Badge ID", "Email", IdentifierKind.Email)]
    [InlineData("Mobile,Badge ID", "Mobile", IdentifierKind.Phone)]
    [InlineData("Name,Badge ID,LinkedIn", "Badge ID", IdentifierKind.ExternalId)]
    [InlineData("Name,LinkedIn", "LinkedIn", IdentifierKind.Social)]
    public async Task The_suggested_primary_identifier_prefers_email_then_phone_then_external_id_then_social(
        string headers, string column, IdentifierKind kind)
    {
        var preview = await _harness.PreviewAsync(headers + "\n");

        Assert.Equal(new SuggestedIdentifier(column, kind), preview.SuggestedPrimaryIdentifier);
    }

    [Fact]
    public async Task Field_mappings_are_suggested_by_normalised_name_and_synonyms()
    {
        var preview = await _harness.PreviewAsync("Email,FIRST_NAME,Surname,Given Name,Organisation,Job Title,Notes,web-site,Town,Country,Shoe Size\n");

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["FIRST_NAME"] = "first_name",
                ["Surname"] = "last_name",
                ["Organisation"] = "company",
                ["Job Title"] = "title",
                ["Notes"] = "notes",
                ["web-site"] = "website",
                ["Town"] = "city",
                ["Country"] = "country",
            },
            preview.SuggestedFieldMappings);
    }

    [Fact]
    public async Task Field_suggestions_use_the_configured_profile_fields()
    {
        using var harness = new ImportHarness(o => o.ProfileFields = ["Shoe_Size", "last_name"]);

        var preview = await harness.PreviewAsync("Shoe Size,Surname,Company\n");

        Assert.Equal(new Dictionary<string, string> { ["Shoe Size"] = "Shoe_Size", ["Surname"] = "last_name" }, preview.SuggestedFieldMappings);
    }

    private static IReadOnlyList<string> ColumnsOf(DetectedIdentifierColumns detected, IdentifierKind kind) => kind switch
    {
        IdentifierKind.Email => detected.EmailColumns,
        IdentifierKind.Phone => detected.PhoneColumns,
        IdentifierKind.ExternalId => detected.ExternalIdColumns,
        IdentifierKind.Social => detected.SocialColumns,
        _ => [],
    };
}
