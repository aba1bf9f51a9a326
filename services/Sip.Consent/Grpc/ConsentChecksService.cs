using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Sip.Consent.Domain;
using Sip.Consent.Infrastructure;
using Sip.Contracts.Grpc.Consent.V1;
using Sip.ServiceDefaults.Auth;
using Sip.ServiceDefaults.Data;
using Sip.ServiceDefaults.Time;

namespace Sip.Consent.Grpc;

/// <summary>
/// Answers whether a unit may share a category of information about an individual, at a time: allowed
/// when a consent in force covers the unit and does not exclude the category. Asked before every read of
/// a case, so it is one indexed query on the common path.
/// </summary>
public sealed class ConsentChecksService(ConsentDbContext db, TimeProvider clock) : ConsentChecks.ConsentChecksBase
{
    public override async Task<CheckConsentReply> CheckConsent(CheckConsentRequest request, ServerCallContext context)
    {
        var user = SipUser.From(context.GetHttpContext().User);
        if (request.TenantId != user.TenantId)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "tenant mismatch"));
        }
        if (!Guid.TryParse(request.IndividualId, out var individualId) || !Guid.TryParse(request.UnitId, out var unitId))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "individual_id and unit_id must be UUIDs"));
        }
        InformationCategory? category = null;
        if (request.InformationCategory.Length > 0)
        {
            category = Enum.TryParse<InformationCategory>(request.InformationCategory, ignoreCase: false, out var c) && Enum.IsDefined(c)
                ? c
                : throw new RpcException(new Status(StatusCode.InvalidArgument, $"unknown information_category; one of {string.Join(", ", Enum.GetNames<InformationCategory>())}"));
        }
        var day = SwedishCalendar.Today(request.At is null ? clock.GetUtcNow() : request.At.ToDateTimeOffset());
        var consents = await ConsentsOf(request.TenantId, individualId, context.CancellationToken);
        if (consents.Count == 0)
        {
            // A record merged into another since: its consents followed the person.
            var survivor = await db.Individuals.AsNoTracking().Where(i => i.Id == individualId && i.TenantId == request.TenantId)
                .Select(i => i.MergedIntoId).SingleOrDefaultAsync(context.CancellationToken);
            if (survivor is { } s)
            {
                consents = await ConsentsOf(request.TenantId, s, context.CancellationToken);
            }
        }
        var allowing = consents.FirstOrDefault(c => c.DenialFor(unitId, category, day) is null);
        if (allowing is not null)
        {
            return new CheckConsentReply { Allowed = true, ConsentId = allowing.Id.ToString() };
        }
        var latest = consents.MaxBy(c => c.RecordedAt);
        return new CheckConsentReply { Allowed = false, Reason = latest?.DenialFor(unitId, category, day) ?? DenialReason.NoConsent };
    }

    public override async Task<PlanParticularsReply> GetPlanParticulars(PlanParticularsRequest request, ServerCallContext context)
    {
        // Identity number and name: only for someone working for the unit that asks (the case service forwards its caller's token).
        var user = SipUser.From(context.GetHttpContext().User);
        var unit = CallersUnit(user, request.UnitId);
        var (consent, individual) = await CoveringConsentAsync(request.TenantId, request.IndividualId, request.UnitId, context);
        var reply = new PlanParticularsReply
        {
            IdentifierKind = individual.IdentityKind.ToString(),
            Identifier = individual.IdentityKind is IdentityKind.Personnummer or IdentityKind.Samordningsnummer
                ? $"{individual.IdentityValue[..8]}-{individual.IdentityValue[8..]}"
                : individual.IdentityValue,
            ProtectedIdentity = individual.ProtectedIdentity,
            ConsentId = consent.Id.ToString(),
            Name = individual.ContactVisibleTo(unit) ? individual.Contact?.Name ?? "" : "",
            ConsentSummary = SwedishTexts.Summary(consent, individual),
        };
        reply.ConsentUnitIds.AddRange(consent.UnitIds.Select(u => u.ToString()));
        reply.ExcludedCategories.AddRange(consent.ExcludedCategories.Select(SwedishTexts.Category));
        if (consent.CopyToIndividual)
        {
            reply.CopyRecipients.Add("Den enskilde");
        }
        reply.CopyRecipients.AddRange(individual.Representatives.Where(r => consent.CopyRecipientIds.Contains(r.Id)).Select(r => $"{r.Name} ({SwedishTexts.Kind(r.Kind)})"));
        // The identity number leaves consent here: the log says to whom, for which unit and which case.
        db.Audit(user, unit, "individual.plan-particulars-disclosed", individual.Id, Guid.TryParse(request.CaseId, out var caseId) ? caseId : null,
            "SIP: plan med personens identitet", clock.GetUtcNow());
        await db.SaveChangesAsync(context.CancellationToken);
        return reply;
    }

    public override async Task<LetterDisclosureReply> GetLetterDisclosure(LetterDisclosureRequest request, ServerCallContext context)
    {
        // Meeting-scheduling asks with its caller's token, like the case service for plan particulars.
        var user = SipUser.From(context.GetHttpContext().User);
        var unit = CallersUnit(user, request.UnitId);
        if (!Enum.TryParse<LetterRecipientKind>(request.RecipientKind, ignoreCase: false, out var recipient) || !Enum.IsDefined(recipient))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"unknown recipient_kind; one of {string.Join(", ", Enum.GetNames<LetterRecipientKind>())}"));
        }
        Guid? representativeId = null;
        if (request.RepresentativeId.Length > 0)
        {
            representativeId = Guid.TryParse(request.RepresentativeId, out var r) && recipient != LetterRecipientKind.Individual
                ? r
                : throw new RpcException(new Status(StatusCode.InvalidArgument, "representative_id must be a UUID, and not given for the individual"));
        }
        var (_, individual) = await CoveringConsentAsync(request.TenantId, request.IndividualId, request.UnitId, context);
        if (representativeId is { } id && individual.Representatives.All(r => r.Id != id))
        {
            throw new RpcException(new Status(StatusCode.NotFound, "no such representative is recorded for the individual"));
        }
        var letter = individual.LetterTo(recipient, representativeId, unit);
        // Whether the home may be named, and possibly an address, leave consent here: the log says to whom and for which case.
        db.Audit(user, unit, "individual.letter-disclosure", individual.Id, Guid.TryParse(request.CaseId, out var caseId) ? caseId : null,
            "SIP: kallelse till möte", clock.GetUtcNow());
        await db.SaveChangesAsync(context.CancellationToken);
        return new LetterDisclosureReply
        {
            ProtectedIdentity = letter.ProtectedIdentity,
            HomeAddressVisible = letter.HomeAddressVisible,
            IndividualAddress = letter.IndividualAddress ?? "",
            RecipientName = letter.RecipientName ?? "",
            RecipientAddress = letter.RecipientAddress ?? "",
        };
    }

    public override async Task<StatisticsProfileReply> GetStatisticsProfile(StatisticsProfileRequest request, ServerCallContext context)
    {
        // Case asks with its caller's token when it opens a case, as for plan particulars.
        var user = SipUser.From(context.GetHttpContext().User);
        var unit = CallersUnit(user, request.UnitId);
        var (_, individual) = await CoveringConsentAsync(request.TenantId, request.IndividualId, request.UnitId, context);
        var (birthDate, sex) = individual.ForStatistics();
        // Birth year and month and sex leave consent here (the number itself never does): the log says to whom and for which case.
        db.Audit(user, unit, "individual.statistics-profile-disclosed", individual.Id, Guid.TryParse(request.CaseId, out var caseId) ? caseId : null,
            "SIP: statistik", clock.GetUtcNow());
        await db.SaveChangesAsync(context.CancellationToken);
        return new StatisticsProfileReply { BirthYear = birthDate?.Year ?? 0, BirthMonth = birthDate?.Month ?? 0, Sex = sex.ToString() };
    }

    /// <summary>The unit the caller asks for, when they work for it (the calling service forwards its caller's token).</summary>
    private static Guid CallersUnit(SipUser user, string unitId) =>
        Guid.TryParse(unitId, out var unit) && user.IsMemberOf(unit)
            ? unit
            : throw new RpcException(new Status(StatusCode.PermissionDenied, "the caller does not work for the unit"));

    /// <summary>
    /// The consent in force that covers the unit, and its individual — for a merged record the survivor, who took over the
    /// representatives. What every disclosure of an individual's particulars rests on.
    /// </summary>
    private async Task<(Domain.Consent Consent, Individual Individual)> CoveringConsentAsync(string tenantId, string individualId, string unitId,
        ServerCallContext context)
    {
        var check = await CheckConsent(new CheckConsentRequest { TenantId = tenantId, IndividualId = individualId, UnitId = unitId }, context);
        if (!check.Allowed)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "no consent in force covers the unit"));
        }
        var consent = await db.Consents.AsNoTracking().SingleAsync(c => c.Id == Guid.Parse(check.ConsentId), context.CancellationToken);
        var individual = await db.Individuals.AsNoTracking().SingleAsync(i => i.Id == consent.IndividualId, context.CancellationToken);
        return (consent, individual);
    }

    private Task<List<Domain.Consent.Terms>> ConsentsOf(string tenantId, Guid individualId, CancellationToken ct) =>
        db.Consents.AsNoTracking().Where(c => c.TenantId == tenantId && c.IndividualId == individualId)
            .Select(c => new Domain.Consent.Terms(c.Id, c.Status, c.ValidFrom, c.ValidUntil, c.UnitIds, c.ExcludedCategories, c.RecordedAt))
            .ToListAsync(ct);
}
