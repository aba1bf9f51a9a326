using Sip.ServiceDefaults;

namespace Sip.Case.Domain;

public sealed record MessageAcknowledgement(Guid UnitId, string By, DateTimeOffset At);

/// <summary>
/// A message among the units taking part in a case (to agree a time, about urgency…), for information or
/// for acknowledgement. Never for medical history or social investigations: those stay in each principal's record.
/// </summary>
public sealed class CaseMessage
{
    public const int MaxLength = 2000;

    private CaseMessage()
    {
    }

    public Guid Id { get; private init; }
    public Guid CaseId { get; private init; }
    public Guid FromUnitId { get; private init; }
    public List<Guid> ToUnitIds { get; private init; } = [];
    public string Text { get; private init; } = "";
    public bool RequiresAcknowledgement { get; private init; }
    public string SentBy { get; private init; } = "";
    public DateTimeOffset SentAt { get; private init; }
    public List<Guid> AcknowledgedByUnitIds { get; private init; } = [];
    public List<MessageAcknowledgement> Acknowledgements { get; private init; } = [];

    public static CaseMessage Send(SipCase sipCase, Guid fromUnitId, IReadOnlyCollection<Guid> toUnitIds, string text, bool requiresAcknowledgement, string by, DateTimeOffset now)
    {
        sipCase.Touch(now);
        var recipients = (toUnitIds.Count == 0 ? sipCase.ParticipantUnitIds : toUnitIds).Where(u => u != fromUnitId).Distinct().ToList();
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxLength)
        {
            throw new DomainException("message-text", "Meddelandet saknar text eller är för långt", $"Skriv 1–{MaxLength} tecken.", StatusCodes.Status400BadRequest);
        }
        if (recipients.Count == 0 || recipients.Any(u => !sipCase.IsParticipant(u)))
        {
            throw new DomainException("recipient-not-participant", "Mottagaren deltar inte i ärendet",
                "Meddelanden går bara till enheter som deltar i ärendet.", StatusCodes.Status422UnprocessableEntity);
        }
        return new CaseMessage
        {
            Id = Guid.CreateVersion7(now),
            CaseId = sipCase.Id,
            FromUnitId = fromUnitId,
            ToUnitIds = recipients,
            Text = text.Trim(),
            RequiresAcknowledgement = requiresAcknowledgement,
            SentBy = by,
            SentAt = now,
        };
    }

    public void Acknowledge(Guid unitId, string by, DateTimeOffset now)
    {
        if (!ToUnitIds.Contains(unitId))
        {
            throw new DomainException("not-found", "Hittades inte", status: StatusCodes.Status404NotFound);
        }
        if (!RequiresAcknowledgement || AcknowledgedByUnitIds.Contains(unitId))
        {
            throw new DomainException("nothing-to-acknowledge", "Inget att kvittera",
                RequiresAcknowledgement ? "Enheten har redan kvitterat meddelandet." : "Meddelandet är för kännedom.", StatusCodes.Status409Conflict);
        }
        AcknowledgedByUnitIds.Add(unitId);
        Acknowledgements.Add(new MessageAcknowledgement(unitId, by, now));
    }
}
