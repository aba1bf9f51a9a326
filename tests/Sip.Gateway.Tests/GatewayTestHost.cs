using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sip.ServiceDefaults.Auth;

namespace Sip.Gateway.Tests;

/// <summary>What the echo backend saw of one proxied request.</summary>
public sealed record EchoedRequest(string Path, string Query, string? Authorization, string? CorrelationId, string? TraceParent);

/// <summary>A real Kestrel server on 127.0.0.1 and a random port that answers every request with what it received.</summary>
public sealed class EchoBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EchoBackend(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    public string Address { get; }
    public ConcurrentQueue<EchoedRequest> Received { get; } = new();

    /// <param name="beforeAnswering">awaited before each answer: a test holds requests in the backend with it</param>
    public static async Task<EchoBackend> StartAsync(Func<HttpContext, Task>? beforeAnswering = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        EchoBackend? backend = null;
        app.Run(async context =>
        {
            var echoed = new EchoedRequest(
                context.Request.Path.Value ?? "",
                context.Request.QueryString.Value ?? "",
                context.Request.Headers.Authorization.Count > 0 ? context.Request.Headers.Authorization.ToString() : null,
                context.Request.Headers.TryGetValue("X-Correlation-Id", out var id) ? id.ToString() : null,
                context.Request.Headers.TryGetValue("traceparent", out var parent) ? parent.ToString() : null);
            backend!.Received.Enqueue(echoed);
            if (beforeAnswering is not null)
            {
                await beforeAnswering(context);
            }
            await context.Response.WriteAsJsonAsync(echoed);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        backend = new EchoBackend(app, address);
        return backend;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>The real gateway (its own Program) in memory, with every cluster pointing at one echo backend.</summary>
public sealed class GatewayFactory(string environment, string devKeyFile, string backendAddress, int? permitsPerSecond = null, int? burst = null,
    int? anonymousPermitsPerMinute = null, int? maxConcurrentApiRequests = null)
    : WebApplicationFactory<Program>
{
    public static readonly string[] Clusters = ["case", "consent", "meeting-scheduling", "notification", "statistics"];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("Auth:DevSigningKeyFile", devKeyFile);
        if (permitsPerSecond is { } p)
        {
            builder.UseSetting("Gateway:TenantPermitsPerSecond", p.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (burst is { } b)
        {
            builder.UseSetting("Gateway:TenantBurst", b.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (anonymousPermitsPerMinute is { } a)
        {
            builder.UseSetting("Gateway:AnonymousPermitsPerMinute", a.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (maxConcurrentApiRequests is { } m)
        {
            builder.UseSetting("Gateway:MaxConcurrentApiRequests", m.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        foreach (var cluster in Clusters.Append("web"))
        {
            builder.UseSetting($"ReverseProxy:Clusters:{cluster}:Destinations:primary:Address", backendAddress);
        }
        builder.ConfigureLogging(l => l.ClearProviders());
    }
}

/// <summary>One dev key, one foreign key, one echo backend and one gateway, shared by a test class.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sip-gateway-tests-" + Guid.NewGuid().ToString("N"));

    public string DevKeyFile => Path.Combine(_directory, "dev-signing-key.pem");
    public string ForeignKeyFile => Path.Combine(_directory, "foreign-key.pem");
    public EchoBackend Backend { get; private set; } = null!;
    public GatewayFactory Gateway { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        DevelopmentTokens.CreateKeyFileIfMissing(DevKeyFile);
        DevelopmentTokens.CreateKeyFileIfMissing(ForeignKeyFile);
        Backend = await EchoBackend.StartAsync();
        Gateway = new GatewayFactory("Development", DevKeyFile, Backend.Address);
    }

    public string Token(string tenant, string? keyFile = null, string? audience = null, TimeProvider? clock = null, TimeSpan? lifetime = null) =>
        DevelopmentTokens.Mint(keyFile ?? DevKeyFile,
            new TokenRequest("user-" + tenant, "Test Testsson", tenant, [Guid.NewGuid()], [SipRoles.Staff], lifetime, Audience: audience),
            clock);

    public HttpClient ClientFor(WebApplicationFactory<Program> gateway, string? token)
    {
        var client = gateway.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Backend.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>A clock fixed at one instant, for minting tokens in the past.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
