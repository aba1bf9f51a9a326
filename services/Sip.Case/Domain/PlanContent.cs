using Sip.ServiceDefaults;

namespace Sip.Case.Domain;

public enum Participation
{
    InPerson,
    Video,
    Phone,
    WrittenInput,
    Represented,
    /// <summary>
    /// Not at the meeting (often a child): <see cref="PlanParticipant.HowInformed"/> says how they are informed or heard —
    /// through a guardian, a letter, a phone call, a support person (SIP-DOMAIN §3).
    /// </summary>
    NotPresent,
}

/// <summary>Who carries out an activity. Only a unit's measure has a principal; the others are measures by someone other than the principals.</summary>
public enum ResponsibleKind
{
    /// <summary>A unit (and a person at it).</summary>
    Unit,
    /// <summary>The individual themself.</summary>
    Individual,
    /// <summary>A relative or other close person.</summary>
    Relative,
    /// <summary>A guardian (vårdnadshavare) of a child.</summary>
    Guardian,
    /// <summary>A god man: an adult's, or an unaccompanied minor's in the guardian's place.</summary>
    GodMan,
}

public enum ActivityStatus
{
    NotStarted,
    Ongoing,
    Done,
    NotDone,
}

/// <summary>One participant in the meeting behind a plan version, and how they took part (or, not present, how they are informed or heard).</summary>
public sealed record PlanParticipant(string Name, Participation Participation, string? Role = null, Guid? UnitId = null, Principal? Principal = null,
    string? HowInformed = null);

/// <summary>
/// An activity under a short-term goal. A unit's measure names the unit and its principal; a measure by the individual,
/// a relative or a guardian names neither (who does it goes in <see cref="ResponsiblePerson"/>, the role is the kind). <see cref="Timing"/> is written as plans really are
/// ("omgående", "vid behov", "1 gång per månad, start efter informationsmötet"); the dates are there
/// when there are any, and only they drive deadlines.
/// </summary>
public sealed record PlanActivity(
    Guid Id,
    string What,
    ResponsibleKind ResponsibleKind,
    Guid? ResponsibleUnitId = null,
    string? ResponsiblePerson = null,
    Principal? Principal = null,
    string? Timing = null,
    DateOnly? Start = null,
    DateOnly? End = null,
    string? Place = null,
    ActivityStatus Status = ActivityStatus.NotStarted);

public sealed record ShortTermGoal(Guid Id, string Text, IReadOnlyList<PlanActivity> Activities);

/// <summary>
/// The next follow-up as plans write it: a date ("15 april"), a date with a condition ("om 3 månader, tidigare om
/// omständigheterna ändras"), or a condition with the latest date it may come ("när Kim har flyttat, senast 1 mars").
/// There is always a date: <see cref="Date"/>, <see cref="NoLaterThan"/> or both.
/// </summary>
public sealed record FollowUp(string ConvenedBy, DateOnly? Date = null, string? Condition = null, DateOnly? NoLaterThan = null)
{
    /// <summary>When the follow-up is due at the latest: what the coordinator's inbox counts down to.</summary>
    public DateOnly? DueBy() => Date ?? NoLaterThan;
}

/// <summary>What a plan version says (SIP-DOMAIN §6). Written by the coordinator; activities updated by their responsible units.</summary>
public sealed record PlanContent(
    IReadOnlyList<PlanParticipant> Participants,
    IReadOnlyList<string> FixedCareContacts,
    IReadOnlyList<string> LongTermGoals,
    IReadOnlyList<ShortTermGoal> ShortTermGoals,
    IReadOnlyList<string> Disagreements,
    /// <summary>Point 3 of the law: set when no measures are to be taken by others than the region and the municipality.</summary>
    bool NoMeasuresByOthers = false,
    string? Coordinator = null,
    Guid? CoordinatorUnitId = null,
    string? Chair = null,
    string? Reason = null,
    string? CurrentSituation = null,
    string? Strengths = null,
    Principal? OverallResponsibility = null,
    string? IndividualView = null,
    string? GuardiansView = null,
    string? CrisisPlan = null,
    FollowUp? NextFollowUp = null)
{
    public static PlanContent Empty => new([], [], [], [], []);

    public IEnumerable<PlanActivity> Activities => ShortTermGoals.SelectMany(g => g.Activities);

    /// <summary>
    /// The four points the law requires (SoL 2 kap. 7 §, HSL 16 kap. 4 §): which measures are needed, which
    /// principal answers for which, what others than the principals will do, and who holds overall responsibility.
    /// Returns the Swedish description of each point not yet answered.
    /// </summary>
    public IReadOnlyList<string> MissingLegalPoints()
    {
        var missing = new List<string>();
        if (!Activities.Any())
        {
            missing.Add("1. Vilka insatser som behövs: planen har inga aktiviteter.");
        }
        // Only a unit's measure has a principal: the individual's, a relative's or a guardian's answers to point 3 instead.
        var unassigned = Activities.Where(a => a.ResponsibleKind == ResponsibleKind.Unit && (a.Principal is null || a.ResponsibleUnitId is null)).ToList();
        if (unassigned.Count > 0)
        {
            missing.Add($"2. Vilken huvudman som ansvarar för vilka insatser: {unassigned.Count} aktivitet(er) saknar huvudman eller ansvarig enhet ({string.Join(", ", unassigned.Select(a => $"\"{a.What}\""))}).");
        }
        if (!NoMeasuresByOthers && !Activities.Any(a => a.Principal == Domain.Principal.Other || a.ResponsibleKind != ResponsibleKind.Unit))
        {
            missing.Add("3. Vilka åtgärder som vidtas av någon annan än huvudmännen: ange sådana aktiviteter, eller att inga sådana åtgärder behövs.");
        }
        if (OverallResponsibility is not (Domain.Principal.Region or Domain.Principal.Municipality))
        {
            missing.Add("4. Vilken huvudman som har det övergripande ansvaret för planen: regionen eller kommunen.");
        }
        return missing;
    }

    /// <summary>
    /// What a plan must say to be stored at all, draft or not (400): how an absent participant is informed or heard, a
    /// date for the next follow-up, and no responsible unit on a measure that is not a unit's. Details name positions,
    /// never a person.
    /// </summary>
    public void RequireWellFormed()
    {
        for (var i = 0; i < Participants.Count; i++)
        {
            if (Participants[i].Participation == Participation.NotPresent && string.IsNullOrWhiteSpace(Participants[i].HowInformed))
            {
                throw new DomainException("how-informed-missing", "Ange hur personen informeras",
                    $"Deltagare {i + 1} är inte närvarande: ange hur hen informeras eller hörs (howInformed), t.ex. genom vårdnadshavare, brev, telefon eller stödperson.",
                    StatusCodes.Status400BadRequest);
            }
        }
        var misplaced = Activities.Where(a => a.ResponsibleKind != ResponsibleKind.Unit && a.ResponsibleUnitId is not null).ToList();
        if (misplaced.Count > 0)
        {
            throw new DomainException("validation", "Ogiltig begäran",
                $"En insats av den enskilde, en närstående eller en vårdnadshavare har ingen ansvarig enhet ({string.Join(", ", misplaced.Select(a => $"\"{a.What}\""))}). " +
                "Ange vem som gör den i responsiblePerson, eller gör den till enhetens insats (responsibleKind Unit).",
                StatusCodes.Status400BadRequest);
        }
        if (NextFollowUp is { } f)
        {
            if (f.Date is null && f.NoLaterThan is null)
            {
                throw new DomainException("follow-up-date-missing", "Nästa uppföljning saknar datum",
                    "Ange datum för nästa uppföljning (date), eller villkoret (condition) och det datum då uppföljningen senast hålls (noLaterThan).",
                    StatusCodes.Status400BadRequest);
            }
            if (f.Date > f.NoLaterThan)
            {
                throw new DomainException("validation", "Ogiltig begäran", "Nästa uppföljnings datum (date) ligger efter det senaste datumet (noLaterThan).",
                    StatusCodes.Status400BadRequest);
            }
        }
    }
}
