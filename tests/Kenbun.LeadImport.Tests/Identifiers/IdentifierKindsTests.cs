using Kenbun.LeadImport.Identifiers;

namespace Kenbun.LeadImport.Tests.Identifiers;

public class IdentifierKindsTests
{
    [Theory]
    [InlineData("email", IdentifierKind.Email)]
    [InlineData("phone", IdentifierKind.Phone)]
    [InlineData("cookie", IdentifierKind.Cookie)]
    [InlineData("external_id", IdentifierKind.ExternalId)]
    [InlineData("social", IdentifierKind.Social)]
    public void Api_names_round_trip(string apiName, IdentifierKind kind)
    {
        Assert.True(IdentifierKinds.TryParse(apiName, out var parsed));
        Assert.Equal(kind, parsed);
        Assert.Equal(apiName, kind.ToApiName());
    }

    [Theory]
    [InlineData("EMAIL", IdentifierKind.Email)]
    [InlineData("External_ID", IdentifierKind.ExternalId)]
    public void Api_names_parse_in_any_case(string apiName, IdentifierKind kind)
    {
        // CONTRACT §3: kind is accepted in any case and echoed in lower case.
        Assert.True(IdentifierKinds.TryParse(apiName, out var parsed));
        Assert.Equal(kind, parsed);
    }

    [Theory]
    [InlineData("externalId")]
    [InlineData("e-mail")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("fax")]
    public void Names_outside_the_five_kinds_do_not_parse(string? apiName) =>
        Assert.False(IdentifierKinds.TryParse(apiName, out _));

    [Theory]
    [InlineData(IdentifierKind.Email, "Invalid email format")]
    [InlineData(IdentifierKind.Phone, "Invalid phone format")]
    [InlineData(IdentifierKind.Cookie, "Invalid cookie format")]
    [InlineData(IdentifierKind.ExternalId, "Invalid external_id format")]
    [InlineData(IdentifierKind.Social, "Invalid social format")]
    public void Invalid_format_texts_are_the_api_texts(IdentifierKind kind, string text) =>
        Assert.Equal(text, RowErrors.InvalidFormat(kind));
}
