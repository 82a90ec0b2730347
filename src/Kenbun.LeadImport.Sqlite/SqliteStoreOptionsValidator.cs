using Microsoft.Extensions.Options;

namespace Kenbun.LeadImport.Sqlite;

/// <summary>Fails the host's start on <see cref="SqliteStoreOptions"/> that configuration set wrong, naming the setting.</summary>
internal sealed class SqliteStoreOptionsValidator : IValidateOptions<SqliteStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, SqliteStoreOptions options) =>
        options.Problem is { } problem ? ValidateOptionsResult.Fail(problem.Message) : ValidateOptionsResult.Success;
}
