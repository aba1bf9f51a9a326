using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Sip.Case.Domain;
using Sip.Contracts.Consent;
using Sip.Contracts.Meetings;
using Sip.Contracts.Statistics;
using Sip.Messaging;
using Sip.ServiceDefaults.Data;
using Sip.Testing;

namespace Sip.Case.Tests.Service;

/// <summary>
/// The case service publishes one <see cref="LusDeadlineFact"/> per discharge case and obligation when the obligation
/// settles (issue 16): met when done in time, missed when its due time passed with nothing done or it was done late. On
/// the real database and broker, on a clock the test moves; the facts wait as scheduled events keyed by case, which is
/// how a test finds its own (the facts themselves name no case).
/// </summary>
public sealed class LusDeadlineFactTests(CaseServiceHost host) : IClassFixture<CaseServiceHost>
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(20);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Scene(Guid CaseId, Guid IndividualId, Guid Vardcentral, Guid Socialtjanst, Guid Ward, HttpClient Nurse) : IDisposable
    {
        public string Discharge => $"api/v1/cases/{CaseId}/discharge";

        public void Dispose() => Nurse.Dispose();
    }

    /// <summary>A health centre opens a case at <paramref name="at"/> with an initiative to social services; the ward is in the directory.</summary>
    private async Task<Scene> OpenCaseAsync(DateTimeOffset at)
    {
        host.Clock.Now = at;
        var (vardcentral, socialtjanst, ward) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var nurse = $"nurse-{Guid.NewGuid():N}"[..14];
        using var admin = host.As("directory-admin");
        foreach (var (unit, name, principal) in new[] { (vardcentral, "Vårdcentralen Väst", "Region"), (socialtjanst, "Socialtjänsten Väst", "Municipality"), (ward, "Avdelning 7", "Region") })
        {
            await (await admin.PutAsJsonAsync($"api/v1/cases/units/{unit}", new { name, principal, municipalityCode = "1481" }, Ct)).JsonAsync(HttpStatusCode.OK);
        }
        await (await admin.PutAsJsonAsync("api/v1/cases/staff", new
        {
            subject = nurse, name = "Test Testsson", memberships = new[] { new { unitId = vardcentral, roles = new[] { "staff" } } },
        }, Ct)).JsonAsync(HttpStatusCode.OK);
        var client = host.As(nurse, vardcentral);
        var individual = Guid.NewGuid();
        var opened = await (await client.PostAsJsonAsync("api/v1/cases", new
        {
            individualId = individual, actingUnitId = vardcentral, municipalityCode = "1481", reason = "Samordnad hemgång från slutenvården.",
            urgency = "Urgent", initiativeUnitIds = new[] { socialtjanst },
        }, Ct)).JsonAsync(HttpStatusCode.Created);
        return new Scene(opened.GetProperty("caseId").GetGuid(), individual, vardcentral, socialtjanst, ward, client);
    }

    private static object Record(Scene s, string track, DateTimeOffset admittedAt, DateTimeOffset? noticeAt, DateTimeOffset? readyAt, DateTimeOffset? dischargedAt = null) => new
    {
        unitId = s.Vardcentral,
        discharge = new
        {
            admittedAt, inpatientUnitId = s.Ward, track, fixedCareContactUnitId = s.Vardcentral, readyForDischargeAt = readyAt,
            admissionNoticeSentAt = noticeAt, dischargedAt,
        },
    };

    /// <summary>Records the discharge, with If-Match when there is a record already; returns the new ETag.</summary>
    private static async Task<string> RecordAsync(Scene s, object record, string? etag = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, s.Discharge) { Content = JsonContent.Create(record) };
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }
        using var response = await s.Nurse.SendAsync(request, Ct);
        await response.JsonAsync(HttpStatusCode.OK);
        return response.Headers.ETag!.Tag;
    }

    private sealed record Timer(string Obligation, bool Fired, bool Pending, DateTimeOffset FiresAt, LusDeadlineFact Fact);

    private Task<List<Timer>> TimersAsync(Scene s) => host.QueryAsync(async db =>
        (await db.Set<ScheduledEvent>().AsNoTracking().Where(t => t.Key.StartsWith($"lus-fact/{s.CaseId}/")).ToListAsync(Ct))
        .Select(t => new Timer(t.Key.Split('/')[2], t.FiredAt is not null, t.IsPending, t.DueAt, JsonSerializer.Deserialize<LusDeadlineFact>(t.Body, MessageTypes.Json)!))
        .ToList());

    /// <summary>The facts that left (or are leaving: the fired timer and its outbox row are written in one statement).</summary>
    private async Task<List<LusDeadlineFact>> PublishedAsync(Scene s) => (await TimersAsync(s)).Where(t => t.Fired).Select(t => t.Fact).ToList();

    private Task FiredAsync(Scene s, string obligation) =>
        Eventually.HoldsAsync(async () => (await TimersAsync(s)).Any(t => t.Obligation == obligation && t.Fired), Soon, $"the {obligation} fact is published");

    private Task ProcessedAsync(string consumer, Guid messageId) =>
        Eventually.HoldsAsync(() => host.QueryAsync(db => db.Set<InboxMessage>().AnyAsync(m => m.Consumer == consumer && m.MessageId == messageId, Ct)), Soon,
            $"{consumer} processed {messageId}");

    private async Task SummonsSentAsync(Scene s, DateTimeOffset sentAt)
    {
        var summons = new SummonsSent(Guid.NewGuid(), sentAt, CaseServiceHost.Tenant, Guid.NewGuid(), Guid.NewGuid(), s.CaseId, "SIP-2027-000001", "Planning",
            s.Vardcentral, s.Socialtjanst, sentAt.AddDays(2), sentAt.AddDays(1), "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
        await host.PublishAsync(summons, summons.EventId);
        await ProcessedAsync("SummonsSentConsumer", summons.EventId);
    }

    [Fact]
    public async Task Obligations_met_in_time_are_published_once_each_as_met_for_the_unit_that_owed_them()
    {
        var t0 = new DateTimeOffset(2027, 9, 6, 8, 0, 0, TimeSpan.Zero);
        using var s = await OpenCaseAsync(t0);
        await using var probe = await host.ListenAsync<LusDeadlineFact>();
        var admitted = t0.AddDays(-2);
        var ready = t0.AddHours(-2);

        // The ward sent the admission notice within 24 hours: met, and settled at once. The summons is not yet sent.
        await RecordAsync(s, Record(s, "Green", admitted, admitted.AddHours(3), ready));
        await FiredAsync(s, "AdmissionNotice");
        var waiting = Assert.Single(await TimersAsync(s), t => t.Obligation == "Summons");
        Assert.Equal((true, false, ready.AddDays(3), ready.AddDays(4)), (waiting.Pending, waiting.Fact.Met, waiting.Fact.DueAt, waiting.FiresAt));

        // The summons goes out on day two: the waiting miss gives way to one met fact.
        host.Clock.Now = ready.AddDays(2);
        await SummonsSentAsync(s, ready.AddDays(2));
        await FiredAsync(s, "Summons");

        var published = await PublishedAsync(s);
        Assert.Equal([("AdmissionNotice", true, admitted.AddHours(24)), ("Summons", true, ready.AddDays(3))],
            published.OrderBy(f => f.Obligation).Select(f => (f.Obligation, f.Met, f.DueAt)));
        Assert.DoesNotContain(await TimersAsync(s), t => t.Pending);
        // On the broker: pseudonymous, counted for the unit that owed it (the ward the notice, the fixed care contact's unit the summons).
        var notice = await probe.WaitForAsync(m => m.GetProperty("dimensions").GetProperty("unitId").GetGuid() == s.Ward);
        var summons = await probe.WaitForAsync(m => m.GetProperty("dimensions").GetProperty("unitId").GetGuid() == s.Vardcentral);
        Assert.Equal(("Green", "AdmissionNotice", true, "Region", true), (notice.GetProperty("track").GetString(), notice.GetProperty("obligation").GetString(),
            notice.GetProperty("met").GetBoolean(), notice.GetProperty("dimensions").GetProperty("principal").GetString(),
            notice.GetProperty("dimensions").GetProperty("discharge").GetBoolean()));
        Assert.Equal(("Summons", true), (summons.GetProperty("obligation").GetString(), summons.GetProperty("met").GetBoolean()));
        Assert.DoesNotContain(s.CaseId.ToString(), notice.GetRawText() + summons.GetRawText());
    }

    [Fact]
    public async Task A_due_time_passing_with_nothing_done_publishes_one_miss_and_doing_it_late_afterwards_publishes_nothing_more()
    {
        var t0 = new DateTimeOffset(2027, 9, 13, 8, 0, 0, TimeSpan.Zero);
        using var s = await OpenCaseAsync(t0);
        var ready = t0.AddHours(-1);
        await RecordAsync(s, Record(s, "Yellow", t0.AddDays(-3), t0.AddDays(-3).AddHours(1), ready));
        await FiredAsync(s, "AdmissionNotice");

        // Three days pass without a summons; a day later (for reports still on their way) the miss counts.
        host.Clock.Now = ready.AddDays(4).AddMinutes(1);
        await FiredAsync(s, "Summons");
        var miss = Assert.Single(await PublishedAsync(s), f => f.Obligation == "Summons");
        Assert.Equal((false, ready.AddDays(3), ready.AddDays(3), "Yellow"), (miss.Met, miss.DueAt, miss.OccurredAt, miss.Track));

        // The summons goes out late: the obligation was settled when the miss left, and stays so.
        host.Clock.Now = ready.AddDays(5);
        await SummonsSentAsync(s, ready.AddDays(5));
        var timers = (await TimersAsync(s)).Where(t => t.Obligation == "Summons").ToList();
        Assert.Equal((true, false), (Assert.Single(timers).Fired, timers[0].Fact.Met));
    }

    [Fact]
    public async Task A_late_summons_reported_before_the_miss_counts_gives_way_to_an_earlier_one_delivered_out_of_order_and_the_deadline_counts_as_met()
    {
        var t0 = new DateTimeOffset(2027, 9, 20, 8, 0, 0, TimeSpan.Zero);
        using var s = await OpenCaseAsync(t0);
        var ready = t0.AddHours(-1);
        await RecordAsync(s, Record(s, "Green", t0.AddDays(-3), t0.AddDays(-3).AddHours(1), ready));

        // Three days and a few hours on, meeting-scheduling reports a summons sent on day four: late, and the miss waits ...
        host.Clock.Now = ready.AddDays(3).AddHours(6);
        await SummonsSentAsync(s, ready.AddDays(3).AddHours(5));
        var late = Assert.Single(await TimersAsync(s), t => t.Obligation == "Summons");
        Assert.Equal((true, false, ready.AddDays(4)), (late.Pending, late.Fact.Met, late.FiresAt));
        // ... until the earlier summons it sent on day two arrives, delivered out of order: the deadline was met after all.
        await SummonsSentAsync(s, ready.AddDays(2));
        await FiredAsync(s, "Summons");

        var summons = (await TimersAsync(s)).Where(t => t.Obligation == "Summons").ToList();
        Assert.True(Assert.Single(summons, t => t.Fired).Fact.Met);
        Assert.DoesNotContain(summons, t => t.Pending);
    }

    [Fact]
    public async Task A_discharge_record_moving_the_due_time_replaces_the_waiting_fact_and_one_fact_with_the_new_due_time_is_published()
    {
        var t0 = new DateTimeOffset(2027, 9, 27, 8, 0, 0, TimeSpan.Zero);
        using var s = await OpenCaseAsync(t0);
        var admitted = t0.AddDays(-3);
        var etag = await RecordAsync(s, Record(s, "Green", admitted, admitted.AddHours(1), t0.AddHours(-1)));
        Assert.Equal(t0.AddHours(-1).AddDays(3), Assert.Single(await TimersAsync(s), t => t.Obligation == "Summons" && t.Pending).Fact.DueAt);

        // The ward corrects the ready-for-discharge date a day earlier, and moves the case to the red track.
        host.Clock.Now = t0.AddHours(2);
        var correctedReady = t0.AddDays(-1);
        await RecordAsync(s, Record(s, "Red", admitted, admitted.AddHours(1), correctedReady), etag);
        var summons = (await TimersAsync(s)).Where(t => t.Obligation == "Summons").ToList();
        Assert.Equal(2, summons.Count);
        var waiting = Assert.Single(summons, t => t.Pending);
        Assert.Equal((correctedReady.AddDays(3), "Red", false), (waiting.Fact.DueAt, waiting.Fact.Track, waiting.Fact.Met));

        host.Clock.Now = correctedReady.AddDays(4).AddMinutes(1);
        await FiredAsync(s, "Summons");
        var published = Assert.Single(await PublishedAsync(s), f => f.Obligation == "Summons");
        Assert.Equal((correctedReady.AddDays(3), "Red", false), (published.DueAt, published.Track, published.Met));
        // The red track's meeting has no due time until the discharge date is known: nothing waits for it.
        Assert.DoesNotContain(await TimersAsync(s), t => t.Obligation == "MeetingBeforeDischarge");
    }

    [Fact]
    public async Task A_case_cancelled_before_the_due_times_publishes_no_fact_for_what_was_not_yet_due()
    {
        var t0 = new DateTimeOffset(2027, 10, 4, 8, 0, 0, TimeSpan.Zero);
        using var s = await OpenCaseAsync(t0);
        var discharged = t0.AddHours(-1);
        // Green track, discharged: the summons (ready + 3 days) and the meeting (discharge + 28 days) are ahead.
        await RecordAsync(s, Record(s, "Green", t0.AddDays(-2), t0.AddDays(-2).AddHours(1), t0.AddHours(-5), discharged));
        await FiredAsync(s, "AdmissionNotice");
        Assert.Equal(["MeetingAfterDischarge", "Summons"], (await TimersAsync(s)).Where(t => t.Pending).Select(t => t.Obligation).Order());

        host.Clock.Now = t0.AddDays(1);
        var withdrawn = new ConsentWithdrawn(Guid.NewGuid(), t0.AddDays(1), CaseServiceHost.Tenant, Guid.NewGuid(), s.IndividualId, [s.Vardcentral, s.Socialtjanst]);
        await host.PublishAsync(withdrawn, withdrawn.EventId);
        await ProcessedAsync("ConsentWithdrawnConsumer", withdrawn.EventId);
        Assert.Equal(CaseStatus.Cancelled, (await host.QueryAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.Id == s.CaseId, Ct))).Status);

        Assert.Equal([("AdmissionNotice", true)], (await PublishedAsync(s)).Select(f => (f.Obligation, f.Met)));
        // Cancelled timers never fire: what was not yet due is void.
        Assert.DoesNotContain(await TimersAsync(s), t => t.Pending);
    }
}
