namespace Kenbun.LeadImport.Benchmarks;

/// <summary>
/// Where <see cref="ByHandImport"/> keeps leads: a <c>leads</c> table (fields as JSON), an <c>identifiers (ou, kind,
/// value) UNIQUE → lead</c> table and a <c>jobs</c> row of progress (<see cref="Tables"/>), written by each store as is
/// natural for it.
/// </summary>
internal interface IByHandStore
{
    /// <summary>The tables, in a store's types for a lead id and a JSON document.</summary>
    static string Tables(string idType, string jsonType) => $"""
        CREATE TABLE jobs (id integer PRIMARY KEY, processed bigint NOT NULL);
        INSERT INTO jobs VALUES (1, 0);
        CREATE TABLE leads (id {idType} PRIMARY KEY, ou text NOT NULL, fields {jsonType} NOT NULL);
        CREATE TABLE identifiers (ou text NOT NULL, kind integer NOT NULL, value text NOT NULL, lead {idType} NOT NULL, UNIQUE (ou, kind, value));
        """;

    /// <summary>The leads that own <paramref name="emails"/>, by email; an email no lead owns is missing.</summary>
    Task<Dictionary<string, long>> LookUpEmailsAsync(IReadOnlyCollection<string> emails);

    /// <summary>
    /// In one transaction: inserts the new leads, merges the updated leads' fields over what they have, gives each
    /// identifier no lead owns to its lead, and sets the job's progress to <paramref name="processed"/> rows.
    /// </summary>
    Task CommitAsync(ByHandChanges changes, long processed);
}
