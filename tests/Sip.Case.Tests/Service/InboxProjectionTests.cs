using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Sip.Case.Apis;
using Sip.Case.Infrastructure;
using Sip.Contracts.Consent;
using Sip.Testing;

namespace Sip.Case.Tests.Service;

/// <summary>
/// A unit's inbox is read from rows that every save of a case rewrites (<see cref="InboxProjection"/>): they must always be
/// what the rules make of the case as committed, also when several saves of one case run at once, and what depends on
/// the time of reading must follow the clock.
/// </summary>
public sealed class InboxProjectionTests(CaseServiceHost host) : IClassFixture<CaseServiceHost>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<UnitsScene> SceneAsync() => host.UnitsSceneAsync(Ct);

    private async Task<JsonElement> OpenAsync(HttpClient nurse, UnitsScene s, Guid? individual = null) =>
        await (await nurse.PostAsJsonAsync("api/v1/cases", new
        {
            individualId = individual ?? Guid.NewGuid(), actingUnitId = s.Opener, municipalityCode = "1481",
            reason = "Behöver samordnade insatser från vårdcentral, BUP och socialtjänst.", urgency = "Normal",
            initiativeUnitIds = new[] { s.Municipality, s.Other },
        }, Ct)).JsonAsync(HttpStatusCode.Created);

    private static async Task<JsonElement> InboxAsync(HttpClient staff, Guid unit, string query = "") =>
        await (await staff.GetAsync($"api/v1/cases/inbox?unitId={unit}&pageSize=100{query}", Ct)).JsonAsync(HttpStatusCode.OK);

    /// <summary>The case's rows as stored, and as the rules make them from the committed case, in one comparable form.</summary>
    private Task<(string[] Stored, string[] Rebuilt)> RowsAsync(Guid caseId) => host.QueryAsync(async db =>
    {
        static string Row(InboxEntry e) => $"{e.UnitId} {e.Kind} {e.ItemId} {e.DueAt?.UtcTicks} {e.OverdueAfter?.UtcTicks} {e.ShownFrom?.UtcTicks} {e.ReceivedAt.UtcTicks} {e.Obligation}";
        var stored = await db.InboxEntries.Where(e => e.CaseId == caseId).AsNoTracking().ToListAsync(Ct);
        var rebuilt = await InboxProjection.EntriesOfAsync(db, [caseId], Ct);
        return (stored.Select(Row).Order().ToArray(), rebuilt.Select(Row).Order().ToArray());
    });

    [Fact]
    public async Task Saves_of_one_case_at_the_same_time_leave_exactly_the_rows_its_committed_state_makes()
    {
        var s = await SceneAsync();
        using var nurse = host.As(s.Nurse, s.Opener);
        using var social = host.As(s.Social, s.Municipality);
        using var bup = host.As(s.OtherStaff, s.Other);
        var individual = Guid.NewGuid();
        var opened = await OpenAsync(nurse, s, individual);
        var caseId = opened.GetProperty("caseId").GetGuid();
        Guid To(Guid unit) => opened.GetProperty("initiatives").EnumerateArray().Single(i => i.GetProperty("toUnitId").GetGuid() == unit).GetProperty("initiativeId").GetGuid();

        // Both units answer while the nurse sends messages that await their acknowledgement, all at once: each save rewrites
        // the case's rows. A save that lost the race for the case (409) is sent again, as a client does.
        async Task<HttpStatusCode> SendAsync(Func<Task<HttpResponseMessage>> send)
        {
            for (var attempt = 1; ; attempt++)
            {
                using var response = await send();
                if (response.StatusCode != HttpStatusCode.Conflict || attempt == 20)
                {
                    return response.StatusCode;
                }
            }
        }
        var writes = new[]
        {
            SendAsync(() => social.PostAsJsonAsync($"api/v1/cases/{caseId}/initiatives/{To(s.Municipality)}/acknowledge", new { unitId = s.Municipality }, Ct)),
            SendAsync(() => bup.PostAsJsonAsync($"api/v1/cases/{caseId}/initiatives/{To(s.Other)}/acknowledge", new { unitId = s.Other }, Ct)),
        }.Concat(Enumerable.Range(1, 6).Select(n => SendAsync(() => nurse.PostAsJsonAsync($"api/v1/cases/{caseId}/messages",
            new { unitId = s.Opener, text = $"Meddelande {n}", requiresAcknowledgement = true }, Ct))));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, .. Enumerable.Repeat(HttpStatusCode.Created, 6)], await Task.WhenAll(writes));

        var (stored, rebuilt) = await RowsAsync(caseId);
        Assert.Equal(rebuilt, stored);
        foreach (var (staff, unit) in new[] { (social, s.Municipality), (bup, s.Other) })
        {
            var items = (await InboxAsync(staff, unit)).GetProperty("items").EnumerateArray().Where(i => i.GetProperty("caseId").GetGuid() == caseId).ToList();
            Assert.Equal(["MessageToAcknowledge"], items.Select(i => i.GetProperty("kind").GetString()).Distinct());
            Assert.Equal(6, items.Count);
        }

        // The consent withdrawn, the case is cancelled (by a consumer, in its transaction) and leaves every inbox.
        var withdrawn = new ConsentWithdrawn(Guid.NewGuid(), host.Clock.Now, CaseServiceHost.Tenant, Guid.NewGuid(), individual, [s.Opener, s.Municipality, s.Other]);
        await host.PublishAsync(withdrawn, withdrawn.EventId);
        await Eventually.HoldsAsync(async () => (await RowsAsync(caseId)).Stored.Length == 0, TimeSpan.FromSeconds(30), "the cancelled case left every inbox");
        Assert.Empty((await InboxAsync(social, s.Municipality)).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_draft_shows_late_in_the_inbox_and_under_the_overdue_filter_once_its_due_time_has_passed()
    {
        var s = await SceneAsync();
        using var nurse = host.As(s.Nurse, s.Opener);
        var caseId = (await OpenAsync(nurse, s)).GetProperty("caseId").GetGuid();
        await (await nurse.PostAsJsonAsync($"api/v1/cases/{caseId}/plans", new { unitId = s.Opener, meetingAt = host.Clock.Now.AddHours(-1) }, Ct))
            .JsonAsync(HttpStatusCode.Created);
        JsonElement Draft(JsonElement inbox) => inbox.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("caseId").GetGuid() == caseId);

        var before = Draft(await InboxAsync(nurse, s.Opener, "&kind=PlanToSign"));
        Assert.False(before.GetProperty("overdue").GetBoolean());
        Assert.DoesNotContain((await InboxAsync(nurse, s.Opener, "&kind=PlanToSign&overdue=true")).GetProperty("items").EnumerateArray(),
            i => i.GetProperty("caseId").GetGuid() == caseId);

        // A minute after the due time: late, and found by the overdue filter (the row holds the time, not the flag).
        var due = before.GetProperty("dueAt").GetDateTimeOffset();
        var was = host.Clock.Now;
        host.Clock.Now = due.AddMinutes(1);
        try
        {
            Assert.True(Draft(await InboxAsync(nurse, s.Opener, "&kind=PlanToSign&overdue=true")).GetProperty("overdue").GetBoolean());
        }
        finally
        {
            host.Clock.Now = was;
        }
    }
    [Fact]
    public async Task Items_with_a_deadline_come_first_earliest_first_or_latest_first_then_those_without_in_the_order_of_their_ids()
    {
        var s = await SceneAsync();
        using var nurse = host.As(s.Nurse, s.Opener);
        using var social = host.As(s.Social, s.Municipality);
        var opened = await OpenAsync(nurse, s);
        var caseId = opened.GetProperty("caseId").GetGuid();
        // Beside the initiative the case put in the municipality's inbox: one item due before it, one after, two without a
        // deadline (as the rows of kinds without one are).
        var now = host.Clock.Now;
        await host.QueryAsync(async db =>
        {
            InboxEntry Row(DateTimeOffset? due) => new()
            {
                TenantId = CaseServiceHost.Tenant, UnitId = s.Municipality, Kind = InboxKind.ActivityToFollowUp, ItemId = Guid.NewGuid(), CaseId = caseId,
                CaseReference = opened.GetProperty("reference").GetString()!, ReceivedAt = now, DueAt = due,
            };
            db.InboxEntries.AddRange(Row(now.AddDays(-2)), Row(now.AddDays(30)), Row(null), Row(null));
            return await db.SaveChangesAsync(Ct);
        });

        static (DateTimeOffset? Due, Guid Item)[] Items(JsonElement page) => page.GetProperty("items").EnumerateArray()
            .Select(i => (i.GetProperty("dueAt").ValueKind == JsonValueKind.Null ? (DateTimeOffset?)null : i.GetProperty("dueAt").GetDateTimeOffset(),
                i.GetProperty("itemId").GetGuid()))
            .ToArray();
        var due = await InboxAsync(social, s.Municipality);
        var latestFirst = await InboxAsync(social, s.Municipality, "&sort=-due");

        Assert.Equal(5, due.GetProperty("total").GetInt32());
        var byDue = Items(due);
        var withDeadline = byDue.Where(i => i.Due is not null).ToArray();
        Assert.Equal(3, withDeadline.Length);
        Assert.Equal(withDeadline.OrderBy(i => i.Due), withDeadline);
        Assert.Equal(byDue.Where(i => i.Due is null).OrderBy(i => i.Item), byDue[3..]);
        var byLatest = Items(latestFirst);
        Assert.Equal(withDeadline.Reverse(), byLatest[..3]);
        Assert.Equal(byDue[3..], byLatest[3..]);
    }
}
