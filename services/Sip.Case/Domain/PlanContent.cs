namespace Sip.Case.Domain;

public enum Participation
{
    InPerson,
    Video,
    Phone,
    WrittenInput,
    Represented,
}

public enum ResponsibleKind
{
    /// <summary>A unit (and a person at it).</summary>
    Unit,
    /// <summary>The individual themself.</summary>
    Individual,
    /// <summary>A relative or other close person.</summary>
    Relative,
}

public enum ActivityStatus
{
    NotStarted,
    Ongoing,
    Done,
    NotDone,
}

/// <summary>One participant in the meeting behind a plan version, and how they took part.</summary>
public sealed record PlanParticipant(string Name, Participation Participation, string? Role = null, Guid? UnitId = null, Principal? Principal = null);

/// <summary>
/// An activity under a short-term goal. <see cref="Timing"/> is written as plans really are
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

public sealed record FollowUp(DateOnly Date, string ConvenedBy);

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
        var unassigned = Activities.Where(a => a.Principal is null || (a.ResponsibleKind == ResponsibleKind.Unit && a.ResponsibleUnitId is null)).ToList();
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
}
