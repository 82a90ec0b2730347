using Kenbun.LeadImport.Storage;
using Kenbun.LeadImport.Testing;

namespace Kenbun.LeadImport.Tests.Support;

/// <summary>Storage whose files face is a test's own, wrapped around the inner storage's.</summary>
internal sealed class StorageWithFiles(LeadImportStorage inner, IImportFileStore files) : DelegatingStorage(inner)
{
    public override IImportFileStore Files => files;
}
