using System.Buffers.Text;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Grpc.Net.ClientFactory;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sip.Consent.Domain;
using Sip.Documents;
using Sip.Consent.Infrastructure;
using Sip.Contracts.Grpc.Audit.V1;
using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Auth;
using Sip.ServiceDefaults.Data;
using Sip.ServiceDefaults.Time;

namespace Sip.Consent.Apis;

/// <summary>
/// The auditor's review of the access log (patientdatalagen 4 kap. 3 §, HSLF-FS 2016:40): who accessed an individual's
/// data, or what a user accessed, over a period, across every service's log; and the extract an individual may be given
/// (registerutdrag). Hosted here because consent alone maps identity numbers to individuals. Identity numbers travel in
/// bodies only. Every review is itself audited.
/// </summary>
public static class AuditApi
{
    public const string Purpose = "Granskning av åtkomst till personuppgifter";
    public static readonly TimeSpan MaxSearchPeriod = TimeSpan.FromDays(366);
    public static readonly TimeSpan MaxExtractPeriod = TimeSpan.FromDays(5 * 366);
    public const int DefaultLimit = 50;

    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/audit").WithTags("Granskning av åtkomst").RequireAuthorization(SipPolicies.Auditor);
        api.MapPost("/accesses/search", Search).WithSummary("Åtkomster till en person eller av en användare under en period, nyast först, från alla tjänsters loggar");
        api.MapPost("/extract", Extract).WithSummary("Registerutdrag: vilka enheter som tagit del av en persons uppgifter, när och varför")
            .WithDescription("Med Accept: application/pdf kommer utdraget som ett utskrivbart dokument att lämna till personen.")
            .Produces<AuditExtractResponse>(StatusCodes.Status200OK, "application/json")
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf");
        return api;
    }

    public static async Task<Ok<AuditSearchResponse>> Search(AuditSearchRequest request, ClaimsPrincipal principal, ConsentDbContext db, IdentifierParser parser,
        AuditLogs logs, TimeProvider clock, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        var (from, to) = Period(request.From, request.To, MaxSearchPeriod);
        var limit = request.Limit ?? DefaultLimit;
        if (limit is < 1 or > AuditReviewQuery.MaxLimit)
        {
            throw Invalid("limit", $"Ange limit mellan 1 och {AuditReviewQuery.MaxLimit}.");
        }
        if ((request.Individual is null) == string.IsNullOrWhiteSpace(request.Actor))
        {
            throw Invalid("selector", "Ange antingen en person (individual) eller en användare (actor), inte båda.");
        }
        var cursor = AuditCursor.Parse(request.Cursor);
        var individuals = request.Individual is null ? [] : await ResolveAsync(request.Individual, user, db, parser, clock, ct);
        var now = clock.GetUtcNow();
        List<AuditAccess> rows = [];
        string? next = null;
        if (request.Individual is null || individuals.Count > 0)
        {
            var page = await new AuditSources(db, logs).PageAsync(user.TenantId, individuals, request.Actor?.Trim(), from, to, cursor, limit, ct);
            rows = await DescribeAsync(page.Rows, user.TenantId, logs, ct);
            next = page.Next?.ToString();
        }
        db.Audit(user, null, request.Individual is null ? "audit.reviewed-user" : "audit.reviewed-individual", individuals.FirstOrDefault() is var i && i != Guid.Empty ? i : null,
            null, Truncate(request.Individual is null ? $"{Purpose}: {request.Actor!.Trim()}" : Purpose), now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new AuditSearchResponse(rows, next));
    }

    public static async Task<Results<Ok<AuditExtractResponse>, FileContentHttpResult>> Extract(AuditExtractRequest request, ClaimsPrincipal principal, ConsentDbContext db,
        IdentifierParser parser, AuditLogs logs, HttpRequest http, PdfPrinter printer, TimeProvider clock, ILogger<PdfPrinter> logger, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        var (from, to) = Period(request.From, request.To, MaxExtractPeriod);
        if (request.Individual is null)
        {
            throw Invalid("selector", "Ange personen (individual) som utdraget gäller.");
        }
        var individuals = await ResolveAsync(request.Individual, user, db, parser, clock, ct);
        var now = clock.GetUtcNow();
        List<AuditExtractEntry> entries = [];
        if (individuals.Count > 0)
        {
            var sources = new AuditSources(db, logs);
            AuditCursor? cursor = null;
            List<AuditEntryFrom> all = [];
            do
            {
                var page = await sources.PageAsync(user.TenantId, individuals, null, from, to, cursor, AuditReviewQuery.MaxLimit, ct);
                all.AddRange(page.Rows);
                cursor = page.Next;
            }
            while (cursor is not null && all.Count < 20_000);
            var described = await DescribeAsync(all, user.TenantId, logs, ct);
            entries = described.Select(a => new AuditExtractEntry(
                SwedishCalendar.Today(a.At).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                a.ActorUnit?.Name ?? "Okänd enhet",
                AuditTexts.Activity(a.ActorUnit?.Principal),
                a.Purpose,
                AuditTexts.Action(a.Action))).ToList();
        }
        var extract = new AuditExtractResponse(
            "Utdrag ur loggar över åtkomst till personuppgifter (registerutdrag)",
            SwedishCalendar.Today(from).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            SwedishCalendar.Today(to.AddTicks(-1)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            now, entries);
        var asPdf = http.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("application/pdf", StringComparison.OrdinalIgnoreCase));
        db.Audit(user, null, asPdf ? "audit.extracted-pdf" : "audit.extracted", individuals.Count > 0 ? individuals[0] : null, null, Purpose, now);
        await db.SaveChangesAsync(ct);
        if (!asPdf)
        {
            return TypedResults.Ok(extract);
        }
        try
        {
            return TypedResults.File(await printer.PrintAsync(AuditExtractDocument.Html(extract), ct), "application/pdf",
                $"registerutdrag-{SwedishCalendar.Today(now):yyyy-MM-dd}.pdf");
        }
        catch (PdfPrintException e)
        {
            // The message names the browser's path or exit code, never the extract.
            logger.LogWarning("Printing an audit extract to PDF failed: {Reason}", e.Message);
            throw new DomainException("pdf-unavailable", "PDF kan inte skapas just nu",
                "Utdraget kan hämtas som JSON (Accept: application/json) medan PDF-utskriften inte fungerar.", StatusCodes.Status503ServiceUnavailable, e);
        }
    }

    /// <summary>The individual and every record merged into it; none when the number is unknown (an empty answer, not 404: nothing leaks).</summary>
    private static async Task<List<Guid>> ResolveAsync(AuditIndividualSelector selector, SipUser user, ConsentDbContext db, IdentifierParser parser, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(selector.PersonalIdentityNumber) == (selector.IndividualId is null))
        {
            throw Invalid("individual", "Ange antingen personalIdentityNumber eller individualId för personen, inte båda.");
        }
        Guid? id = selector.IndividualId;
        if (id is null)
        {
            var identifier = parser.Parse(user.TenantId, selector.PersonalIdentityNumber, null, SwedishCalendar.Today(clock.GetUtcNow()));
            var history = JsonSerializer.Serialize(new[] { new { kind = identifier.Kind.ToString(), value = identifier.Value } });
            var found = await db.Individuals.AsNoTracking().Where(i => i.TenantId == user.TenantId && i.IdentityKind == identifier.Kind && i.IdentityValue == identifier.Value)
                    .Select(i => new { i.Id, i.MergedIntoId }).FirstOrDefaultAsync(ct)
                ?? await db.Individuals.FromSql($"SELECT *, xmin FROM consent.individuals WHERE tenant_id = {user.TenantId} AND identifiers @> {history}::jsonb")
                    .AsNoTracking().Select(i => new { i.Id, i.MergedIntoId }).FirstOrDefaultAsync(ct);
            if (found is null)
            {
                return [];
            }
            id = found.MergedIntoId ?? found.Id;
        }
        var survivor = id.Value;
        var merged = await db.Individuals.AsNoTracking().Where(i => i.TenantId == user.TenantId && i.MergedIntoId == survivor).Select(i => i.Id).ToListAsync(ct);
        return [survivor, .. merged];
    }

    private static async Task<List<AuditAccess>> DescribeAsync(IReadOnlyList<AuditEntryFrom> rows, string tenantId, AuditLogs logs, CancellationToken ct)
    {
        var unitIds = rows.Where(r => r.Entry.ActorUnitId is not null).Select(r => r.Entry.ActorUnitId!.Value).Distinct().ToList();
        var units = new Dictionary<Guid, DescribedUnit>();
        if (unitIds.Count > 0)
        {
            var request = new DescribeUnitsRequest { TenantId = tenantId };
            request.UnitIds.AddRange(unitIds.Select(u => u.ToString()));
            var reply = await AuditSources.CallAsync(() => logs.UnitDirectory.DescribeUnitsAsync(request, cancellationToken: ct).ResponseAsync);
            units = reply.Units.ToDictionary(u => Guid.Parse(u.UnitId));
        }
        return rows.Select(r => new AuditAccess(
            r.Service,
            r.Entry.At,
            r.Entry.Actor,
            r.Entry.ActorUnitId is { } u ? new AuditUnit(u, units.TryGetValue(u, out var d) ? d.Name : null, units.TryGetValue(u, out var p) ? p.Principal : null) : null,
            r.Entry.ActorRoles.Split(',', StringSplitOptions.RemoveEmptyEntries),
            r.Entry.Action,
            r.Entry.Purpose,
            r.Entry.CaseId,
            r.Entry.IndividualId)).ToList();
    }

    private static (DateTimeOffset From, DateTimeOffset To) Period(DateTimeOffset? from, DateTimeOffset? to, TimeSpan max)
    {
        if (from is null || to is null || to <= from)
        {
            throw Invalid("period", "Ange from och to (from före to).");
        }
        if (to - from > max)
        {
            throw Invalid("period-too-long", $"Perioden får vara högst {(int)max.TotalDays} dagar.");
        }
        return (from.Value, to.Value);
    }

    internal static DomainException Invalid(string what, string detail) =>
        new($"invalid-audit-{what}", "Granskningen kan inte göras med de angivna uppgifterna", detail, StatusCodes.Status400BadRequest);

    private static string Truncate(string s) => s.Length <= 128 ? s : s[..128];
}

/// <summary>A row of one service's log.</summary>
public sealed record AuditEntryFrom(string Service, AuditEntry Entry);

/// <summary>
/// Position after the last row of a page in the merged order (at desc, service desc, id desc). Opaque to callers:
/// base64url of "ticks|service|id". Each service is asked for rows strictly after it in that order.
/// </summary>
public sealed record AuditCursor(DateTimeOffset At, string Service, long Id)
{
    public override string ToString() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{At.UtcTicks}|{Service}|{Id}"));

    public static AuditCursor? Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(value)).Split('|');
            if (parts.Length == 3 && long.TryParse(parts[0], out var ticks) && long.TryParse(parts[2], out var id) && parts[1].Length is > 0 and < 64)
            {
                return new AuditCursor(new DateTimeOffset(ticks, TimeSpan.Zero), parts[1], id);
            }
        }
        catch (FormatException)
        {
        }
        throw AuditApi.Invalid("cursor", "Markören (cursor) är ogiltig. Använd nextCursor från föregående svar.");
    }

    /// <summary>The (before_at, before_id) that asks <paramref name="service"/> for rows after this cursor.</summary>
    public (DateTimeOffset At, long Id) For(string service) => string.CompareOrdinal(service, Service) switch
    {
        < 0 => (At, long.MaxValue),   // sorts after the cursor's service: rows at the same instant still follow
        0 => (At, Id),
        > 0 => (At, long.MinValue),   // sorts before it: only strictly older rows follow
    };
}

/// <summary>The other auditing services' logs (AuditReview over gRPC, each called with the auditor's own token).</summary>
public sealed class AuditLogs(GrpcClientFactory factory)
{
    /// <summary>Each service with an audit log of its own, and the setting naming its gRPC endpoint.</summary>
    public static readonly IReadOnlyList<(string Service, string AddressKey)> Services =
    [
        ("case", "Services:CaseGrpc"),
        ("meeting-scheduling", "Services:MeetingSchedulingGrpc"),
    ];

    public static string ClientName(string service) => "audit-" + service;

    public AuditReview.AuditReviewClient For(string service) => factory.CreateClient<AuditReview.AuditReviewClient>(ClientName(service));

    /// <summary>The case service keeps the unit directory, so it names the acting units.</summary>
    public AuditReview.AuditReviewClient UnitDirectory => For("case");
}

/// <summary>Every auditing service's log: consent's own table, and the others' over gRPC, merged in one order.</summary>
public sealed class AuditSources(ConsentDbContext db, AuditLogs logs)
{
    public async Task<(List<AuditEntryFrom> Rows, AuditCursor? Next)> PageAsync(string tenantId, IReadOnlyCollection<Guid> individuals, string? actor,
        DateTimeOffset from, DateTimeOffset to, AuditCursor? cursor, int limit, CancellationToken ct)
    {
        AuditReviewQuery For(string service)
        {
            var (at, id) = cursor?.For(service) ?? (default, 0);
            return new AuditReviewQuery(tenantId, individuals, actor, from, to, cursor is null ? null : at, id, limit + 1);
        }
        // The remote calls run meanwhile; the consent side one query at a time (a DbContext is not thread-safe).
        var remote = AuditLogs.Services.Select(async s =>
        {
            var reply = await CallAsync(() => logs.For(s.Service).QueryAsync(AuditReviewGrpc.ToRequest(For(s.Service)), cancellationToken: ct).ResponseAsync);
            return reply.Rows.Select(r => new AuditEntryFrom(s.Service, AuditReviewGrpc.FromRow(r, tenantId)));
        }).ToList();
        var own = (await For("consent").RunAsync(db, ct)).Select(e => new AuditEntryFrom("consent", e));
        var merged = own.Concat((await Task.WhenAll(remote)).SelectMany(rows => rows))
            .OrderByDescending(r => r.Entry.At).ThenByDescending(r => r.Service, StringComparer.Ordinal).ThenByDescending(r => r.Entry.Id)
            .ToList();
        var page = merged.Take(limit).ToList();
        return (page, merged.Count > limit ? new AuditCursor(page[^1].Entry.At, page[^1].Service, page[^1].Entry.Id) : null);
    }

    internal static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException e) when (e.StatusCode is not StatusCode.Cancelled)
        {
            throw new DomainException("audit-source-unavailable", "Granskningen kan inte göras just nu",
                "En tjänsts logg kunde inte läsas. Försök igen om en stund; ett ofullständigt svar ges aldrig.", StatusCodes.Status503ServiceUnavailable, e);
        }
    }
}

public sealed record AuditIndividualSelector(string? PersonalIdentityNumber = null, Guid? IndividualId = null);

public sealed record AuditSearchRequest(AuditIndividualSelector? Individual = null, string? Actor = null, DateTimeOffset? From = null, DateTimeOffset? To = null, string? Cursor = null, int? Limit = null);

public sealed record AuditUnit(Guid Id, string? Name, string? Principal);

public sealed record AuditAccess(string Service, DateTimeOffset At, string Actor, AuditUnit? ActorUnit, string[] Roles, string Action, string Purpose, Guid? CaseId, Guid? IndividualId);

public sealed record AuditSearchResponse(IReadOnlyList<AuditAccess> Rows, string? NextCursor);

public sealed record AuditExtractRequest(AuditIndividualSelector? Individual = null, DateTimeOffset? From = null, DateTimeOffset? To = null);

public sealed record AuditExtractEntry(string Datum, string Enhet, string Verksamhet, string Andamal, string Atgard);

public sealed record AuditExtractResponse(string Rubrik, string FranOchMed, string TillOchMed, DateTimeOffset Upprattat, IReadOnlyList<AuditExtractEntry> Atkomster);
