using System.Net.Http.Headers;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using Sip.Case.Infrastructure;
using Sip.Contracts.Grpc.Consent.V1;
using Sip.ServiceDefaults.Auth;
using Sip.Testing;

namespace Sip.Case.Tests.Service;

/// <summary>
/// The real case service (its own Program) in memory, on a real PostgreSQL and RabbitMQ in containers, migrated as
/// the migrate step does it, on a clock the test sets. Consent is a stand-in gRPC server on 127.0.0.1 that allows
/// every check: what consent decides is consent's own tests' business; here it is the case process.
/// </summary>
public sealed class CaseServiceHost : IAsyncLifetime
{
    public const string Tenant = "case-test";
    public static readonly Guid Vardcentral = Guid.NewGuid();
    public static readonly Guid Socialtjanst = Guid.NewGuid();
    private readonly PostgresFixture _postgres = new();
    private readonly RabbitMqFixture _rabbit = new();
    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), $"sip-case-tests-{Guid.NewGuid():N}.pem");
    private WebApplication? _consent;
    private WebApplicationFactory<Program>? _factory;
    private IConnection? _broker;

    public SetClock Clock { get; } = new(DateTimeOffset.UtcNow);

    public async ValueTask InitializeAsync()
    {
        await Task.WhenAll(_postgres.InitializeAsync().AsTask(), _rabbit.InitializeAsync().AsTask());
        DevelopmentTokens.CreateKeyFileIfMissing(_keyFile);
        var connection = await _postgres.CreateServiceSchemaAsync(CaseDbContext.Schema);
        _consent = await StartConsentStandInAsync();
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:Database", connection);
            builder.UseSetting("Auth:DevSigningKeyFile", _keyFile);
            builder.UseSetting("Services:ConsentGrpc", _consent.Urls.Single());
            builder.UseSetting("InitiativeDeadlines:CheckInterval", "00:00:00.200");
            foreach (var (key, value) in _rabbit.Configuration())
            {
                builder.UseSetting(key, value);
            }
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
            builder.ConfigureLogging(l => l.ClearProviders());
        });
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<CaseDbContext>().Database.MigrateAsync();
        }
        _broker = await new ConnectionFactory { HostName = _rabbit.Host, Port = _rabbit.Port, UserName = _rabbit.Username, Password = _rabbit.Password }.CreateConnectionAsync();
    }

    /// <summary>A client for a person the directory knows (a directory administrator's token when no unit is given).</summary>
    public HttpClient As(string subject, params Guid[] units)
    {
        var client = _factory!.CreateClient();
        var roles = units.Length == 0 ? new[] { SipRoles.DirectoryAdministrator } : [SipRoles.Staff];
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            DevelopmentTokens.Mint(_keyFile, new TokenRequest(subject, "Test Testsson", Tenant, units, roles)));
        return client;
    }

    public Task<EventProbe> ListenAsync<T>() => EventProbe.ListenAsync<T>(_broker!);

    private static async Task<WebApplication> StartConsentStandInAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<AllowingConsent>();
        await app.StartAsync();
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
        if (_consent is not null)
        {
            await _consent.DisposeAsync();
        }
        File.Delete(_keyFile);
        await _postgres.DisposeAsync();
        await _rabbit.DisposeAsync();
    }

    private sealed class AllowingConsent : ConsentChecks.ConsentChecksBase
    {
        public override Task<CheckConsentReply> CheckConsent(CheckConsentRequest request, ServerCallContext context) =>
            Task.FromResult(new CheckConsentReply { Allowed = true, ConsentId = Guid.NewGuid().ToString() });
    }
}
