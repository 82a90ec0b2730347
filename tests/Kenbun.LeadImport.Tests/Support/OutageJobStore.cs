using System.Reflection;
using System.Runtime.ExceptionServices;
using Kenbun.LeadImport.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kenbun.LeadImport.Tests.Support;

/// <summary>
/// The in-memory job store, except that looking for work fails with a <see cref="SimulatedStorageException"/> of the
/// class <see cref="Failure"/> names while it names one: what a worker meets between jobs when its store goes away.
/// </summary>
internal class OutageJobStore : DispatchProxy
{
    private IJobStore? _inner;
    private Func<StorageFailureKind?> _failure = () => null;

    /// <summary>Registers the store; <paramref name="failure"/> says, at each call, how looking for work fails, if it does.</summary>
    public static void Register(IServiceCollection services, Func<StorageFailureKind?> failure)
    {
        SimulatedFailureClassifier.Register(services);
        services.Replace(ServiceDescriptor.Singleton(provider =>
        {
            var store = Create<IJobStore, OutageJobStore>();
            var proxy = (OutageJobStore)(object)store;
            proxy._inner = provider.GetRequiredService<InMemoryJobStore>();
            proxy._failure = failure;
            return store;
        }));
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(IJobStore.AcquireNextAsync) && _failure() is { } kind)
        {
            throw new SimulatedStorageException(kind, "search for queued jobs");
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
