namespace Kenbun.LeadImport.Tests.Support;

/// <summary>Waits for a condition rather than for time: what a test of background work checks, it checks once it holds.</summary>
internal static class Eventually
{
    /// <summary>
    /// Checks <paramref name="condition"/> until it holds, running <paramref name="between"/> (e.g. moving a fake clock)
    /// and yielding between checks; fails naming <paramref name="what"/> if it never holds within a generous real-time bound.
    /// </summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, Action? between = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Gave up waiting for {what}.");
            between?.Invoke();
            await Task.Delay(1);
        }
    }

    /// <inheritdoc cref="HoldsAsync(Func{Task{bool}}, string, Action?)"/>
    public static Task HoldsAsync(Func<bool> condition, string what, Action? between = null) =>
        HoldsAsync(() => Task.FromResult(condition()), what, between);
}
