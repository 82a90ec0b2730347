namespace Kenbun.LeadImport.AspNetCore;

/// <summary>
/// The values a string property of the API takes (or, on a map, the values of its entries; on a list, its items), which the OpenAPI document
/// lists as an enum (<see cref="LeadImportSchemaTransformer"/>). The properties stay strings: a value outside the list
/// gets the contract's own 400 from the handler, not a serializer error.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class ApiValuesAttribute(ApiValueSet set) : Attribute
{
    public ApiValueSet Set { get; } = set;
}

/// <summary>The lists of values <see cref="ApiValuesAttribute"/> names.</summary>
internal enum ApiValueSet
{
    /// <summary><c>queued</c>, <c>processing</c>, … (<see cref="Jobs.JobStatus"/>).</summary>
    JobStatus,

    /// <summary><c>upsert</c>, <c>create_only</c> (<see cref="Jobs.ImportMode"/>).</summary>
    ImportMode,

    /// <summary><c>email</c>, <c>phone</c>, … (<see cref="Identifiers.IdentifierKind"/>).</summary>
    IdentifierKind,

    /// <summary><c>_alias_email</c>, <c>_alias_phone</c>, …: an identifier kind with the alias prefix.</summary>
    AliasTarget,

    /// <summary>The host's <see cref="LeadImportOptions.ProfileFields"/>.</summary>
    ProfileField,
}
