using Sip.Contracts.Grpc.Consent.V1;
using Sip.ServiceDefaults;

namespace Sip.Consent.Domain;

public enum ConsentForm
{
    Written,
    Oral,
    Presumed,
}

/// <summary>Pending until every party whose consent is needed has answered (e.g. the second of two guardians).</summary>
public enum ConsentStatus
{
    Pending,
    Given,
    Refused,
    Withdrawn,
    Expired,
}

/// <summary>On what ground the SIP work may start.</summary>
public enum ConsentBasis
{
    /// <summary>The individual's own consent (an adult, written or oral).</summary>
    Individual,
    /// <summary>A child's guardians: both when there are two, unless the record says why one is enough.</summary>
    Guardians,
    /// <summary>A förvaltare or a särskilt förordnad vårdnadshavare consents; a god man only together with the individual.</summary>
    Representative,
    /// <summary>Presumed (tacit): informed and shows no objection, though unable to express consent.</summary>
    Presumed,
    /// <summary>Exception: the social welfare board's decision under LVU to start without the guardians' consent.</summary>
    LvuDecision,
    /// <summary>Exception: a mature minor's own decision in health care while the guardians refuse.</summary>
    MatureMinorDecision,
}

public enum Decision
{
    Consents,
    Refuses,
}

/// <summary>Categories of information the individual may exclude from the exchange.</summary>
public enum InformationCategory
{
    SomaticCare,
    PsychiatricCare,
    AddictionCare,
    DentalCare,
    FinancialAid,
    DisabilitySupport,
    ChildAndFamily,
    ElderlyCare,
    School,
    Employment,
}

/// <summary>One party's answer. <see cref="RepresentativeId"/> null means the individual; <see cref="ConveyedById"/> a personligt ombud or god man who passed it on.</summary>
public sealed record Declaration(Guid? RepresentativeId, Decision Decision, ConsentForm Form, Guid? ConveyedById, string RecordedBy, DateTimeOffset RecordedAt);

/// <summary>A child is always informed and asked; what the child said is recorded.</summary>
public sealed record ChildView(bool Informed, bool Asked, string? View = null);

/// <summary>For presumed consent: when the person was informed, and what was seen that shows no objection.</summary>
public sealed record PresumedConsent(DateOnly InformedOn, string Observation);

/// <summary>An LVU decision or a mature minor's decision: who decided, when, on what basis.</summary>
public sealed record ExceptionDecision(string DecisionMaker, DateOnly DecidedOn, string Basis, string? Reference = null);

public sealed record Withdrawal(Guid? RepresentativeId, ConsentForm Form, string RecordedBy, DateTimeOffset At, string? Comment);

public sealed record ScopeChange(IReadOnlyList<Guid> UnitIds, IReadOnlyList<InformationCategory> ExcludedCategories, DateOnly ValidUntil,
    Guid? DecidedByRepresentativeId, ConsentForm Form, string RecordedBy, DateTimeOffset At);

/// <summary>
/// One consent (or refusal, or recorded exception) to SIP work for one individual: scoped to the units
/// that may exchange information, minus excluded categories, valid until an end date.
/// </summary>
public sealed class Consent
{
    private Consent()
    {
    }

    public Guid Id { get; private init; }
    public string TenantId { get; private init; } = "";
    public Guid IndividualId { get; private set; }
    public ConsentBasis Basis { get; private init; }
    public ConsentStatus Status { get; private set; }
    public List<Declaration> Declarations { get; private init; } = [];
    public ChildView? ChildView { get; private init; }
    public PresumedConsent? Presumed { get; private init; }
    public ExceptionDecision? Exception { get; private init; }
    public List<Guid> UnitIds { get; private set; } = [];
    public List<InformationCategory> ExcludedCategories { get; private set; } = [];
    /// <summary>Who may receive copies of the plan: representative ids; <see cref="CopyToIndividual"/> for the individual.</summary>
    public List<Guid> CopyRecipientIds { get; private set; } = [];
    public bool CopyToIndividual { get; private set; }
    public DateOnly ValidFrom { get; private init; }
    public DateOnly ValidUntil { get; private set; }
    public string RecordedBy { get; private init; } = "";
    public Guid RecordedByUnitId { get; private init; }
    public DateTimeOffset RecordedAt { get; private init; }
    public DateTimeOffset ChangedAt { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public Withdrawal? Withdrawal { get; private set; }
    public DateTimeOffset? ExpiredAt { get; private set; }
    public List<ScopeChange> ScopeHistory { get; private init; } = [];

    public bool IsActive => Status is ConsentStatus.Pending or ConsentStatus.Given;

    public sealed record Scope(IReadOnlyCollection<Guid> UnitIds, IReadOnlyCollection<InformationCategory> ExcludedCategories,
        IReadOnlyCollection<Guid> CopyRecipientIds, bool CopyToIndividual, DateOnly ValidUntil);

    public sealed record NewDeclaration(Guid? RepresentativeId, Decision Decision, ConsentForm Form, Guid? ConveyedById);

    public static Consent Record(Individual individual, ConsentBasis basis, IReadOnlyCollection<NewDeclaration> declarations,
        ChildView? childView, PresumedConsent? presumed, ExceptionDecision? exception, Scope scope,
        string recordedBy, Guid recordedByUnitId, DateTimeOffset now, DateOnly today)
    {
        ValidateScope(individual, scope, today);
        var child = individual.IsChildOn(today);
        switch (basis)
        {
            case ConsentBasis.Individual when child:
                throw Rule("child-cannot-consent-alone", "Ett barn samtycker inte ensamt",
                    "För ett barn samtycker vårdnadshavarna (grund Guardians). Vill ett moget barn ha SIP när vårdnadshavarna säger nej kan hälso- och sjukvården besluta om undantag (grund MatureMinorDecision).");
            case ConsentBasis.Guardians when !child:
                throw Rule("guardians-for-adult", "Vårdnadshavare samtycker bara för barn",
                    individual.BirthDate is null ? "Personens födelsedatum är okänt." : "Personen är 18 år eller äldre och samtycker själv.");
            case ConsentBasis.Guardians when individual.Representatives.All(r => r.Kind != RepresentativeKind.Guardian):
                throw Rule("no-guardians-registered", "Inga vårdnadshavare är registrerade", "Registrera barnets vårdnadshavare först.");
            case ConsentBasis.Presumed when child:
                throw Rule("presumed-consent-for-child", "Antaget samtycke gäller inte barn", "För ett barn samtycker vårdnadshavarna.");
            case ConsentBasis.Presumed when presumed is null || string.IsNullOrWhiteSpace(presumed.Observation):
                throw Rule("presumed-consent-incomplete", "Beskriv grunden för antaget samtycke",
                    "Ange när personen informerades (presumed.informedOn) och vad som visar att personen inte motsätter sig (presumed.observation).", StatusCodes.Status400BadRequest);
            case ConsentBasis.Presumed when presumed.InformedOn > today:
                throw Rule("date-in-future", "Datumet ligger i framtiden", "Personen kan inte ha informerats ett datum som inte har varit.", StatusCodes.Status400BadRequest);
            case ConsentBasis.LvuDecision or ConsentBasis.MatureMinorDecision when !child:
                throw Rule("exception-for-adult", "Undantaget gäller bara barn", "Personen är 18 år eller äldre och samtycker själv.");
            case ConsentBasis.LvuDecision or ConsentBasis.MatureMinorDecision
                when exception is null || string.IsNullOrWhiteSpace(exception.DecisionMaker) || string.IsNullOrWhiteSpace(exception.Basis):
                throw Rule("exception-decision-incomplete", "Beslutet måste dokumenteras",
                    "Ange vem som fattade beslutet (exception.decisionMaker), datum (exception.decidedOn) och på vilken grund (exception.basis).", StatusCodes.Status400BadRequest);
            case ConsentBasis.LvuDecision or ConsentBasis.MatureMinorDecision when exception.DecidedOn > today:
                throw Rule("date-in-future", "Datumet ligger i framtiden", "Ett beslut kan inte ha fattats ett datum som inte har varit.", StatusCodes.Status400BadRequest);
        }
        if (child && childView is not { Informed: true, Asked: true })
        {
            throw Rule("child-view-missing", "Barnets inställning saknas",
                "Barnet ska alltid informeras och tillfrågas: ange childView med informed och asked, och vad barnet sa.", StatusCodes.Status400BadRequest);
        }
        if (basis == ConsentBasis.Presumed && declarations.Count > 0)
        {
            throw Rule("presumed-consent-with-declarations", "Antaget samtycke har inga uttryckliga svar",
                "Kan personen svara registreras samtycket med grund Individual.", StatusCodes.Status400BadRequest);
        }
        var consent = new Consent
        {
            Id = Guid.CreateVersion7(now),
            TenantId = individual.TenantId,
            IndividualId = individual.Id,
            Basis = basis,
            ChildView = child ? childView : null,
            Presumed = basis == ConsentBasis.Presumed ? presumed : null,
            Exception = basis is ConsentBasis.LvuDecision or ConsentBasis.MatureMinorDecision ? exception : null,
            UnitIds = scope.UnitIds.Distinct().ToList(),
            ExcludedCategories = scope.ExcludedCategories.Distinct().ToList(),
            CopyRecipientIds = scope.CopyRecipientIds.Distinct().ToList(),
            CopyToIndividual = scope.CopyToIndividual,
            ValidFrom = today,
            ValidUntil = scope.ValidUntil,
            RecordedBy = recordedBy,
            RecordedByUnitId = recordedByUnitId,
            RecordedAt = now,
            ChangedAt = now,
            Status = ConsentStatus.Pending,
        };
        foreach (var declaration in declarations)
        {
            consent.AddDeclaration(individual, declaration, recordedBy, now);
        }
        consent.Decide(individual, now);
        if (consent.Status == ConsentStatus.Pending && basis != ConsentBasis.Guardians)
        {
            throw Rule("declaration-missing", "Samtycket saknar ett svar",
                basis switch
                {
                    ConsentBasis.Individual => "Ange den enskildes eget svar (en declaration utan representativeId).",
                    ConsentBasis.Representative => "Ange förvaltarens eller den särskilt förordnade vårdnadshavarens svar — eller, för en god man, även den enskildes eget samtycke.",
                    ConsentBasis.MatureMinorDecision => "Ange barnets eget svar: att barnet vill ha en SIP.",
                    _ => "Ange ett svar.",
                }, StatusCodes.Status400BadRequest);
        }
        return consent;
    }

    /// <summary>A further answer, e.g. the second guardian's.</summary>
    public void Declare(Individual individual, NewDeclaration declaration, string recordedBy, DateTimeOffset now)
    {
        if (Status != ConsentStatus.Pending)
        {
            throw Rule("consent-not-pending", "Samtycket väntar inte på fler svar", $"Samtycket har status {Swedish(Status)}.", StatusCodes.Status409Conflict);
        }
        AddDeclaration(individual, declaration, recordedBy, now);
        Decide(individual, now);
    }

    private void AddDeclaration(Individual individual, NewDeclaration declaration, string recordedBy, DateTimeOffset now)
    {
        var party = declaration.RepresentativeId is { } rid
            ? individual.Representatives.SingleOrDefault(r => r.Id == rid)
              ?? throw Rule("representative-not-found", "Företrädaren finns inte", "Registrera företrädaren för personen först.", StatusCodes.Status400BadRequest)
            : null;
        var conveyor = declaration.ConveyedById is { } cid
            ? individual.Representatives.SingleOrDefault(r => r.Id == cid)
              ?? throw Rule("representative-not-found", "Företrädaren finns inte", "Registrera företrädaren för personen först.", StatusCodes.Status400BadRequest)
            : null;
        if (declaration.Form == ConsentForm.Presumed)
        {
            throw Rule("presumed-declaration", "Ett uttryckligt svar är skriftligt eller muntligt", "Antaget samtycke registreras med grund Presumed.", StatusCodes.Status400BadRequest);
        }
        if (conveyor is not null && (party is not null || conveyor.Kind is not (RepresentativeKind.PersonalOmbudsman or RepresentativeKind.GodMan)))
        {
            throw Rule("conveyed-by-not-allowed", "Bara den enskildes eget svar kan framföras av någon annan",
                "Ett personligt ombud eller en god man kan framföra den enskildes eget svar (utan representativeId).", StatusCodes.Status422UnprocessableEntity);
        }
        var allowed = (Basis, party?.Kind) switch
        {
            (ConsentBasis.Individual or ConsentBasis.MatureMinorDecision, null) => true,
            (ConsentBasis.Guardians, RepresentativeKind.Guardian) => true,
            (ConsentBasis.Representative, null or RepresentativeKind.Forvaltare or RepresentativeKind.AppointedGuardian or RepresentativeKind.GodMan) => true,
            _ => false,
        };
        if (!allowed)
        {
            throw Rule("party-cannot-consent", "Den här personen kan inte lämna samtycket",
                party?.Kind switch
                {
                    RepresentativeKind.Relative => "En närstående kan inte samtycka för den enskilde.",
                    RepresentativeKind.PersonalOmbudsman => "Ett personligt ombud kan inte samtycka i eget namn, bara framföra den enskildes svar (conveyedById).",
                    RepresentativeKind.Guardian => "En vårdnadshavares svar registreras med grund Guardians.",
                    RepresentativeKind.Forvaltare or RepresentativeKind.AppointedGuardian or RepresentativeKind.GodMan => "En förvaltares, god mans eller särskilt förordnad vårdnadshavares svar registreras med grund Representative.",
                    null => "Den enskildes eget svar räcker inte på den här grunden.",
                    _ => null,
                });
        }
        if (Declarations.Any(d => d.RepresentativeId == declaration.RepresentativeId))
        {
            throw Rule("already-declared", "Personen har redan svarat", "Ett svar kan inte ändras; ett samtycke kan återkallas.", StatusCodes.Status409Conflict);
        }
        Declarations.Add(new Declaration(declaration.RepresentativeId, declaration.Decision, declaration.Form, declaration.ConveyedById, recordedBy, now));
        ChangedAt = now;
    }

    /// <summary>Given when every required party consents; refused when any required party refuses; else pending.</summary>
    private void Decide(Individual individual, DateTimeOffset now)
    {
        bool? Answer(Guid? party) => Declarations.FirstOrDefault(d => d.RepresentativeId == party) is { } d ? d.Decision == Decision.Consents : null;
        IEnumerable<bool?> required = Basis switch
        {
            ConsentBasis.Individual or ConsentBasis.MatureMinorDecision => [Answer(null)],
            ConsentBasis.Presumed or ConsentBasis.LvuDecision => [true],
            ConsentBasis.Guardians => GuardianAnswers(individual, Answer),
            ConsentBasis.Representative => RepresentativeAnswers(individual, Answer),
            _ => [null],
        };
        var answers = required.ToList();
        Status = answers.Any(a => a == false) ? ConsentStatus.Refused
            : answers.All(a => a == true) ? ConsentStatus.Given
            : ConsentStatus.Pending;
        DecidedAt = Status == ConsentStatus.Pending ? null : now;
    }

    private IEnumerable<bool?> GuardianAnswers(Individual individual, Func<Guid?, bool?> answer)
    {
        var guardians = individual.Representatives.Where(r => r.Kind == RepresentativeKind.Guardian).Select(r => answer(r.Id)).ToList();
        if (individual.SingleGuardianConsentReason is not null && guardians.Count == 2)
        {
            // The record says why one guardian's consent is enough: any one answer decides.
            return guardians.Any(a => a is not null) ? [guardians.First(a => a is not null)] : [null];
        }
        return guardians;
    }

    private IEnumerable<bool?> RepresentativeAnswers(Individual individual, Func<Guid?, bool?> answer)
    {
        var answered = Declarations.Select(d => (Declaration: d, Kind: individual.Representatives.FirstOrDefault(r => r.Id == d.RepresentativeId)?.Kind)).ToList();
        if (answered.Any(a => a.Kind is RepresentativeKind.Forvaltare or RepresentativeKind.AppointedGuardian))
        {
            return answered.Where(a => a.Kind is RepresentativeKind.Forvaltare or RepresentativeKind.AppointedGuardian).Select(a => (bool?)(a.Declaration.Decision == Decision.Consents));
        }
        if (answered.Any(a => a.Kind == RepresentativeKind.GodMan))
        {
            // A god man represents only with the individual's own consent.
            var own = answer(null);
            if (own is null)
            {
                throw Rule("god-man-without-individual-consent", "En god man kan inte samtycka ensam",
                    "En god man kan företräda den enskilde bara med den enskildes eget samtycke: registrera även den enskildes svar. För den som inte kan samtycka alls: en förvaltare, eller antaget samtycke.");
            }
            return [own, .. answered.Where(a => a.Kind == RepresentativeKind.GodMan).Select(a => (bool?)(a.Declaration.Decision == Decision.Consents))];
        }
        return [null];
    }

    /// <summary>While pending: the guardians (or other parties) whose answer is still awaited; the individual is <see cref="Guid.Empty"/>.</summary>
    public IReadOnlyList<Guid> AwaitedParties(Individual individual)
    {
        if (Status != ConsentStatus.Pending)
        {
            return [];
        }
        var answered = Declarations.Select(d => d.RepresentativeId ?? Guid.Empty).ToHashSet();
        return Basis switch
        {
            ConsentBasis.Guardians => individual.Representatives.Where(r => r.Kind == RepresentativeKind.Guardian && !answered.Contains(r.Id)).Select(r => r.Id).ToList(),
            _ => answered.Contains(Guid.Empty) ? [] : [Guid.Empty],
        };
    }

    public void Withdraw(Individual individual, Guid? representativeId, ConsentForm form, string? comment, string recordedBy, DateTimeOffset now)
    {
        if (Status is ConsentStatus.Withdrawn)
        {
            throw Rule("consent-already-withdrawn", "Samtycket är redan återkallat",
                $"Det återkallades {Sip.ServiceDefaults.Time.SwedishCalendar.Today(Withdrawal!.At):yyyy-MM-dd}.", StatusCodes.Status409Conflict);
        }
        if (!IsActive)
        {
            throw Rule("consent-not-active", "Samtycket gäller inte", $"Samtycket har status {Swedish(Status)} och kan inte återkallas.", StatusCodes.Status409Conflict);
        }
        if (form == ConsentForm.Presumed)
        {
            throw Rule("presumed-withdrawal", "En återkallelse är muntlig eller skriftlig", status: StatusCodes.Status400BadRequest);
        }
        if (representativeId is { } rid)
        {
            var representative = individual.Representatives.SingleOrDefault(r => r.Id == rid)
                ?? throw Rule("representative-not-found", "Företrädaren finns inte", status: StatusCodes.Status400BadRequest);
            if (representative.Kind is RepresentativeKind.Relative or RepresentativeKind.PersonalOmbudsman)
            {
                throw Rule("party-cannot-withdraw", "Den här personen kan inte återkalla samtycket i eget namn",
                    "Bara den enskilde eller en behörig företrädare kan återkalla. Ett personligt ombud framför den enskildes återkallelse: registrera den som den enskildes (utan representativeId).");
            }
        }
        Withdrawal = new Withdrawal(representativeId, form, recordedBy, now, string.IsNullOrWhiteSpace(comment) ? null : comment.Trim());
        Status = ConsentStatus.Withdrawn;
        ChangedAt = now;
    }

    /// <summary>The end date has passed: the same effect as a withdrawal.</summary>
    public bool ExpireIfDue(DateOnly today, DateTimeOffset now)
    {
        if (!IsActive || today <= ValidUntil)
        {
            return false;
        }
        Status = ConsentStatus.Expired;
        ExpiredAt = now;
        ChangedAt = now;
        return true;
    }

    public (IReadOnlyList<Guid> Added, IReadOnlyList<Guid> Removed) ChangeScope(Individual individual, Scope scope, Guid? decidedBy, ConsentForm form,
        string recordedBy, DateTimeOffset now, DateOnly today)
    {
        if (!IsActive)
        {
            throw Rule("consent-not-active", "Samtycket gäller inte", $"Samtycket har status {Swedish(Status)}; registrera ett nytt samtycke.", StatusCodes.Status409Conflict);
        }
        ValidateScope(individual, scope, today);
        if (decidedBy is { } rid)
        {
            var representative = individual.Representatives.SingleOrDefault(r => r.Id == rid)
                ?? throw Rule("representative-not-found", "Företrädaren finns inte", status: StatusCodes.Status400BadRequest);
            var mayDecide = (Basis, representative.Kind) switch
            {
                (ConsentBasis.Guardians or ConsentBasis.LvuDecision or ConsentBasis.MatureMinorDecision, RepresentativeKind.Guardian or RepresentativeKind.AppointedGuardian) => true,
                (ConsentBasis.Representative, RepresentativeKind.Forvaltare or RepresentativeKind.AppointedGuardian) => true,
                _ => false,
            };
            if (!mayDecide)
            {
                throw Rule("party-cannot-consent", "Den här personen kan inte ändra samtycket",
                    "Omfattningen ändras av den som kan samtycka: den enskilde, vårdnadshavare eller förvaltare.");
            }
        }
        var units = scope.UnitIds.Distinct().ToList();
        var added = units.Except(UnitIds).ToList();
        var removed = UnitIds.Except(units).ToList();
        UnitIds = units;
        ExcludedCategories = scope.ExcludedCategories.Distinct().ToList();
        CopyRecipientIds = scope.CopyRecipientIds.Distinct().ToList();
        CopyToIndividual = scope.CopyToIndividual;
        ValidUntil = scope.ValidUntil;
        ScopeHistory.Add(new ScopeChange(units, ExcludedCategories, ValidUntil, decidedBy, form, recordedBy, now));
        ChangedAt = now;
        return (added, removed);
    }

    /// <summary>The record this consent belonged to was merged into another: it follows the person.</summary>
    public void MoveTo(Guid survivorId, DateTimeOffset now)
    {
        IndividualId = survivorId;
        ChangedAt = now;
    }

    /// <summary>Why this consent does not allow <paramref name="unitId"/> to share <paramref name="category"/> on <paramref name="day"/>, or null if it does.</summary>
    public DenialReason? DenialFor(Guid unitId, InformationCategory? category, DateOnly day) => Terms.Of(this).DenialFor(unitId, category, day);

    /// <summary>What the consent check needs of a consent, and nothing else (read without the declarations and history).</summary>
    public sealed record Terms(Guid Id, ConsentStatus Status, DateOnly ValidFrom, DateOnly ValidUntil, List<Guid> UnitIds,
        List<InformationCategory> ExcludedCategories, DateTimeOffset RecordedAt)
    {
        public static Terms Of(Consent c) => new(c.Id, c.Status, c.ValidFrom, c.ValidUntil, c.UnitIds, c.ExcludedCategories, c.RecordedAt);

        public DenialReason? DenialFor(Guid unitId, InformationCategory? category, DateOnly day) => this switch
        {
            { Status: ConsentStatus.Withdrawn } => DenialReason.Withdrawn,
            { Status: ConsentStatus.Refused } => DenialReason.Refused,
            { Status: ConsentStatus.Expired } => DenialReason.Expired,
            { Status: ConsentStatus.Pending } => DenialReason.NoConsent,
            _ when day < ValidFrom => DenialReason.NoConsent,
            _ when day > ValidUntil => DenialReason.Expired,
            _ when !UnitIds.Contains(unitId) => DenialReason.UnitNotCovered,
            _ when category is { } c && ExcludedCategories.Contains(c) => DenialReason.CategoryExcluded,
            _ => null,
        };
    }

    private static void ValidateScope(Individual individual, Scope scope, DateOnly today)
    {
        if (scope.UnitIds.Count == 0)
        {
            throw Rule("consent-without-units", "Samtycket måste omfatta minst en enhet", "Ange vilka enheter som får utbyta information.", StatusCodes.Status400BadRequest);
        }
        if (scope.ValidUntil < today)
        {
            throw Rule("consent-end-date-in-past", "Slutdatumet har redan passerat", "Ett samtycke kan inte gälla till ett datum som har passerat.", StatusCodes.Status400BadRequest);
        }
        if (scope.ValidUntil > today.AddYears(5))
        {
            throw Rule("consent-end-date-too-far", "Slutdatumet ligger för långt fram", "Ett samtycke kan gälla högst fem år; förnya det därefter.", StatusCodes.Status400BadRequest);
        }
        var unknown = scope.CopyRecipientIds.Where(id => individual.Representatives.All(r => r.Id != id)).ToList();
        if (unknown.Count > 0)
        {
            throw Rule("copy-recipient-not-found", "Mottagaren av kopian finns inte",
                "Kopior av planen kan gå till den enskilde och till registrerade företrädare och närstående.", StatusCodes.Status400BadRequest);
        }
    }

    public static string Swedish(ConsentStatus status) => status switch
    {
        ConsentStatus.Pending => "väntar på svar",
        ConsentStatus.Given => "lämnat",
        ConsentStatus.Refused => "nekat",
        ConsentStatus.Withdrawn => "återkallat",
        ConsentStatus.Expired => "upphört (slutdatum passerat)",
        _ => status.ToString(),
    };

    private static DomainException Rule(string slug, string title, string? detail = null, int status = StatusCodes.Status422UnprocessableEntity) =>
        new(slug, title, detail, status);
}
