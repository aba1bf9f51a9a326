using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Sip.Case.Apis;
using Sip.Case.Domain;
using Sip.ServiceDefaults;
using Sip.ServiceDefaults.Data;
using Sip.ServiceDefaults.Time;

namespace Sip.Case.Infrastructure;

/// <summary>
/// One row of a unit's inbox (<see cref="InboxApi"/>), kept by <see cref="InboxProjection"/>. What depends on the time of
/// reading is stored as a time, so that a row stays right without being rewritten: the item is overdue once the time passes
/// <see cref="OverdueAfter"/>, and shown from <see cref="ShownFrom"/> (a follow-up two weeks ahead).
/// </summary>
public sealed class InboxEntry
{
    public long Id { get; init; }
    public required string TenantId { get; init; }
    public Guid UnitId { get; init; }
    public InboxKind Kind { get; init; }
    public Guid ItemId { get; init; }
    public Guid CaseId { get; init; }
    public required string CaseReference { get; init; }
    public Urgency Urgency { get; init; }
    public Guid? FromUnitId { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    /// <summary>Overdue when the time of reading is after this; null: never by time alone.</summary>
    public DateTimeOffset? OverdueAfter { get; init; }
    /// <summary>In the inbox from this time on; null: at once.</summary>
    public DateTimeOffset? ShownFrom { get; init; }
    public int? PlanVersion { get; init; }
    public string? Obligation { get; init; }
}

/// <summary>
/// Keeps every unit's inbox as rows (<c>inbox_entries</c>), so that reading an inbox is one indexed, paged query instead
/// of reading and judging every open plan of the unit (which cost ~45 ms of CPU per read with a few hundred open plans:
/// docs/benchmarks.md, load run Z). Whenever a save changes a case, its initiatives, messages or plans, the
/// <see cref="CaseDbContext"/> rewrites that case's rows in the same transaction (<see cref="RefreshAsync"/>), under a
/// lock on the case row so that two saves of one case cannot both leave their rows. The rules of what awaits whom are
/// here, in <see cref="EntriesOf"/>, and nowhere else.
/// </summary>
public static class InboxProjection
{
    public static readonly TimeSpan FollowUpHorizon = TimeSpan.FromDays(14);

    /// <summary>Raise when <see cref="EntriesOf"/> changes what it puts in an inbox: the next migrate step rebuilds every row.</summary>
    public const int RulesVersion = 1;

    /// <summary>The cases whose inbox rows a save may change.</summary>
    public static HashSet<Guid> TouchedCases(ChangeTracker tracker)
    {
        var touched = new HashSet<Guid>();
        foreach (var entry in tracker.Entries())
        {
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            {
                Guid? caseId = entry.Entity switch
                {
                    SipCase c => c.Id,
                    Initiative i => i.CaseId,
                    PlanVersion p => p.CaseId,
                    CaseMessage m => m.CaseId,
                    _ => null,
                };
                if (caseId is { } id)
                {
                    touched.Add(id);
                }
            }
        }
        return touched;
    }

    /// <summary>
    /// Rewrites the rows of <paramref name="caseIds"/> from what the transaction now sees; the caller saves the added rows.
    /// Must run inside the saving transaction.
    /// </summary>
    public static async Task<List<InboxEntry>> RefreshAsync(CaseDbContext db, IReadOnlyCollection<Guid> caseIds, CancellationToken ct)
    {
        var ids = caseIds.Order().ToArray();
        // One save of a case at a time rewrites its rows; in id order, so that two saves of several cases cannot deadlock.
        // NO KEY UPDATE, the lock an UPDATE of the case takes: FOR UPDATE would also wait for the key-share locks that rows
        // referring to the case take (a message being added), and deadlock with a save that adds one and updates the case.
        await db.Database.ExecuteSqlRawAsync($"SELECT 1 FROM \"{CaseDbContext.Schema}\".cases WHERE id = ANY({{0}}) ORDER BY id FOR NO KEY UPDATE", [ids], ct);
        await db.Set<InboxEntry>().Where(e => ids.Contains(e.CaseId)).ExecuteDeleteAsync(ct);
        var entries = await EntriesOfAsync(db, ids, ct);
        db.Set<InboxEntry>().AddRange(entries);
        return entries;
    }

    /// <summary>Rebuilds every open case's rows, a batch of cases per transaction: after the migration that made the table, or by an operator.</summary>
    public static async Task<int> RebuildAsync(CaseDbContext db, CancellationToken ct, int batch = 200)
    {
        var rows = 0;
        Guid? after = null;
        while (true)
        {
            var ids = await db.Cases.Where(c => c.Status == CaseStatus.Open && (after == null || c.Id.CompareTo(after.Value) > 0))
                .OrderBy(c => c.Id).Select(c => c.Id).Take(batch).ToListAsync(ct);
            if (ids.Count == 0)
            {
                return rows;
            }
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            rows += (await RefreshAsync(db, ids, ct)).Count;
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            after = ids[^1];
        }
    }

    /// <summary>What the rules make of <paramref name="caseIds"/> as the context's transaction sees them (none for a case not open).</summary>
    public static async Task<List<InboxEntry>> EntriesOfAsync(CaseDbContext db, IReadOnlyCollection<Guid> caseIds, CancellationToken ct)
    {
        var cases = await db.Cases.Where(c => caseIds.Contains(c.Id) && c.Status == CaseStatus.Open)
            .Include(c => c.Initiatives).AsNoTracking().ToListAsync(ct);
        if (cases.Count == 0)
        {
            return [];
        }
        var open = cases.Select(c => c.Id).ToArray();
        var messages = await db.Messages.Where(m => open.Contains(m.CaseId) && m.RequiresAcknowledgement).AsNoTracking().ToListAsync(ct);
        var plans = await db.Plans.Where(p => open.Contains(p.CaseId)
                && (p.Status == PlanStatus.Draft || p.Status == PlanStatus.Signed || p.Status == PlanStatus.Locked))
            .AsNoTracking().ToListAsync(ct);
        var messagesOf = messages.ToLookup(m => m.CaseId);
        var plansOf = plans.ToLookup(p => p.CaseId);
        return cases.SelectMany(c => EntriesOf(c, messagesOf[c.Id], plansOf[c.Id])).ToList();
    }

    /// <summary>What an open case has waiting for each unit.</summary>
    public static IEnumerable<InboxEntry> EntriesOf(SipCase sipCase, IEnumerable<CaseMessage> messages, IEnumerable<PlanVersion> plans)
    {
        InboxEntry Entry(Guid unitId, InboxKind kind, Guid itemId, Guid? from, DateTimeOffset received, DateTimeOffset? due,
            DateTimeOffset? overdueAfter, int? planVersion = null, DateTimeOffset? shownFrom = null, string? obligation = null) => new()
        {
            TenantId = sipCase.TenantId, UnitId = unitId, Kind = kind, ItemId = itemId, CaseId = sipCase.Id, CaseReference = sipCase.Reference,
            // Stored as UTC (timestamptz); a Swedish start of day comes with its offset.
            Urgency = sipCase.Urgency, FromUnitId = from, ReceivedAt = received.ToUniversalTime(), DueAt = due?.ToUniversalTime(),
            OverdueAfter = overdueAfter?.ToUniversalTime(), ShownFrom = shownFrom?.ToUniversalTime(), PlanVersion = planVersion, Obligation = obligation,
        };

        foreach (var i in sipCase.Initiatives.Where(i => i.Status is InitiativeStatus.Sent or InitiativeStatus.Overdue))
        {
            // Overdue is the status the deadline worker sets (and tells the units about), not the clock.
            yield return Entry(i.ToUnitId, InboxKind.InitiativeToAnswer, i.Id, i.FromUnitId, i.SentAt, i.DueAt,
                i.Status == InitiativeStatus.Overdue ? DateTimeOffset.MinValue : null);
        }
        foreach (var m in messages)
        {
            foreach (var unitId in m.ToUnitIds.Except(m.AcknowledgedByUnitIds))
            {
                yield return Entry(unitId, InboxKind.MessageToAcknowledge, m.Id, m.FromUnitId, m.SentAt, null, null);
            }
        }
        foreach (var plan in plans)
        {
            var followUp = plan.Content.NextFollowUp?.DueBy() is { } f ? SwedishCalendar.StartOfDay(f) : (DateTimeOffset?)null;
            if (plan.CoordinatorUnitId is { } coordinator)
            {
                if (plan.Status == PlanStatus.Draft)
                {
                    // Late (PlanVersion.IsLate) once the time passes the due time.
                    yield return Entry(coordinator, InboxKind.PlanToSign, plan.Id, null, plan.CreatedAt, plan.DueAt, plan.DueAt, plan.Version);
                }
                if (plan.Status == PlanStatus.Signed)
                {
                    yield return Entry(coordinator, InboxKind.PlanToLock, plan.Id, null, plan.SignedAt ?? plan.ChangedAt, null, null, plan.Version);
                }
                if (plan.Status == PlanStatus.Locked && plan.CopiesToSend.Count > 0)
                {
                    yield return Entry(coordinator, InboxKind.PlanCopiesToSend, plan.Id, null, plan.LockedAt ?? plan.ChangedAt, null, null, plan.Version);
                }
                if (plan.Status == PlanStatus.Locked && followUp is { } meeting)
                {
                    yield return Entry(coordinator, InboxKind.FollowUpDue, plan.Id, null, plan.LockedAt ?? plan.ChangedAt, meeting, meeting, plan.Version,
                        shownFrom: meeting - FollowUpHorizon);
                }
            }
            if (plan.Status != PlanStatus.Draft)
            {
                foreach (var activity in plan.Content.Activities.Where(a => a.ResponsibleUnitId is not null
                    && plan.CurrentStatus(a) is ActivityStatus.NotStarted or ActivityStatus.Ongoing))
                {
                    var due = activity.End is { } end ? SwedishCalendar.StartOfDay(end.AddDays(1)) : followUp;
                    yield return Entry(activity.ResponsibleUnitId!.Value, InboxKind.ActivityToFollowUp, activity.Id, null, plan.SignedAt ?? plan.ChangedAt,
                        due, due, plan.Version);
                }
            }
        }
        if (sipCase.Discharge is { } discharge)
        {
            // Which obligations are done does not depend on the time; only whether they are late does, and that is OverdueAfter.
            foreach (var o in discharge.Obligations(sipCase, DateTimeOffset.MaxValue).Where(o => !o.Done))
            {
                var owedBy = discharge.OwedBy(o, sipCase);
                var involved = owedBy == sipCase.OpenedByUnitId || sipCase.Initiatives.Any(i => i.ToUnitId == owedBy
                    && i.Status is InitiativeStatus.Sent or InitiativeStatus.Overdue or InitiativeStatus.Acknowledged);
                if (involved)
                {
                    yield return Entry(owedBy, InboxKind.DischargeObligationDue, sipCase.Id, null, sipCase.OpenedAt, o.DueAt, o.DueAt, obligation: o.Code);
                }
            }
        }
    }
}

/// <summary>
/// <c>./sip rebuild-inbox</c> (<c>dotnet Sip.Case.dll rebuild-inbox</c>): rewrites every open case's inbox rows. The migrate
/// step runs it while the rows were built with older rules than <see cref="InboxProjection.RulesVersion"/> (first after the
/// migration that made the table); an operator needs it only if rows were changed by hand.
/// </summary>
public sealed class RebuildInboxCommand(IServiceProvider services) : IMaintenanceCommand, IAfterMigrations
{
    private const string Rules = $"\"{CaseDbContext.Schema}\".inbox_rules";

    public string Name => "rebuild-inbox";

    public async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CaseDbContext>();
        var rows = await InboxProjection.RebuildAsync(db, ct);
        await db.Database.ExecuteSqlRawAsync($"UPDATE {Rules} SET version = {{0}}", [InboxProjection.RulesVersion], ct);
        Console.WriteLine($"rebuilt the inbox: {rows} rows");
        return 0;
    }

    public async Task AfterMigrationsAsync(CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var built = await scope.ServiceProvider.GetRequiredService<CaseDbContext>().Database
            .SqlQueryRaw<int>($"SELECT version AS \"Value\" FROM {Rules}").SingleAsync(ct);
        if (built < InboxProjection.RulesVersion)
        {
            await RunAsync([], ct);
        }
    }
}
