using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace Kenbun.LeadImport.Docs.Tests;

/// <summary>A log event of the packages, as a logger receives it.</summary>
/// <param name="Id">Its event id.</param>
/// <param name="Name">Its event name.</param>
/// <param name="Level">Its level.</param>
/// <param name="Method">The <c>LoggerMessage</c> method that writes it, as <c>Type.Method</c>.</param>
public sealed record LogEvent(int Id, string Name, LogLevel Level, string Method);

/// <summary>
/// Every log event of the packages: each method with a <see cref="LoggerMessageAttribute"/> in their assemblies, called
/// once with a logger that records what it is given. The id, name and level are the ones a host's logging receives:
/// the attribute leaves the id to the source generator, which derives it from the name, so only a call tells it.
/// </summary>
public static class LogEvents
{
    private static readonly Lazy<IReadOnlyList<LogEvent>> LazyAll = new(Find);

    /// <summary>The events, once each (code shared by two packages writes the same events).</summary>
    public static IReadOnlyList<LogEvent> All => LazyAll.Value;

    private static IReadOnlyList<LogEvent> Find() =>
    [
        .. SourceCode.Assemblies
            .SelectMany(assembly => assembly.GetTypes())
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(method => method.IsDefined(typeof(LoggerMessageAttribute), inherit: false))
            .Select(Write)
            .Distinct()
            .OrderBy(logEvent => logEvent.Method, StringComparer.Ordinal),
    ];

    /// <summary>
    /// Calls <paramref name="method"/> with default arguments and a recording logger: as its parameter, or in the
    /// logger field of an instance made without its constructor (the generated code reads only that field).
    /// </summary>
    private static LogEvent Write(MethodInfo method)
    {
        var type = method.DeclaringType!;
        var written = new List<(EventId Id, LogLevel Level)>();
        object? target = null;
        if (!method.IsStatic)
        {
            target = RuntimeHelpers.GetUninitializedObject(type);
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Where(field => typeof(ILogger).IsAssignableFrom(field.FieldType)))
            {
                field.SetValue(target, RecordingLogger.For(field.FieldType, written));
            }
        }

        var arguments = method.GetParameters()
            .Select(parameter => typeof(ILogger).IsAssignableFrom(parameter.ParameterType)
                ? RecordingLogger.For(parameter.ParameterType, written)
                : parameter.ParameterType.IsValueType ? Activator.CreateInstance(parameter.ParameterType) : null)
            .ToArray();
        method.Invoke(target, arguments);

        var where = $"{type.FullName}.{method.Name}";
        if (written.Count != 1)
        {
            throw new InvalidOperationException($"{where} wrote {written.Count} log events when called once; the test expects a LoggerMessage method to write one.");
        }

        return new LogEvent(written[0].Id.Id, written[0].Id.Name ?? string.Empty, written[0].Level, where);
    }

    /// <summary>A logger that records the event id and level of everything written to it.</summary>
    private static class RecordingLogger
    {
        /// <summary>A recording logger that fits <paramref name="loggerType"/> (<c>ILogger</c> or <c>ILogger&lt;T&gt;</c>).</summary>
        public static object For(Type loggerType, List<(EventId Id, LogLevel Level)> written)
        {
            var category = loggerType.IsGenericType && loggerType.GetGenericTypeDefinition() == typeof(ILogger<>)
                ? loggerType.GetGenericArguments()[0]
                : typeof(object);
            return Activator.CreateInstance(typeof(RecordingLogger<>).MakeGenericType(category), written)!;
        }
    }

    private sealed class RecordingLogger<TCategory>(List<(EventId Id, LogLevel Level)> written) : ILogger<TCategory>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            written.Add((eventId, logLevel));
    }
}
