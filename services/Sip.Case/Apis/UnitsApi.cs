using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sip.Case.Domain;
using Sip.Case.Infrastructure;
using Sip.Contracts.Directory;
using Sip.Messaging;
using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Auth;

namespace Sip.Case.Apis;

public static class UnitsApi
{
    public static RouteGroupBuilder MapUnitsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/cases/units").WithTags("Enhetskatalog");
        api.MapGet("/", ListUnits).WithSummary("Lista enheterna i katalogen");
        api.MapPut("/{unitId:guid}", PutUnit).RequireAuthorization(SipPolicies.UnitAdministrator)
            .WithSummary("Skapa eller ändra en enhet (enhetsadministratör)");
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
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            return Problems.Validation("Enheten måste ha ett namn.");
        }
        if (request.FunctionalMailbox is { } mailbox && !System.Net.Mail.MailAddress.TryCreate(mailbox, out _))
        {
            return Problems.Validation("Funktionsbrevlådan är inte en giltig e-postadress.");
        }
        var user = SipUser.From(principal);
        var unit = await db.Units.SingleOrDefaultAsync(u => u.Id == unitId, ct);
        if (unit is not null && unit.TenantId != user.TenantId)
        {
            return Problems.NotFound();
        }
        if (unit is null)
        {
            unit = Unit.Create(unitId, user.TenantId);
            db.Units.Add(unit);
        }
        var now = clock.GetUtcNow();
        unit.Update(request.Name.Trim(), request.Principal, request.MunicipalityCode, request.Type, request.FunctionalMailbox, request.ExternalId, now);
        db.AddEvent(new UnitUpdated(Guid.CreateVersion7(now), now, user.TenantId, unit.Id, unit.Name, unit.Principal.ToString(),
            unit.MunicipalityCode, unit.FunctionalMailbox));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(UnitResponse.From(unit));
    }
}

public sealed record UnitRequest(string Name, Principal Principal, string? MunicipalityCode, string? Type, string? FunctionalMailbox, string? ExternalId);

public sealed record UnitResponse(Guid UnitId, string Name, Principal Principal, string? MunicipalityCode, string? Type, string? FunctionalMailbox, string? ExternalId)
{
    public static UnitResponse From(Unit u) => new(u.Id, u.Name, u.Principal, u.MunicipalityCode, u.Type, u.FunctionalMailbox, u.ExternalId);
}
