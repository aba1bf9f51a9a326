using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Sip.ServiceDefaults.Auth;

[assembly: AssemblyFixture(typeof(Sip.Web.Tests.WebAppFixture))]

namespace Sip.Web.Tests;

/// <summary>
/// The published app (<c>web/</c> beside the tests, see the .csproj) started as its own process on 127.0.0.1, in
/// Development with the demo users, its gateway the <see cref="StandInGateway"/>. One for the whole run.
/// </summary>
public sealed class WebAppFixture : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sip-web-tests-").FullName;
    private WebAppProcess? _app;

    public StandInGateway Gateway { get; private set; } = null!;

    public string KeyFile => Path.Combine(_dir, "dev-signing-key.pem");

    public string BaseUrl => _app!.BaseUrl;

    public async ValueTask InitializeAsync()
    {
        DevelopmentTokens.CreateKeyFileIfMissing(KeyFile);
        Gateway = await StandInGateway.StartAsync(KeyFile);
        _app = await WebAppProcess.StartAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Auth__DevSigningKeyFile"] = KeyFile,
            ["Auth__Issuer"] = DevelopmentTokens.DefaultIssuer,
            ["Auth__Audience"] = SipClaims.DefaultAudience,
            ["DevSignIn__DemoTenantFile"] = Path.Combine(AppContext.BaseDirectory, "demo-tenant.json"),
            ["Services__Gateway"] = Gateway.BaseUrl,
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        await Gateway.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}

/// <summary>One run of the published app: `dotnet web/Sip.Web.dll` on a port Kestrel picks, stopped when disposed.</summary>
public sealed partial class WebAppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private WebAppProcess(IDictionary<string, string> environment)
    {
        var published = Path.Combine(AppContext.BaseDirectory, "web");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = published,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(published, "Sip.Web.dll"));
        info.Environment["Kestrel__Endpoints__Http__Url"] = "http://127.0.0.1:0";
        info.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
        _process = new Process { StartInfo = info, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Read(e.Data);
        _process.ErrorDataReceived += (_, e) => Read(e.Data);
        _process.Exited += (_, _) => _listening.TrySetException(new InvalidOperationException($"Sip.Web exited ({_process.ExitCode}):\n{Output}"));
    }

    public string BaseUrl { get; private set; } = "";

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

    public static async Task<WebAppProcess> StartAsync(IDictionary<string, string> environment)
    {
        var app = new WebAppProcess(environment);
        app._process.Start();
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        try
        {
            app.BaseUrl = await app._listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return app;
    }

    /// <summary>Waits for the process to end by itself (for an app that must refuse to start).</summary>
    public async Task<int> ExitCodeAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>Starts the app without waiting for it to listen.</summary>
    public static WebAppProcess Launch(IDictionary<string, string> environment)
    {
        var app = new WebAppProcess(environment);
        app._process.Start();
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        return app;
    }

    private void Read(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
        if (Listening().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(match.Groups[1].Value);
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
