using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
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
using Sip.Consent.Infrastructure;
using Sip.Contracts.Grpc.Case.V1;
using Sip.Contracts.Grpc.Consent.V1;
using Sip.ServiceDefaults.Auth;
using Sip.Testing;


namespace Sip.Consent.Tests.Service;

/// <summary>A clock the tests move forward (a week later; past midnight after an end date).</summary>
public sealed class TestClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}

/// <summary>
/// The real consent service (its own Program) in memory, on a real PostgreSQL and RabbitMQ in containers,
/// migrated as the migrate step does it; the test tenant configured with Västra Götaland's local reserve numbers.
/// The case service's staff directory is a stand-in gRPC server on 127.0.0.1 (<see cref="Directory"/>).
/// </summary>
public sealed class ConsentServiceHost : IAsyncLifetime
{
    private readonly PostgresFixture postgres = new();
    private readonly RabbitMqFixture rabbit = new();
    public const string Tenant = "vgr-test";
    public static readonly Guid Vardcentral = Guid.NewGuid();
    public static readonly Guid Socialtjanst = Guid.NewGuid();
    public static readonly Guid Bup = Guid.NewGuid();
    public static readonly Guid Skola = Guid.NewGuid();
    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), $"sip-consent-tests-{Guid.NewGuid():N}.pem");
    private WebApplicationFactory<Program>? _factory;
    private WebApplication? _case;
    private WebApplication? _meetingScheduling;
    private IConnection? _broker;

    public TestClock Clock { get; } = new();
    public DirectoryStandIn Directory { get; } = new();
    public AuditLogStandIn CaseAuditLog { get; } = new();

    /// <summary>Meeting scheduling's audit log (a stand-in of its own, at its own address).</summary>
    public AuditLogStandIn MeetingAuditLog { get; } = new();
    public string ConnectionString { get; private set; } = "";
    public PostgresFixture Postgres => postgres;

    public async ValueTask InitializeAsync()
    {
        await Task.WhenAll(postgres.InitializeAsync().AsTask(), rabbit.InitializeAsync().AsTask());
        DevelopmentTokens.CreateKeyFileIfMissing(_keyFile);
        ConnectionString = await postgres.CreateServiceSchemaAsync(ConsentDbContext.Schema);
        _case = await StartDirectoryStandInAsync();
        _meetingScheduling = await StartAuditLogStandInAsync(MeetingAuditLog);
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("ConnectionStrings:Database", ConnectionString);
            // Traces recorded as in production (SpanScanTests reads every span); the exporter's target accepts nothing.
            builder.UseSetting("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9");
            builder.UseSetting("Auth:DevSigningKeyFile", _keyFile);
            builder.UseSetting("Auth:Issuer", "sip-dev");
            builder.UseSetting("Auth:Audience", "sip-platform");
            builder.UseSetting("Services:CaseGrpc", _case.Urls.Single());
            builder.UseSetting("Services:MeetingSchedulingGrpc", _meetingScheduling.Urls.Single());
            foreach (var (key, value) in rabbit.Configuration())
            {
                builder.UseSetting(key, value);
            }
            builder.UseSetting("ConsentExpiry:CheckInterval", "00:00:00.200");
            builder.UseSetting($"Identifiers:Tenants:{Tenant}:LocalReserveNumbers:0:Name", "vgr-lrid");
            builder.UseSetting($"Identifiers:Tenants:{Tenant}:LocalReserveNumbers:0:Pattern", @"^\d{8}[KMX](0[6-9]|[1-8]\d)\d$");
            builder.UseSetting($"Identifiers:Tenants:{Tenant}:LocalReserveNumbers:1:Name", "vgr-grid");
            builder.UseSetting($"Identifiers:Tenants:{Tenant}:LocalReserveNumbers:1:Pattern", @"^\d{8}[ABCDEFHJKkLMmNPRSTUVWXxY]\d{3}$");
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
            builder.ConfigureLogging(l => l.ClearProviders());
        });
        await using (var scope = _factory!.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ConsentDbContext>().Database.MigrateAsync();
        }
        _factory!.CreateClient().Dispose();
        _broker = await new ConnectionFactory { HostName = rabbit.Host, Port = rabbit.Port, UserName = rabbit.Username, Password = rabbit.Password }.CreateConnectionAsync();
    }

    public HttpClient Staff(params Guid[] units) => Staff("staff-" + string.Join("-", units.Select(u => u.ToString()[..4])), Tenant, units);

    public HttpClient Staff(string subject, string tenant, params Guid[] units)
    {
        var client = _factory!.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(subject, tenant, units));
        return client;
    }

    /// <summary>A client whose token has exactly <paramref name="role"/> and no units.</summary>
    public HttpClient WithRole(string subject, string tenant, string role)
    {
        var client = _factory!.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            DevelopmentTokens.Mint(_keyFile, new TokenRequest(subject, "Granskare Test", tenant, [], [role])));
        return client;
    }

    public string Token(string subject, string tenant, params Guid[] units) =>
        DevelopmentTokens.Mint(_keyFile, new TokenRequest(subject, "Test Testsson", tenant, units, [SipRoles.Staff]));

    /// <summary>The consent check as another service calls it: gRPC with the caller's token.</summary>
    public async Task<CheckConsentReply> CheckAsync(Guid individualId, Guid unitId, string category = "", DateTimeOffset? at = null)
    {
        using var channel = GrpcChannel.ForAddress(_factory!.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _factory!.Server.CreateHandler() });
        var client = new ConsentChecks.ConsentChecksClient(channel);
        var request = new CheckConsentRequest { TenantId = Tenant, IndividualId = individualId.ToString(), UnitId = unitId.ToString(), InformationCategory = category };
        if (at is { } t)
        {
            request.At = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(t);
        }
        return await client.CheckConsentAsync(request, new Metadata { { "Authorization", "Bearer " + Token($"checker-{unitId}", Tenant, unitId) } });
    }

    /// <param name="callerUnit">The unit in the caller's token; by default the unit asked for.</param>
    public async Task<PlanParticularsReply> PlanParticularsAsync(Guid individualId, Guid unitId, Guid? callerUnit = null, Guid? caseId = null)
    {
        using var channel = GrpcChannel.ForAddress(_factory!.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _factory.Server.CreateHandler() });
        return await new ConsentChecks.ConsentChecksClient(channel).GetPlanParticularsAsync(
            new PlanParticularsRequest { TenantId = Tenant, IndividualId = individualId.ToString(), UnitId = unitId.ToString(), CaseId = caseId?.ToString() ?? "" },
            new Metadata { { "Authorization", "Bearer " + Token($"checker-{callerUnit ?? unitId}", Tenant, callerUnit ?? unitId) } });
    }

    /// <summary>What an invitation letter may say, as meeting-scheduling asks it with its caller's token.</summary>
    /// <param name="callerUnit">The unit in the caller's token; by default the unit asked for.</param>
    public async Task<LetterDisclosureReply> LetterDisclosureAsync(Guid individualId, Guid unitId, string recipientKind, Guid? representativeId = null,
        Guid? caseId = null, Guid? callerUnit = null)
    {
        using var channel = GrpcChannel.ForAddress(_factory!.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _factory.Server.CreateHandler() });
        return await new ConsentChecks.ConsentChecksClient(channel).GetLetterDisclosureAsync(
            new LetterDisclosureRequest
            {
                TenantId = Tenant, IndividualId = individualId.ToString(), UnitId = unitId.ToString(), RecipientKind = recipientKind,
                RepresentativeId = representativeId?.ToString() ?? "", CaseId = caseId?.ToString() ?? "",
            },
            new Metadata { { "Authorization", "Bearer " + Token($"letters-{callerUnit ?? unitId}", Tenant, callerUnit ?? unitId) } });
    }

    public async Task<StatisticsProfileReply> StatisticsProfileAsync(Guid individualId, Guid unitId, Guid? caseId = null)
    {
        using var channel = GrpcChannel.ForAddress(_factory!.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = _factory.Server.CreateHandler() });
        return await new ConsentChecks.ConsentChecksClient(channel).GetStatisticsProfileAsync(
            new StatisticsProfileRequest { TenantId = Tenant, IndividualId = individualId.ToString(), UnitId = unitId.ToString(), CaseId = caseId?.ToString() ?? "" },
            new Metadata { { "Authorization", "Bearer " + Token($"statistics-{unitId}", Tenant, unitId) } });
    }

    public async Task<T> QueryAsync<T>(Func<ConsentDbContext, Task<T>> query)
    {
        await using var scope = _factory!.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ConsentDbContext>());
    }

    public Task<EventProbe> ListenAsync<T>() => EventProbe.ListenAsync<T>(_broker!);

    private async Task<WebApplication> StartDirectoryStandInAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(Directory);
        builder.Services.AddSingleton(CaseAuditLog);
        var app = builder.Build();
        app.MapGrpcService<DirectoryStandIn>();
        app.MapGrpcService<AuditLogStandIn>();
        await app.StartAsync();
        return app;
    }

    private static async Task<WebApplication> StartAuditLogStandInAsync(AuditLogStandIn log)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(log);
        var app = builder.Build();
        app.MapGrpcService<AuditLogStandIn>();
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
        foreach (var standIn in new[] { _case, _meetingScheduling })
        {
            if (standIn is not null)
            {
                await standIn.DisposeAsync();
            }
        }
        File.Delete(_keyFile);
        await postgres.DisposeAsync();
        await rabbit.DisposeAsync();
    }
}

/// <summary>
/// The case service's staff directory as consent asks it (with the caller's token): it lists the caller as staff in every
/// unit the token names, except units a test took them out of, and it can be made to fail. The service keeps an answer
/// for 10 s, so a subject stands for one person with one set of units throughout the tests.
/// </summary>
public sealed class DirectoryStandIn : StaffDirectory.StaffDirectoryBase
{
    private readonly ConcurrentDictionary<string, Guid[]> _removed = new();

    public bool Failing { get; set; }

    public void Remove(string subject, params Guid[] units) => _removed[subject] = units;

    public override Task<GetMyMembershipsReply> GetMyMemberships(GetMyMembershipsRequest request, ServerCallContext context)
    {
        if (Failing)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "the directory stand-in is failing"));
        }
        var token = new JsonWebToken(context.RequestHeaders.GetValue("authorization")!["Bearer ".Length..]);
        var removed = _removed.GetValueOrDefault(token.Subject, []);
        var reply = new GetMyMembershipsReply();
        reply.Memberships.AddRange(token.Claims.Where(c => c.Type == SipClaims.Units).Select(c => Guid.Parse(c.Value)).Except(removed)
            .Select(u => new Contracts.Grpc.Case.V1.UnitMembership { UnitId = u.ToString(), Roles = { SipRoles.Staff } }));
        return Task.FromResult(reply);
    }
}

/// <summary>
/// Another service's audit log as consent's audit review asks it (AuditReview, with the auditor's token): rows a test
/// adds, answered with the same rules as the real server (auditor of the tenant only, newest first by (at, id), strictly
/// before the cursor), and the names of the units it knows.
/// </summary>
public sealed class AuditLogStandIn : Sip.Contracts.Grpc.Audit.V1.AuditReview.AuditReviewBase
{
    private readonly ConcurrentBag<(string Tenant, Sip.Contracts.Grpc.Audit.V1.AuditRow Row)> _rows = [];
    private readonly ConcurrentDictionary<Guid, (string Name, string Principal)> _units = new();
    private long _nextId;

    /// <summary>The forwarded token's claims, unverified (the stand-in has no authentication of its own).</summary>
    private static System.Security.Claims.ClaimsPrincipal Caller(ServerCallContext context)
    {
        var header = context.RequestHeaders.GetValue("authorization");
        return header is null ? new() : new(new System.Security.Claims.ClaimsIdentity(new JsonWebToken(header["Bearer ".Length..]).Claims, "stand-in"));
    }

    /// <summary>When set, every call fails as an unreachable service does.</summary>
    public bool Failing { get; set; }

    public void Unit(Guid id, string name, string principal) => _units[id] = (name, principal);

    public void Add(string tenant, DateTimeOffset at, string actor, Guid? unit, string action, Guid? individual, Guid? caseId, string purpose = "Samordnad individuell plan") =>
        _rows.Add((tenant, new Sip.Contracts.Grpc.Audit.V1.AuditRow
        {
            Id = Interlocked.Increment(ref _nextId), At = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(at), Actor = actor,
            ActorUnitId = unit?.ToString() ?? "", ActorRoles = "staff", Action = action, IndividualId = individual?.ToString() ?? "",
            CaseId = caseId?.ToString() ?? "", Purpose = purpose,
        }));

    public override Task<Sip.Contracts.Grpc.Audit.V1.AuditQueryReply> Query(Sip.Contracts.Grpc.Audit.V1.AuditQueryRequest request, ServerCallContext context)
    {
        if (Failing)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "the audit log stand-in is failing"));
        }
        Sip.ServiceDefaults.Data.AuditReviewGrpc.Authorize(Caller(context), request.TenantId);
        var from = request.From.ToDateTimeOffset();
        var to = request.To.ToDateTimeOffset();
        var rows = _rows.Where(r => r.Tenant == request.TenantId)
            .Select(r => r.Row)
            .Where(r => r.At.ToDateTimeOffset() >= from && r.At.ToDateTimeOffset() < to)
            .Where(r => request.Actor.Length > 0 ? r.Actor == request.Actor : request.IndividualIds.Contains(r.IndividualId))
            .Where(r => request.BeforeAt is null || r.At.ToDateTimeOffset() < request.BeforeAt.ToDateTimeOffset()
                || (r.At.ToDateTimeOffset() == request.BeforeAt.ToDateTimeOffset() && r.Id < request.BeforeId))
            .OrderByDescending(r => r.At.ToDateTimeOffset()).ThenByDescending(r => r.Id).Take(request.Limit);
        var reply = new Sip.Contracts.Grpc.Audit.V1.AuditQueryReply();
        reply.Rows.AddRange(rows);
        return Task.FromResult(reply);
    }

    public override Task<Sip.Contracts.Grpc.Audit.V1.DescribeUnitsReply> DescribeUnits(Sip.Contracts.Grpc.Audit.V1.DescribeUnitsRequest request, ServerCallContext context)
    {
        Sip.ServiceDefaults.Data.AuditReviewGrpc.Authorize(Caller(context), request.TenantId);
        var reply = new Sip.Contracts.Grpc.Audit.V1.DescribeUnitsReply();
        reply.Units.AddRange(request.UnitIds.Select(Guid.Parse).Where(_units.ContainsKey)
            .Select(u => new Sip.Contracts.Grpc.Audit.V1.DescribedUnit { UnitId = u.ToString(), Name = _units[u].Name, Principal = _units[u].Principal }));
        return Task.FromResult(reply);
    }
}

internal static class Http
{
    public static Guid Id(this JsonElement e, string name) => e.GetProperty(name).GetGuid();
}
