using Microsoft.EntityFrameworkCore;
using Sip.Contracts.Case;
using Sip.Messaging;
using Sip.Statistics.Infrastructure;

namespace Sip.Statistics.Consumers;

/// <summary>Counts initiatives by municipality and month. Keeps no case, unit or individual id: nothing here can be traced back.</summary>
public sealed class InitiativeSentConsumer(StatisticsDbContext db, MessagingMetrics metrics)
    : IdempotentConsumer<InitiativeSent, StatisticsDbContext>(db, metrics)
{
    protected override async Task HandleAsync(InitiativeSent message, CancellationToken ct)
    {
        var month = IMonthlyCount.MonthOf(message.OccurredAt);
        await Db.Database.ExecuteSqlAsync($"""
            INSERT INTO statistics.initiative_counts (tenant_id, municipality_code, month, initiatives)
            VALUES ({message.TenantId}, {message.MunicipalityCode}, {month}, 1)
            ON CONFLICT (tenant_id, municipality_code, month) DO UPDATE SET initiatives = initiative_counts.initiatives + 1
            """, ct);
    }
}
