using Kenbun.LeadImport.Leads;

namespace Kenbun.LeadImport.Storage;

/// <summary>
/// A data migration of stored identifiers, for when the rules that normalise them change (a phone written as
/// <c>4155550100</c> becomes <c>+14155550100</c>): <see cref="Rewrite"/> gives a stored identifier's new value, or
/// <see langword="null"/> to keep it. The storage runs it in batches, remembers how far it got under
/// <see cref="Version"/>, and resumes there after a restart; a version it finished is never run again.
/// When two leads of an OU then hold one value, the older lead keeps it and the other loses that identifier (it keeps
/// its others): each such case is reported as an <see cref="IdentifierRewriteConflict"/>.
/// </summary>
/// <param name="Version">Names the rewrite, once and for all; later rewrites have higher versions and run after it.</param>
/// <param name="Description">What the rewrite changes, for the logs.</param>
/// <param name="Rewrite">The identifier's value under the new rules, or <see langword="null"/> when it stays.</param>
public sealed record IdentifierRewrite(int Version, string Description, Func<IdentifierKey, string?> Rewrite);

/// <summary>Two leads of an OU that claimed one identifier after a rewrite: the older kept it.</summary>
/// <param name="Ou">The OU.</param>
/// <param name="Identifier">The identifier, as rewritten.</param>
/// <param name="KeptBy">The older lead, which keeps it.</param>
/// <param name="LostBy">The younger lead, which no longer has it.</param>
public sealed record IdentifierRewriteConflict(string Ou, IdentifierKey Identifier, string KeptBy, string LostBy);

/// <summary>What one call of <see cref="LeadImportStorage.RewriteIdentifiersAsync"/> did.</summary>
/// <param name="Done">Whether every stored identifier has been through the rewrite.</param>
/// <param name="Rewritten">Identifiers whose value changed in this call.</param>
/// <param name="Conflicts">The identifiers two leads claimed after this call's changes, each settled for the older lead.</param>
public sealed record IdentifierRewriteProgress(bool Done, int Rewritten, IReadOnlyList<IdentifierRewriteConflict> Conflicts);
