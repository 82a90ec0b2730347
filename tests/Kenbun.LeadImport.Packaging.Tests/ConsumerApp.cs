using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Kenbun.LeadImport.Packaging.Tests;

/// <summary>
/// An app made as docs/getting-started.md says: the stock <c>web</c> template in a temp folder, the packages of this run
/// added with <c>dotnet add package</c> from their folder, <c>Program.cs</c> replaced, built in Release and started as
/// <c>dotnet LeadsApp.dll</c> in Development on a free port. Disposing stops it and deletes the folder.
/// </summary>
internal sealed class ConsumerApp : IAsyncDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("kenbun-consumer-");
    private readonly StringBuilder _output = new();
    private Process? _process;

    private string AppFolder => Path.Combine(_folder.FullName, "LeadsApp");

    /// <summary>A client for the running app, without credentials.</summary>
    public HttpClient Client { get; } = new() { Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>What the app printed so far: for a failing test's message.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Creates the app from the template and adds <paramref name="packageIds"/> of <paramref name="packed"/>.</summary>
    public async Task CreateAsync(PackedLibrary packed, params string[] packageIds)
    {
        // The run's folder is a package source beside the machine's own (no <clear/>: their dependencies come from there).
        await File.WriteAllTextAsync(Path.Combine(_folder.FullName, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="kenbun-run" value="{packed.Feed}" />
              </packageSources>
            </configuration>
            """);
        await DotnetCli.RunAsync(_folder.FullName, "new", "web", "--name", "LeadsApp", "--output", AppFolder);
        foreach (var id in packageIds)
        {
            await DotnetCli.RunAsync(AppFolder, "add", "package", id, "--version", packed.Version);
        }
    }

    /// <summary>Replaces <c>Program.cs</c>, builds, and starts the app with <paramref name="settings"/> as environment variables.</summary>
    public async Task StartAsync(string program, IReadOnlyDictionary<string, string>? settings = null)
    {
        await File.WriteAllTextAsync(Path.Combine(AppFolder, "Program.cs"), program);
        await DotnetCli.RunAsync(AppFolder, "build", "-c", "Release");

        var port = FreePort();
        var info = DotnetCli.StartInfo(AppFolder, [Path.Combine("bin", "Release", "net10.0", "LeadsApp.dll")]);
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, line) => { lock (_output) { _output.AppendLine(line.Data); } };
        _process.ErrorDataReceived += (_, line) => { lock (_output) { _output.AppendLine(line.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        Client.BaseAddress = new Uri($"http://127.0.0.1:{port}");
        while (!_process.HasExited)
        {
            try
            {
                await Client.GetAsync("/openapi/v1.json");
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100); // until Kestrel listens; the loop ends when the app exits
            }
        }

        throw new InvalidOperationException($"The app exited with {_process.ExitCode} before it listened:\n{Output}");
    }

    /// <summary>Signs in through the page's development sign-in and returns a client that sends the bearer token.</summary>
    public async Task<HttpClient> SignInAsync(string name, string ou)
    {
        var response = await Client.PostAsync($"/dev/sign-in?name={name}&ou={ou}", null);
        Assert.True(response.IsSuccessStatusCode, $"Sign-in answered {(int)response.StatusCode}:\n{Output}");
        var token = (await response.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!.ToString();
        var client = new HttpClient { BaseAddress = Client.BaseAddress, Timeout = Client.Timeout };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        Client.Dispose();
        _folder.Delete(recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
