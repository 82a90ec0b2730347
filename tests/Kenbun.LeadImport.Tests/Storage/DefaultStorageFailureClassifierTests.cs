using System.Data.Common;
using System.Net.Sockets;
using Kenbun.LeadImport.Storage;

namespace Kenbun.LeadImport.Tests.Storage;

/// <summary>
/// The classifier of stores that bring none: what .NET says is transient is an outage, everything else a defect,
/// nothing a refused batch; reasons are for people and never name the exception.
/// </summary>
public class DefaultStorageFailureClassifierTests
{
    public static TheoryData<Exception, StorageFailureKind> Failures() => new()
    {
        { new TimeoutException(), StorageFailureKind.Unavailable },
        { new TaskCanceledException("The store's own timeout."), StorageFailureKind.Unavailable },
        { new SocketException((int)SocketError.ConnectionRefused), StorageFailureKind.Unavailable },
        { new IOException("There is not enough space on the disk."), StorageFailureKind.Unavailable },
        { new UnauthorizedAccessException(), StorageFailureKind.Unavailable },
        { new TestDbException(transient: true), StorageFailureKind.Unavailable },
        { new AggregateException(new TimeoutException()), StorageFailureKind.Unavailable },
        { new TestDbException(transient: false), StorageFailureKind.Defect },
        { new FileNotFoundException(), StorageFailureKind.Defect },
        { new InvalidOperationException("A store invariant broke."), StorageFailureKind.Defect },
        { new NullReferenceException(), StorageFailureKind.Defect },
        { new AggregateException(new TimeoutException(), new TimeoutException()), StorageFailureKind.Defect },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Transient_failures_are_outages_and_everything_else_is_a_defect(Exception exception, StorageFailureKind expected)
    {
        var failure = DefaultStorageFailureClassifier.Instance.Classify(exception);

        Assert.Equal(expected, failure.Kind);
        Assert.False(string.IsNullOrWhiteSpace(failure.Reason));
        Assert.DoesNotContain(nameof(Exception), failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_full_disk_is_out_of_space_and_other_io_failures_are_not()
    {
        var full = new IOException("No space left on device", 28);
        if (File.Exists("/dev/full"))
        {
            // What the runtime really throws on Linux for ENOSPC.
            full = Assert.ThrowsAny<IOException>(() =>
            {
                using var device = new FileStream("/dev/full", FileMode.Open, FileAccess.Write);
                device.Write(new byte[16]);
                device.Flush();
            });
        }

        var outOfSpace = DefaultStorageFailureClassifier.Instance.Classify(full);
        var other = DefaultStorageFailureClassifier.Instance.Classify(new IOException("The device is not ready."));

        Assert.Equal((StorageFailureKind.Unavailable, true), (outOfSpace.Kind, outOfSpace.IsOutOfSpace));
        Assert.Equal((StorageFailureKind.Unavailable, false), (other.Kind, other.IsOutOfSpace));
    }

    [Fact]
    public void An_unclassified_failure_is_a_defect_by_default()
    {
        Assert.Equal(StorageFailureKind.Defect, default(StorageFailure).Kind);
        Assert.Equal([0, 1, 2], Enum.GetValues<StorageFailureKind>().Select(k => (int)k));
        Assert.Equal(1, (int)StorageFailureKind.Unavailable);
        Assert.Equal(2, (int)StorageFailureKind.Batch);
    }

    [Fact]
    public void A_classifier_that_throws_counts_as_a_defect()
    {
        var failure = new ThrowingClassifier().ClassifySafely(new TimeoutException());

        Assert.Equal(StorageFailureKind.Defect, failure.Kind);
    }

    private sealed class TestDbException(bool transient) : DbException("A database failure.")
    {
        public override bool IsTransient => transient;
    }

    private sealed class ThrowingClassifier : IStorageFailureClassifier
    {
        public StorageFailure Classify(Exception exception) => throw new InvalidOperationException("The classifier is broken.");
    }
}
