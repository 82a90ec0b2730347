namespace Kenbun.LeadImport.Storage;

/// <summary>Asks a provider's classifier without letting it fail the caller.</summary>
internal static class StorageFailureClassification
{
    /// <summary>The classifier's verdict, or a <see cref="StorageFailureKind.Defect"/> when the classifier itself throws.</summary>
    public static StorageFailure ClassifySafely(this IStorageFailureClassifier classifier, Exception exception)
    {
        try
        {
            return classifier.Classify(exception);
        }
        catch (Exception)
        {
            return StorageFailure.Defect("The store's failure classifier failed.");
        }
    }
}
