namespace Sip.MeetingScheduling.Domain;

/// <summary>
/// A case whose initiative has gone out and which will need a summons to a planning meeting.
/// Knows the participating units (from the initiatives), never the individual.
/// </summary>
public sealed class SummonsDue
{
    private SummonsDue()
    {
    }

    public Guid CaseId { get; private init; }
    public string TenantId { get; private init; } = "";
    public string CaseReference { get; private init; } = "";
    public List<Guid> UnitIds { get; private init; } = [];
    public DateTimeOffset FirstInitiativeAt { get; private init; }
    public DateTimeOffset AnswersDueAt { get; private set; }

    public static SummonsDue For(Guid caseId, string tenantId, string caseReference, Guid fromUnitId, DateTimeOffset sentAt) => new()
    {
        CaseId = caseId,
        TenantId = tenantId,
        CaseReference = caseReference,
        UnitIds = [fromUnitId],
        FirstInitiativeAt = sentAt,
    };

    public void AddInitiative(Guid toUnitId, DateTimeOffset dueAt)
    {
        if (!UnitIds.Contains(toUnitId))
        {
            UnitIds.Add(toUnitId);
        }
        if (dueAt > AnswersDueAt)
        {
            AnswersDueAt = dueAt;
        }
    }
}
