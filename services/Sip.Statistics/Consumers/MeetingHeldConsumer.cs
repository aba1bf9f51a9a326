using Microsoft.EntityFrameworkCore;
using Sip.Contracts.Meetings;
using Sip.Messaging;
using Sip.Statistics.Domain;
using Sip.Statistics.Infrastructure;

namespace Sip.Statistics.Consumers;

/// <summary>
/// Counts held meetings towards KVÅ AU124 and AU125, and the days from the first initiative to a case's first meeting,
/// by municipality and the month the meeting was held. Keeps no case, meeting, unit or individual id: the wait is kept
/// as a count per number of days, never per case.
/// </summary>
public sealed class MeetingHeldConsumer(StatisticsDbContext db, MessagingMetrics metrics)
    : IdempotentConsumer<MeetingHeld, StatisticsDbContext>(db, metrics)
{
    protected override async Task HandleAsync(MeetingHeld message, CancellationToken ct)
    {
        var month = IMonthlyCount.MonthOf(message.HeldAt);
        var au124 = MeetingMeasures.CountsAsAu124(message.Kind, message.Physical, message.RegionUnitsInPerson) ? 1 : 0;
        var au125 = MeetingMeasures.CountsAsAu125(message.Kind, message.Discharge) ? 1 : 0;
        if (au124 + au125 > 0)
        {
            await Db.Database.ExecuteSqlAsync($"""
                INSERT INTO statistics.meeting_counts (tenant_id, municipality_code, month, au124, au125)
                VALUES ({message.TenantId}, {message.MunicipalityCode}, {month}, {au124}, {au125})
                ON CONFLICT (tenant_id, municipality_code, month) DO UPDATE
                SET au124 = meeting_counts.au124 + {au124}, au125 = meeting_counts.au125 + {au125}
                """, ct);
        }
        if (message is { FirstMeetingOfCase: true, FirstInitiativeAt: { } initiativeAt })
        {
            var days = MeetingMeasures.DaysToFirstMeeting(initiativeAt, message.HeldAt);
            await Db.Database.ExecuteSqlAsync($"""
                INSERT INTO statistics.first_meeting_waits (tenant_id, municipality_code, month, days, cases)
                VALUES ({message.TenantId}, {message.MunicipalityCode}, {month}, {days}, 1)
                ON CONFLICT (tenant_id, municipality_code, month, days) DO UPDATE SET cases = first_meeting_waits.cases + 1
                """, ct);
        }
    }
}
