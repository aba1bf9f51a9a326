using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Sip.Consent.Domain;
using Sip.Consent.Infrastructure;
using Sip.Contracts.Consent;
using Sip.Messaging;
using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Auth;
using Sip.ServiceDefaults.Data;
using Sip.ServiceDefaults.Time;

namespace Sip.Consent.Apis;

public static class ConsentsApi
{
    public static RouteGroupBuilder MapConsentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/consent").WithTags("Samtycke");
        api.MapPost("/consents", RecordConsent).WithSummary("Registrera ett samtycke till SIP");
        api.MapGet("/consents/{consentId:guid}", GetConsent).WithSummary("Hämta ett samtycke");
        return api;
    }

    public static async Task<Results<Created<ConsentResponse>, ProblemHttpResult>> RecordConsent(
        RecordConsentRequest request, ClaimsPrincipal principal, ConsentDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        if (!user.IsMemberOf(request.RecordedByUnitId))
        {
            return Problems.Forbidden("Du kan bara registrera samtycken för en enhet som du tillhör.");
        }
        var now = clock.GetUtcNow();
        var today = SwedishCalendar.Today(now);
        var identity = IdentityNumber.Parse(request.IdentityNumber, today);
        var individual = await db.Individuals.SingleOrDefaultAsync(
            i => i.TenantId == user.TenantId && i.IdentityKind == identity.Kind && i.IdentityValue == identity.Value, ct);
        if (individual is null)
        {
            individual = Individual.Register(user.TenantId, identity, now);
            db.Individuals.Add(individual);
        }
        var consent = Domain.Consent.Give(user.TenantId, individual.Id, request.Form, request.UnitIds, request.ValidUntil,
            user.Subject, request.RecordedByUnitId, now, today);
        db.Consents.Add(consent);
        db.Audit(user, request.RecordedByUnitId, "consent.recorded", individual.Id, null, "SIP-samtycke", now);
        db.AddEvent(new ConsentGiven(Guid.CreateVersion7(now), now, user.TenantId, consent.Id, individual.Id, consent.UnitIds, consent.ValidUntil));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            // Someone registered the same person at the same moment: nothing was saved, so asking again is safe.
            return Problems.Create(StatusCodes.Status409Conflict, "concurrent-change", "Personen registrerades samtidigt av någon annan",
                "Inget har sparats. Skicka samma begäran igen.");
        }
        return TypedResults.Created($"/api/v1/consent/consents/{consent.Id}", ConsentResponse.From(consent));
    }

    public static async Task<Results<Ok<ConsentResponse>, ProblemHttpResult>> GetConsent(
        Guid consentId, ClaimsPrincipal principal, ConsentDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        var consent = await db.Consents.SingleOrDefaultAsync(c => c.Id == consentId && c.TenantId == user.TenantId, ct);
        var actingUnit = consent?.UnitIds.Append(consent.RecordedByUnitId).FirstOrDefault(user.IsMemberOf);
        if (consent is null || actingUnit is null || actingUnit == Guid.Empty)
        {
            return Problems.NotFound();
        }
        db.Audit(user, actingUnit, "consent.read", consent.IndividualId, null, "SIP-samtycke", clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ConsentResponse.From(consent));
    }
}

public sealed record RecordConsentRequest(
    string IdentityNumber,
    ConsentForm Form,
    IReadOnlyList<Guid> UnitIds,
    DateOnly? ValidUntil,
    Guid RecordedByUnitId);

public sealed record ConsentResponse(
    Guid ConsentId,
    Guid IndividualId,
    ConsentForm Form,
    ConsentStatus Status,
    IReadOnlyList<Guid> UnitIds,
    DateOnly ValidFrom,
    DateOnly? ValidUntil,
    DateTimeOffset RecordedAt)
{
    public static ConsentResponse From(Domain.Consent c) =>
        new(c.Id, c.IndividualId, c.Form, c.Status, c.UnitIds, c.ValidFrom, c.ValidUntil, c.RecordedAt);
}
