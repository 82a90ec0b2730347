using Kenbun.LeadImport.Storage;

namespace Kenbun.LeadImport.Tests.Support;

/// <summary>A storage failure a test store throws on purpose, of the class it names.</summary>
internal sealed class SimulatedStorageException(StorageFailureKind kind, string call)
    : Exception($"The test store failed the {call} on purpose ({kind}).")
{
    public StorageFailureKind Kind => kind;
}

/// <summary>Classifies <see cref="SimulatedStorageException"/> by the class it names, as a provider classifies its own exceptions.</summary>
internal sealed class SimulatedFailureClassifier : IStorageFailureClassifier
{
    public static SimulatedFailureClassifier Instance { get; } = new();

    /// <summary>The reason a simulated failure of <paramref name="kind"/> gives.</summary>
    public static string ReasonOf(StorageFailureKind kind) => $"The test store is {kind.ToString().ToLowerInvariant()} on purpose.";

    public StorageFailure Classify(Exception exception) =>
        exception is SimulatedStorageException simulated
            ? new StorageFailure(simulated.Kind, ReasonOf(simulated.Kind))
            : DefaultStorageFailureClassifier.Instance.Classify(exception);
}
