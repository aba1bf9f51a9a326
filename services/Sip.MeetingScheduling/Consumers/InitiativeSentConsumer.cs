using Microsoft.EntityFrameworkCore;
using Sip.Contracts.Case;
using Sip.MeetingScheduling.Domain;
using Sip.MeetingScheduling.Infrastructure;
using Sip.Messaging;

namespace Sip.MeetingScheduling.Consumers;

public sealed class InitiativeSentConsumer(MeetingDbContext db, MessagingMetrics metrics)
    : IdempotentConsumer<InitiativeSent, MeetingDbContext>(db, metrics)
{
    protected override async Task HandleAsync(InitiativeSent message, CancellationToken ct)
    {
        var due = await Db.SummonsDue.SingleOrDefaultAsync(s => s.CaseId == message.CaseId, ct);
        if (due is null)
        {
            due = SummonsDue.For(message.CaseId, message.TenantId, message.CaseReference, message.FromUnitId, message.OccurredAt);
            Db.SummonsDue.Add(due);
        }
        due.AddInitiative(message.ToUnitId, message.DueAt);
    }
}
