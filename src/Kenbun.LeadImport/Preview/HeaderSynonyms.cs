using System.Collections.Frozen;
using Kenbun.LeadImport.Identifiers;

namespace Kenbun.LeadImport.Preview;

/// <summary>
/// The header names that mean a profile field or an identifier, in the languages CRM exports come in: one row per
/// meaning, one column per language, names separated by <c>|</c>. Names compare as <see cref="ColumnNames.Compact"/>
/// does (case, accents, spaces, <c>_</c> and <c>-</c> ignored). A profile field row matches a header equal to one of
/// its names. An identifier row matches a header equal to a name or having it as one of its words (for external ids,
/// as its last word); a name ending in <c>*</c> matches anywhere in the header (<c>telefon*</c>: Telefonnummer,
/// Teléfono, Telefone). Hosts add names through <see cref="LeadImportOptions.FieldSynonyms"/>.
/// </summary>
internal static class HeaderSynonyms
{
    private static readonly Row[] Rows =
    [
        // Meaning              English | German | French | Spanish | Portuguese | Italian | Dutch
        Field("first_name",
            "first name|given name|forename|fname", "vorname|rufname", "prénom", "nombre|nombre de pila",
            "nome|primeiro nome|nome próprio|prenome", "nome", "voornaam|roepnaam"),
        Field("last_name",
            "last name|surname|family name|lname", "nachname|familienname|zuname", "nom|nom de famille",
            "apellido|apellidos|primer apellido", "sobrenome|apelido|último nome", "cognome", "achternaam|familienaam"),
        Field("company",
            "company|company name|organisation|organization|employer|account name|account|business",
            "firma|unternehmen|firmenname|organisation|arbeitgeber", "société|entreprise|organisation|employeur|raison sociale",
            "empresa|compañía|organización|nombre de la empresa", "empresa|companhia|organização|nome da empresa",
            "azienda|società|ditta|impresa|organizzazione", "bedrijf|bedrijfsnaam|organisatie|firma|onderneming"),
        Field("title",
            "title|job title|position|role|job|job role", "position|berufsbezeichnung|funktion|jobtitel|stellenbezeichnung|beruf",
            "poste|fonction|titre|intitulé du poste|métier", "cargo|puesto|puesto de trabajo|profesión", "cargo|função|profissão",
            "ruolo|posizione|qualifica|mansione|professione", "functie|functietitel|beroep"),
        Field("notes",
            "notes|note|comment|comments|remarks", "notizen|notiz|bemerkung|bemerkungen|kommentar|anmerkungen",
            "remarques|remarque|commentaire|commentaires", "notas|nota|comentarios|comentario|observaciones",
            "notas|observações|comentários", "note|commenti|commento|osservazioni", "notities|notitie|opmerkingen|opmerking"),
        Field("website",
            "website|web site|web|url|homepage|site|website url|web address", "webseite|internetseite|internet|homepage",
            "site web|site internet|site", "sitio web|página web|web", "site|sítio web|página web", "sito web|sito",
            "webpagina|internetadres"),
        Field("city",
            "city|town|locality", "stadt|ort|wohnort", "ville|localité|commune", "ciudad|localidad|población|municipio",
            "cidade|localidade|município", "città|località|comune", "plaats|woonplaats|stad|gemeente"),
        Field("country",
            "country|nation|country name", "land", "pays", "país", "país", "paese|nazione", "land"),
        Identifier(IdentifierKind.Email,
            "email*|mail|email address", "mail|e-mail-adresse", "courriel*|adresse électronique|mél", "correo|correo electrónico",
            "correio eletrónico|correio eletrônico", "posta elettronica|indirizzo di posta", "mailadres"),
        Identifier(IdentifierKind.Phone,
            "phone*|mobile*|tel|cell|cellphone|fax", "telefon*|tel|handy|handynummer|mobil|mobilnummer|festnetz|rufnummer|telefax",
            "téléphone|tél|portable|mobile|fax", "teléfono|tel|móvil|celular", "telefone|telemóvel*|celular|tel",
            "telefono|tel|cellulare|cell", "telefoon*|tel|mobiel|mobiele nummer|gsm"),
        Identifier(IdentifierKind.Social,
            "linkedin*|twitter*|facebook*|instagram*|github*|tiktok*|social*", "xing|soziale netzwerke",
            "réseaux sociaux", "redes sociales", "redes sociais", "social*", "sociale media"),
        Identifier(IdentifierKind.ExternalId,
            "id|identifier|uuid|guid", "id|kennung", "id|identifiant", "id|identificador", "id|identificador",
            "id|identificativo", "id"),
    ];

    /// <summary>Default profile field by compacted header name.</summary>
    public static FrozenDictionary<string, string> Fields { get; } = BuildFields();

    /// <summary>What a header names among the identifier kinds, if any: email first, then phone, social and external id.</summary>
    public static IdentifierKind? KindOf(string header)
    {
        var compact = ColumnNames.Compact(header);
        var words = ColumnNames.Words(header);
        foreach (var row in Rows)
        {
            if (row.Kind is { } kind && row.Names.Any(name => Matches(kind, name, compact, words)))
            {
                return kind;
            }
        }

        return null;
    }

    private static bool Matches(IdentifierKind kind, string name, string compact, IReadOnlyList<string> words) =>
        name.EndsWith('*') ? compact.Contains(name[..^1], StringComparison.Ordinal)
        : compact == name || (kind == IdentifierKind.ExternalId ? words.Count > 0 && words[^1] == name : words.Contains(name));

    private static FrozenDictionary<string, string> BuildFields()
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in Rows.Where(row => row.Field is not null))
        {
            foreach (var name in row.Names)
            {
                if (!fields.TryAdd(name, row.Field!) && fields[name] != row.Field)
                {
                    throw new InvalidOperationException($"The header name \"{name}\" means both {fields[name]} and {row.Field}.");
                }
            }
        }

        return fields.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static Row Field(string field, params string[] languages) => new(field, null, Compact(languages));

    private static Row Identifier(IdentifierKind kind, params string[] languages) => new(null, kind, Compact(languages));

    /// <summary>Every name of every language, compacted (a trailing <c>*</c> kept), without repeats.</summary>
    private static string[] Compact(string[] languages) =>
        [.. languages.SelectMany(names => names.Split('|'))
            .Select(name => name.EndsWith('*') ? ColumnNames.Compact(name) + "*" : ColumnNames.Compact(name))
            .Distinct(StringComparer.Ordinal)];

    private sealed record Row(string? Field, IdentifierKind? Kind, string[] Names);
}
