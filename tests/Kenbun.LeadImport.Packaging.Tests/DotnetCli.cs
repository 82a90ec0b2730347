using System.Diagnostics;
using System.Text;

namespace Kenbun.LeadImport.Packaging.Tests;

/// <summary>Runs the <c>dotnet</c> command line as a developer would, in a folder of its own, and keeps what it printed.</summary>
internal static class DotnetCli
{
    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/>; throws with its output unless it exits with 0.</summary>
    public static async Task<string> RunAsync(string workingDirectory, params string[] arguments)
    {
        using var process = Process.Start(StartInfo(workingDirectory, arguments))!;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.ErrorDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await process.WaitForExitAsync();
        lock (output)
        {
            return process.ExitCode == 0
                ? output.ToString()
                : throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{output}");
        }
    }

    /// <summary>
    /// A <c>dotnet</c> process in <paramref name="workingDirectory"/>, without the MSBuild settings this test process
    /// inherits from <c>dotnet test</c> (they would point a nested build at this build's SDK state), without telemetry,
    /// and without build nodes left running after it.
    /// </summary>
    public static ProcessStartInfo StartInfo(string workingDirectory, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        return info;
    }
}
