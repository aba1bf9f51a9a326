using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Http.Headers;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using MassTransit;
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
using Sip.Contracts.Grpc.Case.V1;
using Sip.Contracts.Grpc.Consent.V1;
using Sip.ServiceDefaults.Auth;
using Sip.Testing;

namespace Sip.Case.Tests.Service;

/// <summary>
/// The real case service (its own Program) in memory, on a real PostgreSQL and RabbitMQ in containers, migrated as
/// the migrate step does it, on a clock the test sets. Consent is a stand-in gRPC server on 127.0.0.1 that allows
/// every check, except for the units a test names in <see cref="Uncovered"/> or <see cref="ConsentDown"/>: what consent
/// decides is consent's own tests' business; here it is the case process.
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
    private MeterListener? _inboxDuplicates;
    private readonly ConcurrentDictionary<string, long> _duplicates = new();

    public SetClock Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>Units the stand-in consent does not cover (tests use units of their own, so they do not disturb each other).</summary>
    public ConcurrentDictionary<Guid, bool> Uncovered { get; } = new();

    /// <summary>What the stand-in consent tells case about an individual for statistics; anyone else is unknown (0, 0, Unknown).</summary>
    public ConcurrentDictionary<Guid, StatisticsProfileReply> Profiles { get; } = new();

    /// <summary>Units for which the stand-in consent does not answer (UNAVAILABLE).</summary>
    public ConcurrentDictionary<Guid, bool> ConsentDown { get; } = new();

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
            builder.UseSetting("Messaging:ScheduledEventsPollInterval", "00:00:00.200");
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
        _inboxDuplicates = ListenForInboxDuplicates(_factory.Services.GetRequiredService<IMeterFactory>());
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

    /// <summary>
    /// A region unit that opens cases, a municipal unit and a second region unit, each with one member of staff, all of the
    /// test's own, so tests sharing the host do not see each other's cases, items or facts.
    /// </summary>
    public async Task<UnitsScene> UnitsSceneAsync(CancellationToken ct)
    {
        var (opener, municipality, other) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var tag = Guid.NewGuid().ToString("N")[..8];
        using var admin = As("directory-admin");
        foreach (var (unit, name, principal) in new[] { (opener, "Vårdcentralen Syd", "Region"), (municipality, "Socialtjänsten Syd", "Municipality"), (other, "BUP Syd", "Region") })
        {
            await (await admin.PutAsJsonAsync($"api/v1/cases/units/{unit}", new { name, principal, municipalityCode = "1481" }, ct)).JsonAsync(HttpStatusCode.OK);
        }
        var scene = new UnitsScene(opener, municipality, other, $"nurse-{tag}", $"social-{tag}", $"bup-{tag}");
        foreach (var (subject, unit) in new[] { (scene.Nurse, opener), (scene.Social, municipality), (scene.OtherStaff, other) })
        {
            await (await admin.PutAsJsonAsync("api/v1/cases/staff", new
            {
                subject, name = "Test Testsson", memberships = new[] { new { unitId = unit, roles = new[] { "staff" } } },
            }, ct)).JsonAsync(HttpStatusCode.OK);
        }
        return scene;
    }

    /// <summary>A client without a token, for what is anonymous (the OpenAPI document).</summary>
    public HttpClient Anonymous() => _factory!.CreateClient();

    public Task<EventProbe> ListenAsync<T>() => EventProbe.ListenAsync<T>(_broker!);

    /// <summary>Publishes as another service would; a redelivery is the same message id again.</summary>
    public Task PublishAsync<T>(T message, Guid messageId) where T : class =>
        _factory!.Services.GetRequiredService<IBus>().Publish(message, c => c.MessageId = messageId);

    public async Task<T> QueryAsync<T>(Func<CaseDbContext, Task<T>> query)
    {
        await using var scope = _factory!.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<CaseDbContext>());
    }

    /// <summary>The case service's own gRPC API, called in memory with a token for a person the directory knows.</summary>
    public CaseAccess.CaseAccessClient CaseAccessAs(string subject, params Guid[] units)
    {
        var token = DevelopmentTokens.Mint(_keyFile, new TokenRequest(subject, "Test Testsson", Tenant, units, [SipRoles.Staff]));
        var channel = GrpcChannel.ForAddress(_factory!.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _factory.Server.CreateHandler() });
        return new CaseAccess.CaseAccessClient(channel.Intercept(metadata =>
        {
            metadata.Add("Authorization", $"Bearer {token}");
            return metadata;
        }));
    }

    /// <summary>How many redeliveries of a message the inbox recognised and skipped for <paramref name="consumer"/> in this host.</summary>
    public long InboxDuplicates(string consumer) => _duplicates.GetValueOrDefault(consumer);

    /// <summary>
    /// A skipped redelivery leaves nothing in the database to wait for; the inbox's metric does, and only this host's
    /// meter factory is listened to (other test classes run their own hosts in this process).
    /// </summary>
    private MeterListener ListenForInboxDuplicates(IMeterFactory meters)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Name == "sip.inbox.duplicates")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "consumer", Value: string consumer })
                {
                    _duplicates.AddOrUpdate(consumer, value, (_, count) => count + value);
                }
            }
        });
        listener.Start();
        return listener;
    }

    private async Task<WebApplication> StartConsentStandInAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(this);
        var app = builder.Build();
        app.MapGrpcService<AllowingConsent>();
        await app.StartAsync();
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        _inboxDuplicates?.Dispose();
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

    private sealed class AllowingConsent(CaseServiceHost host) : ConsentChecks.ConsentChecksBase
    {
        public override Task<CheckConsentReply> CheckConsent(CheckConsentRequest request, ServerCallContext context)
        {
            var unit = Guid.Parse(request.UnitId);
            if (host.ConsentDown.ContainsKey(unit))
            {
                throw new RpcException(new Status(StatusCode.Unavailable, "stand-in: consent is down"));
            }
            return Task.FromResult(host.Uncovered.ContainsKey(unit)
                ? new CheckConsentReply { Allowed = false, Reason = DenialReason.UnitNotCovered }
                : new CheckConsentReply { Allowed = true, ConsentId = Guid.NewGuid().ToString() });
        }

        public override Task<StatisticsProfileReply> GetStatisticsProfile(StatisticsProfileRequest request, ServerCallContext context) =>
            Task.FromResult(host.Profiles.TryGetValue(Guid.Parse(request.IndividualId), out var profile)
                ? profile
                : new StatisticsProfileReply { Sex = "Unknown" });

        /// <summary>What a lock and a print ask for: a test identity number (Skatteverket's), no name, a copy to the individual.</summary>
        public override Task<PlanParticularsReply> GetPlanParticulars(PlanParticularsRequest request, ServerCallContext context) =>
            Task.FromResult(new PlanParticularsReply
            {
                IdentifierKind = "Personnummer",
                Identifier = "19121212-1212",
                CopyRecipients = { "Den enskilde" },
                ConsentId = Guid.NewGuid().ToString(),
                ConsentSummary = "Den enskildes samtycke: den enskilde muntligt",
            });
    }
}

/// <summary>What <see cref="CaseServiceHost.UnitsSceneAsync"/> set up: three units and their staff's subjects.</summary>
public sealed record UnitsScene(Guid Opener, Guid Municipality, Guid Other, string Nurse, string Social, string OtherStaff);
