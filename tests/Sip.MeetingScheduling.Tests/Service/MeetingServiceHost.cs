using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Grpc.Core;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using RabbitMQ.Client;
using Sip.Contracts.Grpc.Case.V1;
using Sip.Contracts.Grpc.Consent.V1;
using Sip.MeetingScheduling.Infrastructure;
using Sip.ServiceDefaults.Auth;
using Sip.Testing;

namespace Sip.MeetingScheduling.Tests.Service;

/// <summary>A clock the tests set; the service's timers read it.</summary>
public sealed class SetClock(DateTimeOffset now) : TimeProvider
{
    private long _ticks = now.UtcTicks;

    public DateTimeOffset Now
    {
        get => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref _ticks, value.UtcTicks);
    }

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>
/// The real meeting-scheduling service (its own Program) in memory, on a real PostgreSQL and RabbitMQ in containers, migrated
/// as the migrate step does it, on a clock the test sets. The case and consent services are one stand-in gRPC server on
/// 127.0.0.1 (<see cref="Cases"/>): it lists every token's units in the directory, answers for the cases a test registers
/// (a unit that does not take part gets NOT_FOUND, as from case), and gives letter disclosures a test sets.
/// </summary>
public sealed class MeetingServiceHost : IAsyncLifetime
{
    public const string Tenant = "meeting-test";
    private readonly PostgresFixture _postgres = new();
    private readonly RabbitMqFixture _rabbit = new();
    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), $"sip-meeting-tests-{Guid.NewGuid():N}.pem");
    private WebApplicationFactory<Program>? _factory;
    private WebApplication? _standIn;
    private IConnection? _broker;

    public SetClock Clock { get; } = new(DateTimeOffset.UtcNow);
    public CaseStandIn Cases { get; } = new();

    /// <summary>Runs as the service is about to save any of its contexts: where a test lets another writer in first.</summary>
    public Func<DbContext, Task>? BeforeSave { get; set; }

    public async ValueTask InitializeAsync()
    {
        await Task.WhenAll(_postgres.InitializeAsync().AsTask(), _rabbit.InitializeAsync().AsTask());
        DevelopmentTokens.CreateKeyFileIfMissing(_keyFile);
        var connection = await _postgres.CreateServiceSchemaAsync(MeetingDbContext.Schema);
        _standIn = await StartStandInAsync();
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:Database", connection);
            builder.UseSetting("Auth:DevSigningKeyFile", _keyFile);
            builder.UseSetting("Auth:Issuer", "sip-dev");
            builder.UseSetting("Auth:Audience", "sip-platform");
            builder.UseSetting("Services:CaseGrpc", _standIn.Urls.Single());
            builder.UseSetting("Services:ConsentGrpc", _standIn.Urls.Single());
            builder.UseSetting("Meetings:LinkBaseUrl", "https://sip.test.example/");
            builder.UseSetting("Messaging:ScheduledEventsPollInterval", "00:00:00.200");
            foreach (var (key, value) in _rabbit.Configuration())
            {
                builder.UseSetting(key, value);
            }
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<TimeProvider>(Clock);
                services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor>(new BeforeSaveHook(this));
                // The stand-in answers in the test process, on a box that runs two test modules and chromium at once: the
                // 2 s per attempt meant for a real network once ran out there (a 503 directory-unavailable in CI).
                services.PostConfigureAll<Microsoft.Extensions.Http.Resilience.HttpStandardResilienceOptions>(o =>
                {
                    o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(10);
                    o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(30);
                });
            });
            builder.ConfigureLogging(l => l.ClearProviders());
        });
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<MeetingDbContext>().Database.MigrateAsync();
        }
        _factory.CreateClient().Dispose();
        _broker = await new ConnectionFactory { HostName = _rabbit.Host, Port = _rabbit.Port, UserName = _rabbit.Username, Password = _rabbit.Password }.CreateConnectionAsync();
    }

    /// <summary>Staff of <paramref name="units"/> (one subject per unit set: the directory answer is cached per person).</summary>
    public HttpClient Staff(params Guid[] units) => Client("staff-" + string.Join("-", units.Select(u => u.ToString("N")[..8])), units, SipRoles.Staff);

    public HttpClient UnitAdministrator(Guid unit) => Client("admin-" + unit.ToString("N")[..8], [unit], SipRoles.Staff, SipRoles.UnitAdministrator);

    public HttpClient Anonymous() => _factory!.CreateClient();

    private HttpClient Client(string subject, Guid[] units, params string[] roles)
    {
        var client = _factory!.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            DevelopmentTokens.Mint(_keyFile, new TokenRequest(subject, "Test Testsson", Tenant, units, roles)));
        return client;
    }

    /// <summary>Publishes an event to the real broker, as the case service would.</summary>
    public Task PublishAsync<T>(T message) where T : class => _factory!.Services.GetRequiredService<IBus>().Publish(message);

    public Task<EventProbe> ListenAsync<T>() => EventProbe.ListenAsync<T>(_broker!);

    public async Task<T> QueryAsync<T>(Func<MeetingDbContext, Task<T>> query)
    {
        await using var scope = _factory!.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<MeetingDbContext>());
    }

    private async Task<WebApplication> StartStandInAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(Cases);
        builder.Services.AddSingleton<CaseStandIn.Directory>();
        builder.Services.AddSingleton<CaseStandIn.Consent>();
        var app = builder.Build();
        app.MapGrpcService<CaseStandIn>();
        app.MapGrpcService<CaseStandIn.Directory>();
        app.MapGrpcService<CaseStandIn.Consent>();
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
        if (_standIn is not null)
        {
            await _standIn.DisposeAsync();
        }
        File.Delete(_keyFile);
        await _postgres.DisposeAsync();
        await _rabbit.DisposeAsync();
    }
}

/// <summary>A case as the stand-in case service describes it.</summary>
public sealed record TestCase(Guid CaseId, string Reference, IReadOnlyList<(Guid Unit, string Name, string Principal)> Units, bool Discharge = false,
    DateTimeOffset? FirstInitiativeAt = null)
{
    public string Status { get; set; } = "Open";
    public Guid IndividualId { get; } = Guid.NewGuid();

    /// <summary>What case holds for statistics (0 and empty: unknown, as for a case opened before case asked consent).</summary>
    public int BirthYear { get; set; }
    public int BirthMonth { get; set; }
    public string Sex { get; set; } = "";
    public string TargetGroup { get; set; } = "";
}

public sealed class CaseStandIn : CaseAccess.CaseAccessBase
{
    private readonly ConcurrentDictionary<Guid, TestCase> _cases = new();

    /// <summary>The letter disclosure consent gives, per recipient kind (default: nothing about the home).</summary>
    public ConcurrentDictionary<string, LetterDisclosureReply> Disclosures { get; } = new();

    public TestCase Add(TestCase c) => _cases[c.CaseId] = c;

    public override Task<CaseForUnitReply> GetCaseForUnit(GetCaseForUnitRequest request, ServerCallContext context)
    {
        if (!_cases.TryGetValue(Guid.Parse(request.CaseId), out var c) || c.Units.All(u => u.Unit.ToString() != request.UnitId)
            || !TokenUnits(context).Contains(request.UnitId))
        {
            throw new RpcException(new Status(StatusCode.NotFound, "not found"));
        }
        var reply = new CaseForUnitReply
        {
            CaseId = c.CaseId.ToString(), Reference = c.Reference, MunicipalityCode = "1481", Status = c.Status,
            OpenedByUnitId = c.Units[0].Unit.ToString(), CoordinatorUnitId = c.Units[0].Unit.ToString(), IndividualId = c.IndividualId.ToString(),
            Discharge = c.Discharge,
            BirthYear = c.BirthYear, BirthMonth = c.BirthMonth, Sex = c.Sex, TargetGroup = c.TargetGroup,
        };
        if (c.FirstInitiativeAt is { } first)
        {
            reply.FirstInitiativeAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(first);
        }
        reply.Participants.AddRange(c.Units.Select(u => new CaseUnit { UnitId = u.Unit.ToString(), Name = u.Name, Principal = u.Principal, FunctionalMailbox = "sip@enhet.example.se" }));
        return Task.FromResult(reply);
    }

    internal static HashSet<string> TokenUnits(ServerCallContext context)
    {
        var header = context.RequestHeaders.GetValue("authorization") ?? "";
        var token = new JsonWebTokenHandler().ReadJsonWebToken(header["Bearer ".Length..]);
        return token.Claims.Where(c => c.Type == SipClaims.Units).Select(c => c.Value).ToHashSet();
    }

    /// <summary>The staff directory lists the caller in every unit the token names; unit administrators administer them.</summary>
    public sealed class Directory : StaffDirectory.StaffDirectoryBase
    {
        public override Task<GetMyMembershipsReply> GetMyMemberships(GetMyMembershipsRequest request, ServerCallContext context)
        {
            var header = context.RequestHeaders.GetValue("authorization") ?? "";
            var token = new JsonWebTokenHandler().ReadJsonWebToken(header["Bearer ".Length..]);
            var roles = token.Claims.Where(c => c.Type == SipClaims.Roles).Select(c => c.Value).ToList();
            var reply = new GetMyMembershipsReply();
            reply.Memberships.AddRange(TokenUnits(context).Select(u => new Sip.Contracts.Grpc.Case.V1.UnitMembership { UnitId = u, Roles = { roles } }));
            return Task.FromResult(reply);
        }
    }

    public sealed class Consent(CaseStandIn cases) : ConsentChecks.ConsentChecksBase
    {
        public override Task<LetterDisclosureReply> GetLetterDisclosure(LetterDisclosureRequest request, ServerCallContext context) =>
            Task.FromResult(cases.Disclosures.TryGetValue(request.RecipientKind, out var reply) ? reply : new LetterDisclosureReply());
    }
}

internal sealed class BeforeSaveHook(MeetingServiceHost host) : Microsoft.EntityFrameworkCore.Diagnostics.SaveChangesInterceptor
{
    public override async ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int>> SavingChangesAsync(
        Microsoft.EntityFrameworkCore.Diagnostics.DbContextEventData eventData, Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        if (host.BeforeSave is { } hook && eventData.Context is { } context)
        {
            await hook(context);
        }
        return result;
    }
}
