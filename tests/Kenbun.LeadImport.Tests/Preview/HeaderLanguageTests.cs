using Kenbun.LeadImport.Tests.Support;

namespace Kenbun.LeadImport.Tests.Preview;

/// <summary>CONTRACT §2, header names in the languages CRM exports come in: field suggestions and identifier detection.</summary>
public sealed class HeaderLanguageTests : IDisposable
{
    private static readonly string[] DefaultFields = ["first_name", "last_name", "company", "title", "notes", "website", "city", "country"];

    private readonly ImportHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    /// <summary>Each row: an email column, the eight default fields in order, a phone column.</summary>
    [Theory]
    [InlineData("English", "E-mail,Given Name,Family Name,Organization,Job Title,Comments,Homepage,Town,Country,Mobile Phone")]
    [InlineData("German", "E-Mail,Vorname,Nachname,Firma,Position,Notizen,Webseite,Stadt,Land,Telefon")]
    [InlineData("French", "Courriel,Prénom,Nom,Société,Poste,Remarques,Site web,Ville,Pays,Téléphone")]
    [InlineData("Spanish", "Correo electrónico,Nombre,Apellidos,Empresa,Cargo,Observaciones,Sitio web,Ciudad,País,Teléfono")]
    [InlineData("Portuguese", "E-mail,Nome,Sobrenome,Empresa,Cargo,Observações,Site,Cidade,País,Telemóvel")]
    [InlineData("Italian", "Posta elettronica,Nome,Cognome,Azienda,Ruolo,Note,Sito web,Città,Paese,Cellulare")]
    [InlineData("Dutch", "E-mailadres,Voornaam,Achternaam,Bedrijf,Functie,Opmerkingen,Website,Plaats,Land,Telefoonnummer")]
    public async Task A_header_row_in_each_language_gets_every_default_field_and_its_identifiers(string language, string headerRow)
    {
        var headers = headerRow.Split(',');

        var preview = await _harness.PreviewAsync(headerRow + "\n");

        Assert.True(
            DefaultFields.Select((field, i) => KeyValuePair.Create(headers[i + 1], field)).SequenceEqual(preview.SuggestedFieldMappings.OrderBy(p => Array.IndexOf(headers, p.Key))),
            $"{language}: {string.Join(", ", preview.SuggestedFieldMappings)}");
        Assert.Equal([headers[0]], preview.AutoDetectedIdentifiers.EmailColumns);
        Assert.Equal([headers[^1]], preview.AutoDetectedIdentifiers.PhoneColumns);
    }

    [Theory]
    [InlineData("Hotel")]
    [InlineData("Immobilie")]
    [InlineData("Stadt")]
    [InlineData("Ort")]
    [InlineData("Mailing list")]
    public async Task Headers_that_only_resemble_identifier_names_are_not_identifiers(string header)
    {
        var preview = await _harness.PreviewAsync($"{header}\n");

        Assert.Null(preview.SuggestedPrimaryIdentifier);
    }

    [Theory]
    [InlineData("PRÉNOM", "first_name")]
    [InlineData("prenom", "first_name")]
    [InlineData("Pre_Nom", "first_name")]
    [InlineData("NACHNAME", "last_name")]
    [InlineData("Familien-Name", "last_name")]
    [InlineData("SOCIETE", "company")]
    [InlineData("société", "company")]
    [InlineData("compania", "company")]
    [InlineData("citta", "city")]
    [InlineData("CITTÀ", "city")]
    [InlineData("pais", "country")]
    [InlineData("nom de famille", "last_name")]
    [InlineData("  Intitule du poste ", "title")]
    public async Task Suggestions_ignore_accents_case_spaces_underscores_and_dashes(string header, string field)
    {
        var preview = await _harness.PreviewAsync($"{header}\n");

        Assert.Equal(new Dictionary<string, string> { [header.Trim()] = field }, preview.SuggestedFieldMappings);
    }

    [Fact]
    public async Task Hosts_add_header_names_through_options_and_win_over_the_built_in_table()
    {
        using var harness = new ImportHarness(o =>
        {
            o.FieldSynonyms["Kundenbetreuer Notiz"] = "notes";
            o.FieldSynonyms["Nom"] = "first_name";
            o.FieldSynonyms["Standort"] = "CITY";
        });

        var preview = await harness.PreviewAsync("Nom,Nom de famille,Kundenbetreuer-Notiz,STANDORT\n");

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["Nom"] = "first_name",
                ["Nom de famille"] = "last_name",
                ["Kundenbetreuer-Notiz"] = "notes",
                ["STANDORT"] = "city",
            },
            preview.SuggestedFieldMappings);
    }

    [Fact]
    public async Task Custom_profile_fields_are_suggested_by_name_and_by_host_synonyms()
    {
        using var harness = new ImportHarness(o =>
        {
            o.ProfileFields = ["Branche", "lead_source", "Vorname"];
            o.FieldSynonyms["Quelle"] = "lead_source";
        });

        var preview = await harness.PreviewAsync("branche,QUELLE,Vorname,Nachname\n");

        Assert.Equal(
            new Dictionary<string, string> { ["branche"] = "Branche", ["QUELLE"] = "lead_source", ["Vorname"] = "Vorname" },
            preview.SuggestedFieldMappings);
    }

    [Fact]
    public void Bad_field_synonyms_are_named_when_options_are_validated()
    {
        var options = new LeadImportOptions();
        options.FieldSynonyms["--"] = "city";
        options.FieldSynonyms["Quelle"] = "lead_source";
        options.FieldSynonyms["Ort"] = "city";
        options.FieldSynonyms["ORT "] = "country";

        var failures = new LeadImportOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Equal(3, failures.Count);
        Assert.Contains(failures, f => f.Contains("\"--\"", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("LeadImport:FieldSynonyms:Quelle is lead_source", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("\"Ort\" to city and \"ORT \" to country", StringComparison.Ordinal));
    }
}
