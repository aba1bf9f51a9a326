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
    private const string Purpose = "SIP-samtycke";

    public static RouteGroupBuilder MapConsentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/consent").WithTags("Samtycke");
        api.MapPost("/consents", Record).WithSummary("Registrera ett samtycke, en vägran eller ett beslut om undantag");
        api.MapGet("/consents/{consentId:guid}", Get).WithSummary("Hämta ett samtycke");
        api.MapGet("/individuals/{individualId:guid}/consents", ForIndividual).WithSummary("En persons samtycken, även tidigare");
        api.MapPost("/consents/{consentId:guid}/declarations", Declare).WithSummary("Registrera ytterligare ett svar, t.ex. den andra vårdnadshavarens");
        api.MapPost("/consents/{consentId:guid}/withdrawal", Withdraw).WithSummary("Återkalla ett samtycke (muntligt eller skriftligt)");
        api.MapPut("/consents/{consentId:guid}/scope", ChangeScope).WithSummary("Ändra vilka enheter och uppgifter samtycket omfattar, eller slutdatum");
        return api;
    }

    public static async Task<Created<ConsentResponse>> Record(RecordConsentRequest request, ClaimsPrincipal principal, ConsentDbContext db,
        TimeProvider clock, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        var (individual, unit) = await db.IndividualForAsync(user, request.IndividualId, user.RequireMembership(request.RecordedByUnitId), ct);
        if (individual.MergedIntoId is { } survivor)
        {
            throw new DomainException("individual-merged", "Personen har förts samman med en annan post", $"Använd personens id {survivor}.", StatusCodes.Status409Conflict);
        }
        var active = await db.Consents.AsNoTracking()
            .Where(c => c.IndividualId == individual.Id && (c.Status == ConsentStatus.Pending || c.Status == ConsentStatus.Given))
            .Select(c => new { c.Id, c.Status })
            .FirstOrDefaultAsync(ct);
        if (active is not null)
        {
            throw new OverlappingConsentException(active.Id, active.Status);
        }
        var now = clock.GetUtcNow();
        var today = SwedishCalendar.Today(now);
        var consent = Domain.Consent.Record(individual, request.Basis,
            (request.Declarations ?? []).Select(d => d.ToDomain()).ToList(),
            request.ChildView, request.Presumed, request.Exception, request.Scope(), user.Subject, unit, now, today);
        db.Consents.Add(consent);
        db.Audit(user, unit, "consent.recorded", individual.Id, null, Purpose, now);
        PublishDecision(db, consent, now);
        // Another consent for the same person recorded at the same moment trips the unique index: nothing is saved.
        await IndividualsApi.SaveAsync(db, ct);
        return TypedResults.Created($"/api/v1/consent/consents/{consent.Id}", ConsentResponse.From(consent, individual));
    }

    public static async Task<Ok<ConsentResponse>> Get(Guid consentId, Guid? unitId, ClaimsPrincipal principal, ConsentDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        var (consent, individual, unit) = await ConsentForAsync(db, user, consentId, unitId, ct);
        db.Audit(user, unit, "consent.read", consent.IndividualId, null, Purpose, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ConsentResponse.From(consent, individual));
    }

    public static async Task<Ok<List<ConsentResponse>>> ForIndividual(Guid individualId, Guid? unitId, ClaimsPrincipal principal, ConsentDbContext db,
        TimeProvider clock, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        var (individual, unit) = await db.IndividualForAsync(user, individualId, unitId, ct);
        var consents = await db.Consents.AsNoTracking().Where(c => c.IndividualId == individual.Id).OrderByDescending(c => c.RecordedAt).ToListAsync(ct);
        db.Audit(user, unit, "consent.listed", individual.Id, null, Purpose, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(consents.Select(c => ConsentResponse.From(c, individual)).ToList());
    }

    public static async Task<Ok<ConsentResponse>> Declare(Guid consentId, DeclarationRequest request, ClaimsPrincipal principal, ConsentDbContext db,
        TimeProvider clock, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        var (consent, individual, unit) = await ConsentForAsync(db, user, consentId, user.RequireMembership(request.UnitId), ct);
        var now = clock.GetUtcNow();
        consent.Declare(individual, request.ToDomain(), user.Subject, now);
        db.Audit(user, unit, "consent.declared", consent.IndividualId, null, Purpose, now);
        PublishDecision(db, consent, now);
        await IndividualsApi.SaveAsync(db, ct);
        return TypedResults.Ok(ConsentResponse.From(consent, individual));
    }

    public static async Task<Ok<ConsentResponse>> Withdraw(Guid consentId, WithdrawalRequest request, ClaimsPrincipal principal, ConsentDbContext db,
        TimeProvider clock, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        var (consent, individual, unit) = await ConsentForAsync(db, user, consentId, user.RequireMembership(request.UnitId), ct);
        var now = clock.GetUtcNow();
        consent.Withdraw(individual, request.RepresentativeId, request.Form, request.Comment, user.Subject, now);
        db.Audit(user, unit, "consent.withdrawn", consent.IndividualId, null, Purpose, now);
        db.AddEvent(new ConsentWithdrawn(Guid.CreateVersion7(now), now, consent.TenantId, consent.Id, consent.IndividualId, consent.UnitIds));
        await IndividualsApi.SaveAsync(db, ct);
        return TypedResults.Ok(ConsentResponse.From(consent));
    }

    public static async Task<Ok<ConsentResponse>> ChangeScope(Guid consentId, ScopeRequest request, ClaimsPrincipal principal, ConsentDbContext db,
        TimeProvider clock, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        var (consent, individual, unit) = await ConsentForAsync(db, user, consentId, user.RequireMembership(request.UnitId), ct);
        var now = clock.GetUtcNow();
        var (added, removed) = consent.ChangeScope(individual,
            new Domain.Consent.Scope(request.UnitIds, request.ExcludedCategories ?? [], request.CopyRecipientIds ?? [], request.CopyToIndividual, request.ValidUntil),
            request.DecidedByRepresentativeId, request.Form, user.Subject, now, SwedishCalendar.Today(now));
        db.Audit(user, unit, "consent.scope-changed", consent.IndividualId, null, Purpose, now);
        db.AddEvent(new ConsentScopeChanged(Guid.CreateVersion7(now), now, consent.TenantId, consent.Id, consent.IndividualId, consent.UnitIds, added, removed,
            consent.ExcludedCategories.Select(c => c.ToString()).ToList(), consent.ValidUntil));
        await IndividualsApi.SaveAsync(db, ct);
        return TypedResults.Ok(ConsentResponse.From(consent));
    }

    private static async Task<(Domain.Consent Consent, Individual Individual, Guid Unit)> ConsentForAsync(ConsentDbContext db, SipUser user, Guid consentId,
        Guid? unitId, CancellationToken ct)
    {
        var consent = await db.Consents.SingleOrDefaultAsync(c => c.Id == consentId && c.TenantId == user.TenantId, ct) ?? throw Access.NotFound();
        var (individual, unit) = await db.IndividualForAsync(user, consent.IndividualId, unitId, ct);
        return (consent, individual, unit);
    }

    /// <summary>A consent that has just been decided tells the platform: given, or refused.</summary>
    private static void PublishDecision(ConsentDbContext db, Domain.Consent consent, DateTimeOffset now)
    {
        if (consent.DecidedAt != now)
        {
            return;
        }
        if (consent.Status == ConsentStatus.Given)
        {
            db.AddEvent(new ConsentGiven(Guid.CreateVersion7(now), now, consent.TenantId, consent.Id, consent.IndividualId, consent.UnitIds, consent.ValidUntil));
        }
        else if (consent.Status == ConsentStatus.Refused)
        {
            db.AddEvent(new ConsentRefused(Guid.CreateVersion7(now), now, consent.TenantId, consent.Id, consent.IndividualId, consent.UnitIds));
        }
    }
}

/// <summary>A second consent while one is in force (or waiting for answers) would overlap or contradict it.</summary>
public sealed class OverlappingConsentException(Guid existingId, ConsentStatus existingStatus) : DomainException("consent-overlaps",
    "Personen har redan ett samtycke som gäller",
    $"Samtycke {existingId} har status {Domain.Consent.Swedish(existingStatus)}. Ändra dess omfattning, eller återkalla det först, i stället för att registrera ett nytt.",
    StatusCodes.Status409Conflict);

public sealed record DeclarationRequest(Decision Decision, ConsentForm Form, Guid UnitId, Guid? RepresentativeId = null, Guid? ConveyedById = null)
{
    public Domain.Consent.NewDeclaration ToDomain() => new(RepresentativeId, Decision, Form, ConveyedById);
}

public sealed record NewDeclarationRequest(Decision Decision, ConsentForm Form, Guid? RepresentativeId = null, Guid? ConveyedById = null)
{
    public Domain.Consent.NewDeclaration ToDomain() => new(RepresentativeId, Decision, Form, ConveyedById);
}

public sealed record RecordConsentRequest(
    Guid IndividualId,
    ConsentBasis Basis,
    IReadOnlyList<Guid> UnitIds,
    DateOnly ValidUntil,
    Guid RecordedByUnitId,
    IReadOnlyList<NewDeclarationRequest>? Declarations = null,
    ChildView? ChildView = null,
    PresumedConsent? Presumed = null,
    ExceptionDecision? Exception = null,
    IReadOnlyList<InformationCategory>? ExcludedCategories = null,
    IReadOnlyList<Guid>? CopyRecipientIds = null,
    bool CopyToIndividual = false)
{
    public Domain.Consent.Scope Scope() => new(UnitIds, ExcludedCategories ?? [], CopyRecipientIds ?? [], CopyToIndividual, ValidUntil);
}

public sealed record WithdrawalRequest(ConsentForm Form, Guid UnitId, Guid? RepresentativeId = null, string? Comment = null);

public sealed record ScopeRequest(
    IReadOnlyList<Guid> UnitIds,
    DateOnly ValidUntil,
    ConsentForm Form,
    Guid UnitId,
    IReadOnlyList<InformationCategory>? ExcludedCategories = null,
    IReadOnlyList<Guid>? CopyRecipientIds = null,
    bool CopyToIndividual = false,
    Guid? DecidedByRepresentativeId = null);

public sealed record ConsentResponse(
    Guid ConsentId,
    Guid IndividualId,
    ConsentBasis Basis,
    ConsentStatus Status,
    IReadOnlyList<Declaration> Declarations,
    ChildView? ChildView,
    PresumedConsent? Presumed,
    ExceptionDecision? Exception,
    IReadOnlyList<Guid> UnitIds,
    IReadOnlyList<InformationCategory> ExcludedCategories,
    IReadOnlyList<Guid> CopyRecipientIds,
    bool CopyToIndividual,
    DateOnly ValidFrom,
    DateOnly ValidUntil,
    string RecordedBy,
    Guid RecordedByUnitId,
    DateTimeOffset RecordedAt,
    Withdrawal? Withdrawal,
    DateTimeOffset? ExpiredAt,
    IReadOnlyList<Guid> AwaitingRepresentativeIds)
{
    /// <param name="individual">When given, a pending consent says whose answer it still awaits.</param>
    public static ConsentResponse From(Domain.Consent c, Individual? individual = null) =>
        new(c.Id, c.IndividualId, c.Basis, c.Status, c.Declarations, c.ChildView, c.Presumed, c.Exception, c.UnitIds, c.ExcludedCategories,
            c.CopyRecipientIds, c.CopyToIndividual, c.ValidFrom, c.ValidUntil, c.RecordedBy, c.RecordedByUnitId, c.RecordedAt, c.Withdrawal, c.ExpiredAt,
            individual is null ? [] : c.AwaitedParties(individual));
}
