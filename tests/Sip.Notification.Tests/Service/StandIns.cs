using System.Collections.Concurrent;
using System.Text;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Sip.Contracts.Grpc.Case.V1;
using Sip.Notification.Domain;
using Sip.ServiceDefaults.Auth;

namespace Sip.Notification.Tests.Service;

/// <summary>A real Kestrel server on 127.0.0.1 and a random port, running <paramref name="handle"/> for every request.</summary>
public sealed class LocalHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LocalHttpServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<LocalHttpServer> StartAsync(RequestDelegate handle, bool http2 = false, Action<IServiceCollection>? services = null,
        Action<WebApplication>? map = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = http2 ? HttpProtocols.Http2 : HttpProtocols.Http1));
        builder.Logging.ClearProviders();
        services?.Invoke(builder.Services);
        var app = builder.Build();
        if (map is not null)
        {
            map(app);
        }
        else
        {
            app.Run(handle);
        }
        await app.StartAsync();
        return new LocalHttpServer(app, new Uri(app.Urls.Single() + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>
/// Stands in for an SMS provider over HTTP (the 46elks form: from, to, message, HTTP Basic): keeps every message it
/// accepts, refuses wrong credentials with 401, and answers 503 while <see cref="FailNext"/> is above zero.
/// </summary>
public sealed class SmsProviderStandIn : IAsyncDisposable
{
    public const string Username = "sip-test";
    public const string Password = "hemligt-losenord";
    private LocalHttpServer? _server;
    private int _failNext;

    public ConcurrentQueue<(string From, string To, string Message)> Received { get; } = new();

    public Uri Endpoint => new(_server!.Address, "a1/sms");

    public int FailNext
    {
        get => Volatile.Read(ref _failNext);
        set => Volatile.Write(ref _failNext, value);
    }

    public async Task StartAsync() => _server = await LocalHttpServer.StartAsync(async context =>
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}"));
        if (context.Request.Path != "/a1/sms" || context.Request.Headers.Authorization != expected)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        if (Interlocked.Decrement(ref _failNext) >= 0)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        Interlocked.Exchange(ref _failNext, 0);
        var form = await context.Request.ReadFormAsync();
        Received.Enqueue((form["from"].ToString(), form["to"].ToString(), form["message"].ToString()));
        await context.Response.WriteAsJsonAsync(new { status = "created" });
    });

    public IReadOnlyList<string> To(string phone) => Received.Where(r => r.To == phone).Select(r => r.Message).ToList();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>
/// A case system receiving webhooks as an integrator is told to (docs/integration.md): it verifies the signature with the
/// secret registered for its path, refuses a timestamp outside 5 minutes and a webhook-id it has already accepted, and
/// keeps what it accepted. <see cref="Rejected"/> counts what it refused and why.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, string> _secrets = new();
    private readonly ConcurrentDictionary<string, byte> _seen = new();
    private LocalHttpServer? _server;

    public ConcurrentQueue<(string Path, string Id, string Body)> Accepted { get; } = new();
    public ConcurrentQueue<string> Rejected { get; } = new();

    /// <summary>How many requests to refuse with 500 before accepting again.</summary>
    public int FailNext;

    public Uri Url(string path) => new(_server!.Address, path);

    public void Register(string path, string secret) => _secrets["/" + path] = secret;

    public async Task StartAsync() => _server = await LocalHttpServer.StartAsync(async context =>
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var path = context.Request.Path.Value ?? "";
        var id = context.Request.Headers["webhook-id"].ToString();
        var timestamp = context.Request.Headers["webhook-timestamp"].ToString();
        var signature = context.Request.Headers["webhook-signature"].ToString();
        if (!_secrets.TryGetValue(path, out var secret)
            || !WebhookSignature.Verify(secret, id, timestamp, body, signature, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)))
        {
            Rejected.Enqueue("signature");
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        if (context.Request.ContentType?.StartsWith("application/cloudevents+json", StringComparison.Ordinal) != true)
        {
            Rejected.Enqueue("content-type");
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }
        if (Interlocked.Decrement(ref FailNext) >= 0)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }
        Interlocked.Exchange(ref FailNext, 0);
        if (!_seen.TryAdd(id, 0))
        {
            // A replay (or the sender's retry of one it already delivered): acknowledged, not processed again.
            Rejected.Enqueue("replay");
            context.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }
        Accepted.Enqueue((path.TrimStart('/'), id, body));
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    });

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>
/// The case service's staff directory as notification asks it (with the caller's token): the caller holds, in every unit
/// the token names, the token's staff and unit-administrator roles. Real gRPC over HTTP/2 on 127.0.0.1.
/// </summary>
public sealed class DirectoryStandIn : StaffDirectory.StaffDirectoryBase
{
    public override Task<GetMyMembershipsReply> GetMyMemberships(GetMyMembershipsRequest request, ServerCallContext context)
    {
        var token = new JsonWebToken(context.RequestHeaders.GetValue("authorization")!["Bearer ".Length..]);
        var roles = token.Claims.Where(c => c.Type == SipClaims.Roles && c.Value is SipRoles.Staff or SipRoles.UnitAdministrator).Select(c => c.Value).ToList();
        var reply = new GetMyMembershipsReply();
        reply.Memberships.AddRange(token.Claims.Where(c => c.Type == SipClaims.Units)
            .Select(c => new Contracts.Grpc.Case.V1.UnitMembership { UnitId = c.Value, Roles = { roles } }));
        return Task.FromResult(reply);
    }

    public static Task<LocalHttpServer> StartAsync() =>
        LocalHttpServer.StartAsync(_ => Task.CompletedTask, http2: true, s => s.AddGrpc(), app => app.MapGrpcService<DirectoryStandIn>());
}
