using System.Globalization;
using Sip.Web.Clients;
using Sip.Web.Resources;

namespace Sip.Web.Components.Pages.Plans;

/// <summary>
/// The draft as the form posts it: everything as typed (dates as text), so a refused save shows the page again with
/// nothing lost. Rows left wholly empty are spare rows, not content.
/// </summary>
public sealed class PlanDraftForm
{
    public const string Save = "spara";
    public const string AddParticipant = "ny-deltagare";
    public const string AddGoal = "nytt-delmal";
    public const string AddActivityPrefix = "ny-aktivitet-";

    public string? ETag { get; set; }
    public string? Command { get; set; }

    public string? Coordinator { get; set; }
    public string? CoordinatorUnitId { get; set; }
    public string? Chair { get; set; }
    public string? FixedCareContacts { get; set; }
    public List<ParticipantInput> Participants { get; set; } = [];
    public string? Reason { get; set; }
    public string? CurrentSituation { get; set; }
    public string? Strengths { get; set; }
    public string? LongTermGoals { get; set; }
    public List<GoalInput> Goals { get; set; } = [];
    public bool NoMeasuresByOthers { get; set; }
    public string? OverallResponsibility { get; set; }
    public string? IndividualView { get; set; }
    public string? GuardiansView { get; set; }
    public string? Disagreements { get; set; }
    public string? CrisisPlan { get; set; }
    public string? FollowUpConvenedBy { get; set; }
    public string? FollowUpDate { get; set; }
    public string? FollowUpCondition { get; set; }
    public string? FollowUpNoLaterThan { get; set; }

    internal static PlanDraftForm From(PlanView plan)
    {
        var c = plan.Content;
        return new PlanDraftForm
        {
            ETag = plan.ETag,
            Coordinator = c.Coordinator,
            CoordinatorUnitId = c.CoordinatorUnitId?.ToString(),
            Chair = c.Chair,
            FixedCareContacts = Lines(c.FixedCareContacts),
            Participants = c.Participants.Select(p => new ParticipantInput
            {
                Name = p.Name, Role = p.Role, UnitId = p.UnitId?.ToString(), Principal = p.Principal, Participation = p.Participation, HowInformed = p.HowInformed,
            }).ToList(),
            Reason = c.Reason,
            CurrentSituation = c.CurrentSituation,
            Strengths = c.Strengths,
            LongTermGoals = Lines(c.LongTermGoals),
            Goals = c.ShortTermGoals.Select(g => new GoalInput
            {
                Id = g.Id.ToString(),
                Text = g.Text,
                Activities = g.Activities.Select(a => new ActivityInput
                {
                    Id = a.Id.ToString(), What = a.What, ResponsibleKind = a.ResponsibleKind, ResponsibleUnitId = a.ResponsibleUnitId?.ToString(),
                    ResponsiblePerson = a.ResponsiblePerson, Principal = a.Principal, Timing = a.Timing, Start = DateText(a.Start), End = DateText(a.End),
                    Place = a.Place, Status = a.Status,
                }).ToList(),
            }).ToList(),
            NoMeasuresByOthers = c.NoMeasuresByOthers,
            OverallResponsibility = c.OverallResponsibility,
            IndividualView = c.IndividualView,
            GuardiansView = c.GuardiansView,
            Disagreements = Lines(c.Disagreements),
            CrisisPlan = c.CrisisPlan,
            FollowUpConvenedBy = c.NextFollowUp?.ConvenedBy,
            FollowUpDate = DateText(c.NextFollowUp?.Date),
            FollowUpCondition = c.NextFollowUp?.Condition,
            FollowUpNoLaterThan = DateText(c.NextFollowUp?.NoLaterThan),
        };
    }

    /// <summary>Spare rows at the end of each list, so a person can write one more without a round trip.</summary>
    public void EnsureSpareRows()
    {
        if (Participants.Count == 0)
        {
            Participants.Add(new ParticipantInput());
        }
        if (Goals.Count == 0)
        {
            Goals.Add(new GoalInput());
        }
        foreach (var goal in Goals.Where(g => g.Activities.Count == 0))
        {
            goal.Activities.Add(new ActivityInput());
        }
    }

    /// <summary>The content to send, or the fields whose text is not a date (keyed by the input's id).</summary>
    internal (PlanContent? Content, Dictionary<string, string> Errors) ToContent()
    {
        var errors = new Dictionary<string, string>();
        DateOnly? Date(string? text, string field)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }
            if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }
            errors[field] = PlanTexts.Error_Date;
            return null;
        }

        var goals = new List<ShortTermGoal>();
        for (var g = 0; g < Goals.Count; g++)
        {
            var goal = Goals[g];
            var activities = new List<PlanActivity>();
            for (var a = 0; a < goal.Activities.Count; a++)
            {
                var row = goal.Activities[a];
                if (row.IsEmpty)
                {
                    continue;
                }
                var kind = row.ResponsibleKind ?? "Unit";
                activities.Add(new PlanActivity(
                    ParseId(row.Id), row.What?.Trim() ?? "", kind,
                    kind == "Unit" ? ParseUnit(row.ResponsibleUnitId) : null,
                    Blank(row.ResponsiblePerson),
                    Blank(row.Principal),
                    Blank(row.Timing), Date(row.Start, $"aktivitet-{g}-{a}-start"), Date(row.End, $"aktivitet-{g}-{a}-slut"), Blank(row.Place),
                    Blank(row.Status) ?? "NotStarted"));
            }
            if (string.IsNullOrWhiteSpace(goal.Text) && activities.Count == 0)
            {
                continue;
            }
            goals.Add(new ShortTermGoal(ParseId(goal.Id), goal.Text?.Trim() ?? "", activities));
        }

        var followUpDate = Date(FollowUpDate, "uppfoljning-datum");
        var followUpLatest = Date(FollowUpNoLaterThan, "uppfoljning-senast");
        var followUp = string.IsNullOrWhiteSpace(FollowUpConvenedBy) && followUpDate is null && followUpLatest is null && string.IsNullOrWhiteSpace(FollowUpCondition)
            ? null
            : new PlanFollowUp(FollowUpConvenedBy?.Trim() ?? "", followUpDate, Blank(FollowUpCondition), followUpLatest);

        var content = new PlanContent(
            Participants.Where(p => !p.IsEmpty).Select(p => new PlanParticipant(p.Name?.Trim() ?? "", p.Participation ?? "InPerson", Blank(p.Role),
                ParseUnit(p.UnitId), Blank(p.Principal), Blank(p.HowInformed))).ToList(),
            SplitLines(FixedCareContacts), SplitLines(LongTermGoals), goals, SplitLines(Disagreements),
            NoMeasuresByOthers, Blank(Coordinator), ParseUnit(CoordinatorUnitId), Blank(Chair), Blank(Reason), Blank(CurrentSituation), Blank(Strengths),
            Blank(OverallResponsibility), Blank(IndividualView), Blank(GuardiansView), Blank(CrisisPlan), followUp);
        return (errors.Count == 0 ? content : null, errors);
    }

    private static Guid ParseId(string? id) => Guid.TryParse(id, out var g) ? g : Guid.NewGuid();

    private static Guid? ParseUnit(string? id) => Guid.TryParse(id, out var g) ? g : null;

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string Lines(IEnumerable<string> lines) => string.Join("\n", lines);

    private static List<string> SplitLines(string? text) =>
        (text ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();

    private static string? DateText(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

public sealed class ParticipantInput
{
    public string? Name { get; set; }
    public string? Role { get; set; }
    public string? UnitId { get; set; }
    public string? Principal { get; set; }
    public string? Participation { get; set; } = "InPerson";
    public string? HowInformed { get; set; }

    internal bool IsEmpty => string.IsNullOrWhiteSpace(Name) && string.IsNullOrWhiteSpace(Role) && string.IsNullOrWhiteSpace(HowInformed);
}

public sealed class GoalInput
{
    public string? Id { get; set; } = Guid.NewGuid().ToString();
    public string? Text { get; set; }
    public List<ActivityInput> Activities { get; set; } = [];
}

public sealed class ActivityInput
{
    public string? Id { get; set; } = Guid.NewGuid().ToString();
    public string? What { get; set; }
    public string? ResponsibleKind { get; set; } = "Unit";
    public string? ResponsibleUnitId { get; set; }
    public string? ResponsiblePerson { get; set; }
    public string? Principal { get; set; }
    public string? Timing { get; set; }
    public string? Start { get; set; }
    public string? End { get; set; }
    public string? Place { get; set; }
    public string? Status { get; set; }

    internal bool IsEmpty => string.IsNullOrWhiteSpace(What) && string.IsNullOrWhiteSpace(ResponsiblePerson) && string.IsNullOrWhiteSpace(Timing)
        && string.IsNullOrWhiteSpace(Place) && string.IsNullOrWhiteSpace(Start) && string.IsNullOrWhiteSpace(End);
}
