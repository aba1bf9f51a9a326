using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sip.Case.Domain;
using Sip.Case.Infrastructure;
using Sip.Contracts.Directory;
using Sip.Messaging;
using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Auth;
using Sip.ServiceDefaults.Data;

namespace Sip.Case.Apis;

public static class UnitsApi
{
    public static RouteGroupBuilder MapUnitsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/cases/units").WithTags("Enhetskatalog");
        api.MapGet("/", ListUnits).WithSummary("Lista enheterna i katalogen");
        api.MapPut("/{unitId:guid}", PutUnit).RequireAuthorization(SipPolicies.UnitAdministrator)
            .WithSummary("Ändra den egna enheten (enhetsadministratör) eller skapa en enhet (katalogadministratör)");
        api.MapPost("/import", Import).RequireAuthorization(SipPolicies.UnitAdministrator)
            .WithSummary("Läs in en katalog (t.ex. regionens HSA-katalog): enheter matchas på externt id (katalogadministratör)");
        api.MapGet("/{unitId:guid}/staff", ListStaff).WithSummary("Enhetens personal");
        app.MapPut("/api/v1/cases/staff", PutStaff).RequireAuthorization(SipPolicies.UnitAdministrator).WithTags("Enhetskatalog")
            .WithSummary("Registrera eller ändra en person i personalkatalogen och dennes enheter och roller (enhetsadministratör)");
        return api;
    }

    public static async Task<Ok<UnitResponse[]>> ListUnits(ClaimsPrincipal principal, CaseDbContext db, CancellationToken ct)
    {
        var tenant = SipUser.From(principal).TenantId;
        var units = await db.Units.AsNoTracking().Where(u => u.TenantId == tenant).OrderBy(u => u.Name).ToListAsync(ct);
        return TypedResults.Ok(units.Select(UnitResponse.From).ToArray());
    }

    public static async Task<Results<Ok<UnitResponse>, ProblemHttpResult>> PutUnit(
        Guid unitId, UnitRequest request, ClaimsPrincipal principal, CaseDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (Invalid(request) is { } problem)
        {
            return Problems.Validation(problem);
        }
        var user = SipUser.From(principal);
        var unit = await db.Units.SingleOrDefaultAsync(u => u.Id == unitId, ct);
        if (unit is not null && unit.TenantId != user.TenantId)
        {
            return Problems.NotFound();
        }
        if (unit is null)
        {
            RequireDirectoryAdministrator(user, "Bara en katalogadministratör lägger till enheter.");
            unit = Unit.Create(unitId, user.TenantId);
            db.Units.Add(unit);
        }
        else if (!user.HasRole(SipRoles.DirectoryAdministrator))
        {
            if (!DirectoryMembership.AdministeredUnits(principal).Contains(unitId))
            {
                return Problems.Forbidden("Du är inte enhetsadministratör för enheten.");
            }
            // What the region's import matches on and statistics count by is the directory administrator's.
            if (request.Principal != unit.Principal || request.MunicipalityCode != unit.MunicipalityCode || (request.ExternalId ?? unit.ExternalId) != unit.ExternalId)
            {
                return Problems.Forbidden("Huvudman, kommunkod och externt id ändras av katalogadministratören. Du kan ändra enhetens namn, typ och funktionsbrevlåda.");
            }
        }
        Apply(db, unit, request, clock.GetUtcNow());
        db.Audit(user, null, "directory.unit-changed", null, null, $"Enhetskatalog: {unit.Id}", clock.GetUtcNow());
        await db.SaveOrConflictAsync("Enheten ändrades samtidigt", "Någon annan ändrade enheten samtidigt. Läs den igen och försök på nytt.", ct);
        return TypedResults.Ok(UnitResponse.From(unit));
    }

    /// <summary>
    /// A whole directory at once, matched on the external id (the HSA-id for region units): new units are
    /// created, changed ones updated. One invalid row and nothing is saved; the problem names every bad row.
    /// </summary>
    public static async Task<Results<Ok<ImportResult>, ProblemHttpResult>> Import(IReadOnlyList<UnitRequest> rows, ClaimsPrincipal principal, CaseDbContext db,
        TimeProvider clock, CancellationToken ct)
    {
        RequireDirectoryAdministrator(SipUser.From(principal), "Bara en katalogadministratör läser in en katalog.");
        var errors = rows.Select((row, i) => (Row: i + 1, Error: row.ExternalId is null or "" ? "externt id saknas" : Invalid(row)))
            .Where(x => x.Error is not null).Select(x => $"rad {x.Row}: {x.Error}").ToList();
        var duplicates = rows.GroupBy(r => r.ExternalId).Where(g => g.Key is not null && g.Count() > 1).Select(g => $"externt id {g.Key} förekommer {g.Count()} gånger").ToList();
        if (errors.Count + duplicates.Count > 0)
        {
            return Problems.Validation("Inget har lästs in. " + string.Join("; ", errors.Concat(duplicates)) + ".");
        }
        var user = SipUser.From(principal);
        var now = clock.GetUtcNow();
        var externalIds = rows.Select(r => r.ExternalId).ToList();
        var existing = await db.Units.Where(u => u.TenantId == user.TenantId && externalIds.Contains(u.ExternalId)).ToDictionaryAsync(u => u.ExternalId!, ct);
        var (created, updated, unchanged) = (0, 0, 0);
        foreach (var row in rows)
        {
            if (!existing.TryGetValue(row.ExternalId!, out var unit))
            {
                unit = Unit.Create(Guid.CreateVersion7(now), user.TenantId);
                db.Units.Add(unit);
                created++;
            }
            else if (UnitResponse.From(unit) == UnitResponse.From(unit) with { Name = row.Name.Trim(), Principal = row.Principal, MunicipalityCode = row.MunicipalityCode, Type = row.Type, FunctionalMailbox = row.FunctionalMailbox })
            {
                unchanged++;
                continue;
            }
            else
            {
                updated++;
            }
            Apply(db, unit, row, now);
        }
        db.Audit(user, null, "directory.imported", null, null, $"Enhetskatalog: {created} nya, {updated} ändrade", now);
        await db.SaveOrConflictAsync("Enhetskatalogen ändrades samtidigt", "Någon annan ändrade en av enheterna samtidigt. Försök på nytt.", ct);
        return TypedResults.Ok(new ImportResult(created, updated, unchanged));
    }

    public static async Task<Ok<StaffResponse[]>> ListStaff(Guid unitId, ClaimsPrincipal principal, CaseDbContext db, CancellationToken ct)
    {
        var tenant = SipUser.From(principal).TenantId;
        var staff = await db.Staff.AsNoTracking().Where(s => s.TenantId == tenant && s.UnitIds.Contains(unitId)).OrderBy(s => s.Name).ToListAsync(ct);
        return TypedResults.Ok(staff.Select(s => new StaffResponse(s.Subject, s.Name, s.Title, s.Memberships.Single(m => m.UnitId == unitId).Roles)).ToArray());
    }

    /// <summary>
    /// The person's id travels in the body: staff ids are personal data too, and stay out of URLs and access logs.
    /// A directory administrator sets all of a person's memberships; a unit administrator only those in the units
    /// they administer (the person's memberships elsewhere are kept as they are).
    /// </summary>
    public static async Task<Ok<StaffMemberResponse>> PutStaff(StaffRequest request, ClaimsPrincipal principal, CaseDbContext db, DirectoryMembership directory,
        TimeProvider clock, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        var administered = user.HasRole(SipRoles.DirectoryAdministrator) ? null : DirectoryMembership.AdministeredUnits(principal);
        if (administered is not null && request.Memberships.FirstOrDefault(m => !administered.Contains(m.UnitId)) is { } outside)
        {
            throw NotUnitAdministrator($"Du är inte enhetsadministratör för enheten {outside.UnitId} och kan inte ändra medlemskap i den.");
        }
        var unitIds = request.Memberships.Select(m => m.UnitId).Distinct().ToList();
        var known = await db.Units.Where(u => u.TenantId == user.TenantId && unitIds.Contains(u.Id)).CountAsync(ct);
        if (known != unitIds.Count)
        {
            throw new DomainException("unknown-unit", "Okänd enhet", "En av enheterna finns inte i enhetskatalogen.", StatusCodes.Status422UnprocessableEntity);
        }
        var member = await db.Staff.SingleOrDefaultAsync(s => s.TenantId == user.TenantId && s.Subject == request.Subject, ct);
        if (administered is not null && request.Memberships.Count == 0 && member?.UnitIds.Any(administered.Contains) != true)
        {
            throw NotUnitAdministrator("Personen tillhör ingen av de enheter du administrerar.");
        }
        if (member is null)
        {
            member = StaffMember.Create(user.TenantId, request.Subject);
            db.Staff.Add(member);
        }
        else if (administered is not null && member.UnitIds.Any(u => !administered.Contains(u)) && member.WouldRename(request.Name, request.Title))
        {
            throw NotUnitAdministrator("Personen tillhör även andra enheter: namn och titel ändras av katalogadministratören.");
        }
        var memberships = administered is null ? request.Memberships : [.. member.Memberships.Where(m => !administered.Contains(m.UnitId)), .. request.Memberships];
        member.Update(request.Name, request.Title, memberships, clock.GetUtcNow());
        // Who granted or took away whose access to which units' cases: the log administrators review.
        var purpose = $"Personalkatalog: {member.Subject}";
        db.Audit(user, null, "directory.staff-changed", null, null, purpose[..Math.Min(purpose.Length, 128)], clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        directory.Forget(user.TenantId, member.Subject);
        return TypedResults.Ok(new StaffMemberResponse(member.Subject, member.Name, member.Title, member.Memberships));
    }

    private static DomainException NotUnitAdministrator(string detail) =>
        new("not-unit-administrator", "Åtkomst nekad", detail, StatusCodes.Status403Forbidden);

    private static void RequireDirectoryAdministrator(SipUser user, string detail)
    {
        if (!user.HasRole(SipRoles.DirectoryAdministrator))
        {
            throw new DomainException("not-directory-administrator", "Åtkomst nekad", detail, StatusCodes.Status403Forbidden);
        }
    }

    private static string? Invalid(UnitRequest request) =>
        string.IsNullOrWhiteSpace(request.Name) ? "Enheten måste ha ett namn."
        : request.FunctionalMailbox is { } mailbox && !System.Net.Mail.MailAddress.TryCreate(mailbox, out _) ? "Funktionsbrevlådan är inte en giltig e-postadress."
        : request.MunicipalityCode is { } code && (code.Length != 4 || !code.All(char.IsAsciiDigit)) ? "Kommunkoden ska vara fyra siffror."
        : null;

    private static void Apply(CaseDbContext db, Unit unit, UnitRequest request, DateTimeOffset now)
    {
        unit.Update(request.Name.Trim(), request.Principal, request.MunicipalityCode, request.Type, request.FunctionalMailbox, request.ExternalId, now);
        db.AddEvent(new UnitUpdated(Guid.CreateVersion7(now), now, unit.TenantId, unit.Id, unit.Name, unit.Principal.ToString(),
            unit.MunicipalityCode, unit.FunctionalMailbox, unit.Version));
    }
}

public sealed record UnitRequest(string Name, Principal Principal, string? MunicipalityCode = null, string? Type = null, string? FunctionalMailbox = null,
    string? ExternalId = null);

public sealed record ImportResult(int Created, int Updated, int Unchanged);

public sealed record StaffRequest(string Subject, string Name, IReadOnlyList<Membership> Memberships, string? Title = null);

public sealed record StaffResponse(string Subject, string Name, string? Title, IReadOnlyList<string> Roles);

public sealed record StaffMemberResponse(string Subject, string Name, string? Title, IReadOnlyList<Membership> Memberships);

public sealed record UnitResponse(Guid UnitId, string Name, Principal Principal, string? MunicipalityCode, string? Type, string? FunctionalMailbox, string? ExternalId)
{
    public static UnitResponse From(Unit u) => new(u.Id, u.Name, u.Principal, u.MunicipalityCode, u.Type, u.FunctionalMailbox, u.ExternalId);
}
