using Microsoft.EntityFrameworkCore;
using Sip.Contracts.Case;
using Sip.Messaging;
using Sip.Statistics.Infrastructure;

namespace Sip.Statistics.Consumers;

/// <summary>
/// Counts signed plans by municipality and month, and those signed within 2 working days of the meeting. A later
/// version of the same plan (a follow-up meeting) counts again: it is a plan established after a meeting.
/// Keeps no case, unit or individual id.
/// </summary>
public sealed class PlanSignedConsumer(StatisticsDbContext db, MessagingMetrics metrics)
    : IdempotentConsumer<PlanSigned, StatisticsDbContext>(db, metrics)
{
    protected override async Task HandleAsync(PlanSigned message, CancellationToken ct)
    {
        var month = IMonthlyCount.MonthOf(message.OccurredAt);
        var inTime = message.SignedWithinDeadline ? 1 : 0;
        await Db.Database.ExecuteSqlAsync($"""
            INSERT INTO statistics.plan_counts (tenant_id, municipality_code, month, plans_signed, signed_within_deadline)
            VALUES ({message.TenantId}, {message.MunicipalityCode}, {month}, 1, {inTime})
            ON CONFLICT (tenant_id, municipality_code, month) DO UPDATE
            SET plans_signed = plan_counts.plans_signed + 1, signed_within_deadline = plan_counts.signed_within_deadline + {inTime}
            """, ct);
    }
}
