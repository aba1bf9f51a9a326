using System.Security.Claims;
using System.Text.Json;
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

/// <summary>People, their identifiers, representatives and protected details. Identity numbers travel in bodies only, never in URLs.</summary>
public static class IndividualsApi
{
    private const string Purpose = "SIP: identitet och företrädare";

    public static RouteGroupBuilder MapIndividualsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/consent/individuals").WithTags("Personer");
        api.MapPost("", Register).WithSummary("Registrera en person med personnummer, samordningsnummer eller reservnummer");
        api.MapPost("/unidentified", RegisterUnidentified).WithSummary("Registrera en person utan nummer: plattformen ger ett tillfälligt id");
        api.MapPost("/search", Search).WithSummary("Hitta en person på nummer (även ett tidigare nummer)");
        api.MapGet("/{individualId:guid}", Get).WithSummary("Hämta en person");
        api.MapPost("/{individualId:guid}/identifiers", LinkIdentifier).WithSummary("Koppla ett reservnummer eller tillfälligt id till personens rätta nummer");
        api.MapPost("/{individualId:guid}/representatives", AddRepresentative).WithSummary("Registrera vårdnadshavare, förvaltare, god man, personligt ombud eller närstående");
        api.MapPut("/{individualId:guid}/guardianship", SetGuardianship).WithSummary("Ange varför en vårdnadshavares samtycke räcker");
        api.MapPut("/{individualId:guid}/protection", SetProtection).WithSummary("Skyddad identitet: vilka enheter som får se kontaktuppgifter och placering");
        api.MapPut("/{individualId:guid}/contact", SetContact).WithSummary("Kontaktuppgifter och placering");
        api.MapGet("/{individualId:guid}/representatives/{representativeId:guid}/disclosure", Disclosure)
            .WithSummary("Vad som får visas för eller skickas till en företrädare (t.ex. med en kopia av planen)");
        return api;
    }

    public static async Task<Results<Created<IndividualResponse>, Ok<IndividualResponse>>> Register(
        RegisterIndividualRequest request, ClaimsPrincipal principal, ConsentDbContext db, IdentifierParser parser, TimeProvider clock, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        var unit = user.RequireMembership(request.UnitId);
        var now = clock.GetUtcNow();
        var today = SwedishCalendar.Today(now);
        var identifier = parser.Parse(user.TenantId, request.Identifier, request.IdentifierKind, today, request.IdentifierFormat);
        if (identifier.Kind == IdentityKind.TemporaryId)
        {
            throw new DomainException("temporary-id-not-registrable", "Tillfälliga id utfärdas av plattformen",
                "Registrera personen som oidentifierad (POST /api/v1/consent/individuals/unidentified), så får personen ett tillfälligt id.", StatusCodes.Status400BadRequest);
        }
        var existing = await db.Individuals.SingleOrDefaultAsync(i => i.TenantId == user.TenantId && i.IdentityKind == identifier.Kind && i.IdentityValue == identifier.Value, ct);
        // Checked (and refused) exactly as a new registration, known or not.
        var individual = Individual.Register(user.TenantId, identifier, request.BirthDate, unit, user.Subject, now, today);
        if (existing is not null)
        {
            // Registering someone already known is harmless: the same person, the same id. A unit that may see the
            // record gets it; any other gets the answer a new registration would have given, built from what it sent
            // (issue 13: it must not learn that the person is known, nor that the identity is protected).
            var visible = await db.CanSeeAsync(user, existing, unit, ct);
            db.Audit(user, unit, "individual.looked-up", existing.Id, null, Purpose, now);
            await db.SaveChangesAsync(ct);
            return visible
                ? TypedResults.Ok(IndividualResponse.From(existing, unit))
                : TypedResults.Created($"/api/v1/consent/individuals/{existing.Id}", IndividualResponse.From(individual, unit) with { IndividualId = existing.Id });
        }
        return await CreateAsync(db, user, unit, individual, now, ct);
    }

    public static async Task<Created<IndividualResponse>> RegisterUnidentified(
        RegisterUnidentifiedRequest request, ClaimsPrincipal principal, ConsentDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        var unit = user.RequireMembership(request.UnitId);
        var now = clock.GetUtcNow();
        var individual = Individual.Register(user.TenantId, Individual.NewTemporaryId(now), request.BirthDate, unit, user.Subject, now, SwedishCalendar.Today(now));
        return await CreateAsync(db, user, unit, individual, now, ct);
    }

    private static async Task<Created<IndividualResponse>> CreateAsync(
        ConsentDbContext db, SipUser user, Guid unit, Individual individual, DateTimeOffset now, CancellationToken ct)
    {
        db.Individuals.Add(individual);
        db.Audit(user, unit, "individual.registered", individual.Id, null, Purpose, now);
        await SaveAsync(db, ct);
        return TypedResults.Created($"/api/v1/consent/individuals/{individual.Id}", IndividualResponse.From(individual, unit));
    }

    public static async Task<Results<Ok<IndividualResponse>, ProblemHttpResult>> Search(
        SearchIndividualRequest request, ClaimsPrincipal principal, ConsentDbContext db, IdentifierParser parser, TimeProvider clock, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        var unit = user.RequireMembership(request.UnitId);
        var now = clock.GetUtcNow();
        var identifier = parser.Parse(user.TenantId, request.Identifier, request.IdentifierKind, SwedishCalendar.Today(now), request.IdentifierFormat);
        // Current identifiers first; then anyone who had this identifier before (linked or merged since).
        var history = JsonSerializer.Serialize(new[] { new { kind = identifier.Kind.ToString(), value = identifier.Value } });
        var found = await db.Individuals.SingleOrDefaultAsync(i => i.TenantId == user.TenantId && i.IdentityKind == identifier.Kind && i.IdentityValue == identifier.Value, ct)
            ?? await db.Individuals.FromSql($"SELECT *, xmin FROM consent.individuals WHERE tenant_id = {user.TenantId} AND merged_into_id IS NULL AND identifiers @> {history}::jsonb")
                .FirstOrDefaultAsync(ct);
        if (found is null)
        {
            return Problems.NotFound();
        }
        var (individual, acting) = await db.IndividualForAsync(user, found.Id, unit, ct);
        db.Audit(user, acting, "individual.searched", individual.Id, null, Purpose, now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(IndividualResponse.From(individual, acting));
    }

    public static async Task<Ok<IndividualResponse>> Get(Guid individualId, Guid? unitId, ClaimsPrincipal principal, ConsentDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        var (individual, unit) = await db.IndividualForAsync(user, individualId, unitId, ct);
        db.Audit(user, unit, "individual.read", individual.Id, null, Purpose, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(IndividualResponse.From(individual, unit));
    }

    public static async Task<Ok<IndividualResponse>> LinkIdentifier(Guid individualId, LinkIdentifierRequest request, ClaimsPrincipal principal,
        ConsentDbContext db, IdentifierParser parser, TimeProvider clock, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        var (individual, unit) = await db.IndividualForAsync(user, individualId, user.RequireMembership(request.UnitId), ct);
        var now = clock.GetUtcNow();
        var identifier = parser.Parse(user.TenantId, request.Identifier, request.IdentifierKind, SwedishCalendar.Today(now), request.IdentifierFormat);
        var previousKind = individual.IdentityKind;
        var known = await db.Individuals.SingleOrDefaultAsync(i => i.TenantId == user.TenantId && i.IdentityKind == identifier.Kind && i.IdentityValue == identifier.Value, ct);
        var survivor = individual;
        Guid? merged = null;
        if (known is not null && known.Id != individual.Id)
        {
            // Already known under another record: that record survives and takes this one's history and consents.
            var consents = await db.Consents.Where(c => c.IndividualId == individual.Id).ToListAsync(ct);
            if (consents.Any(c => c.IsActive) && await db.Consents.AnyAsync(c => c.IndividualId == known.Id && (c.Status == ConsentStatus.Pending || c.Status == ConsentStatus.Given), ct))
            {
                throw new DomainException("contradicting-consents", "Personen har samtycken under båda numren",
                    "Båda posterna har ett samtycke som gäller. Återkalla det ena innan numren kopplas ihop.", StatusCodes.Status409Conflict);
            }
            individual.MergeInto(known, now);
            foreach (var consent in consents)
            {
                consent.MoveTo(known.Id, now);
            }
            survivor = known;
            merged = individual.Id;
        }
        else
        {
            individual.LinkIdentifier(identifier, user.Subject, now);
        }
        db.Audit(user, unit, "individual.identifier-linked", survivor.Id, null, Purpose, now);
        db.AddEvent(new IdentityLinked(Guid.CreateVersion7(now), now, user.TenantId, survivor.Id, merged, previousKind.ToString(), survivor.IdentityKind.ToString()));
        await SaveAsync(db, ct);
        return TypedResults.Ok(await db.CanSeeAsync(user, survivor, unit, ct) ? IndividualResponse.From(survivor, unit) : IndividualResponse.IdOnly(survivor));
    }

    public static async Task<Created<RepresentativeResponse>> AddRepresentative(Guid individualId, AddRepresentativeRequest request, ClaimsPrincipal principal,
        ConsentDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        var (individual, unit) = await db.IndividualForAsync(user, individualId, user.RequireMembership(request.UnitId), ct);
        var now = clock.GetUtcNow();
        var representative = individual.AddRepresentative(request.Kind, request.Name, request.Relation, request.Contact, now, SwedishCalendar.Today(now));
        db.Audit(user, unit, "individual.representative-added", individual.Id, null, Purpose, now);
        await SaveAsync(db, ct);
        return TypedResults.Created($"/api/v1/consent/individuals/{individual.Id}", RepresentativeResponse.From(representative));
    }

    public static Task<Ok<IndividualResponse>> SetGuardianship(Guid individualId, GuardianshipRequest request, ClaimsPrincipal principal,
        ConsentDbContext db, TimeProvider clock, CancellationToken ct) =>
        ChangeAsync(principal, db, clock, individualId, request.UnitId, "individual.guardianship-changed", null,
            (individual, now) => individual.SetSingleGuardianConsentReason(request.SingleGuardianConsentReason, now), ct);

    public static Task<Ok<IndividualResponse>> SetProtection(Guid individualId, ProtectionRequest request, ClaimsPrincipal principal,
        ConsentDbContext db, TimeProvider clock, CancellationToken ct) =>
        ChangeAsync(principal, db, clock, individualId, request.UnitId, "individual.protection-changed",
            "Bara en enhet som får se de skyddade uppgifterna kan ändra skyddet.",
            (individual, now) => individual.SetProtection(request.ProtectedIdentity, request.EntitledUnitIds ?? [], now), ct);

    public static Task<Ok<IndividualResponse>> SetContact(Guid individualId, ContactRequest request, ClaimsPrincipal principal,
        ConsentDbContext db, TimeProvider clock, CancellationToken ct) =>
        ChangeAsync(principal, db, clock, individualId, request.UnitId, "individual.contact-changed", "Personens kontaktuppgifter är skyddade.",
            (individual, now) => individual.SetContact(request.Contact, request.Placement, now), ct);

    /// <summary>One audited change to a person, by a member of <paramref name="unitId"/>; with <paramref name="protectedRefusal"/>, only by a unit entitled to protected details.</summary>
    private static async Task<Ok<IndividualResponse>> ChangeAsync(ClaimsPrincipal principal, ConsentDbContext db, TimeProvider clock, Guid individualId, Guid unitId,
        string action, string? protectedRefusal, Action<Individual, DateTimeOffset> change, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        var (individual, unit) = await db.IndividualForAsync(user, individualId, user.RequireMembership(unitId), ct);
        if (protectedRefusal is not null && !individual.ContactVisibleTo(unit))
        {
            throw new DomainException("not-entitled", "Åtkomst nekad", protectedRefusal, StatusCodes.Status403Forbidden);
        }
        var now = clock.GetUtcNow();
        change(individual, now);
        db.Audit(user, unit, action, individual.Id, null, Purpose, now);
        await SaveAsync(db, ct);
        return TypedResults.Ok(IndividualResponse.From(individual, unit));
    }

    public static async Task<Ok<DisclosureResponse>> Disclosure(Guid individualId, Guid representativeId, Guid? unitId, ClaimsPrincipal principal,
        ConsentDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var user = SipUser.From(principal);
        var (individual, unit) = await db.IndividualForAsync(user, individualId, unitId, ct);
        var (contact, placement) = individual.ContactVisibleTo(unit) ? individual.VisibleToRepresentative(representativeId) : (null, null);
        db.Audit(user, unit, "individual.disclosure-read", individual.Id, null, Purpose, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new DisclosureResponse(representativeId, contact, placement, individual.ProtectedIdentity));
    }

    internal static Task SaveAsync(ConsentDbContext db, CancellationToken ct) =>
        db.SaveOrConflictAsync("Någon annan ändrade samtidigt", "Inget har sparats. Hämta uppgifterna på nytt och försök igen.", ct);
}

public sealed record RegisterIndividualRequest(string Identifier, Guid UnitId, IdentityKind? IdentifierKind = null, string? IdentifierFormat = null, DateOnly? BirthDate = null);

public sealed record RegisterUnidentifiedRequest(Guid UnitId, DateOnly? BirthDate = null);

public sealed record SearchIndividualRequest(string Identifier, Guid UnitId, IdentityKind? IdentifierKind = null, string? IdentifierFormat = null);

public sealed record LinkIdentifierRequest(string Identifier, Guid UnitId, IdentityKind? IdentifierKind = null, string? IdentifierFormat = null);

public sealed record AddRepresentativeRequest(RepresentativeKind Kind, string Name, Guid UnitId, string? Relation = null, ContactDetails? Contact = null);

public sealed record GuardianshipRequest(Guid UnitId, string? SingleGuardianConsentReason = null);

public sealed record ProtectionRequest(bool ProtectedIdentity, Guid UnitId, IReadOnlyList<Guid>? EntitledUnitIds = null);

public sealed record ContactRequest(Guid UnitId, ContactDetails? Contact = null, Placement? Placement = null);

public sealed record RepresentativeResponse(Guid RepresentativeId, RepresentativeKind Kind, string Name, string? Relation, ContactDetails? Contact)
{
    public static RepresentativeResponse From(Representative r) => new(r.Id, r.Kind, r.Name, r.Relation, r.Contact);
}

public sealed record IdentifierResponse(IdentityKind Kind, string Value, string? Format, DateTimeOffset From, DateTimeOffset? ReplacedAt);

/// <summary>A person as staff of <c>unit</c> may see them: contact details and placement only when the unit is entitled.</summary>
public sealed record IndividualResponse(
    Guid IndividualId,
    IdentityKind IdentifierKind,
    string Identifier,
    string? IdentifierFormat,
    DateOnly? BirthDate,
    bool ProtectedIdentity,
    ContactDetails? Contact,
    Placement? Placement,
    string? SingleGuardianConsentReason,
    IReadOnlyList<RepresentativeResponse> Representatives,
    IReadOnlyList<IdentifierResponse> IdentifierHistory)
{
    /// <summary>For a unit that may not see the record after linking an identifier: the id and the identifier, nothing more.</summary>
    public static IndividualResponse IdOnly(Individual i) => new(i.Id, i.IdentityKind, i.IdentityValue, i.IdentityFormat, null, i.ProtectedIdentity, null, null, null, [], []);

    public static IndividualResponse From(Individual i, Guid unit)
    {
        var visible = i.ContactVisibleTo(unit);
        return new(i.Id, i.IdentityKind, i.IdentityValue, i.IdentityFormat, i.BirthDate, i.ProtectedIdentity,
            visible ? i.Contact : null, visible ? i.Placement : null, i.SingleGuardianConsentReason,
            // A guardian's address can tell where a protected child lives.
            i.Representatives.Select(r => RepresentativeResponse.From(visible ? r : r with { Contact = null })).ToList(),
            i.Identifiers.Select(h => new IdentifierResponse(h.Kind, h.Value, h.Format, h.From, h.ReplacedAt)).ToList());
    }
}

public sealed record DisclosureResponse(Guid RepresentativeId, ContactDetails? Contact, Placement? Placement, bool ProtectedIdentity);
