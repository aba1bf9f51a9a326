using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Microsoft.EntityFrameworkCore;
using Sip.Case.Domain;
using Sip.Contracts.Case;
using Sip.Contracts.Grpc.Case.V1;
using Sip.Contracts.Meetings;
using Sip.Messaging;
using Sip.ServiceDefaults.Data;
using Sip.Testing;

namespace Sip.Case.Tests.Service;

/// <summary>
/// The case service's side of meeting scheduling (issue 11), on its real database and broker: a held meeting opens the
/// next plan version, summons and meetings count for LUS, and meeting-scheduling asks over gRPC what a unit may see.
/// </summary>
public sealed class MeetingSchedulingTests(CaseServiceHost host) : IClassFixture<CaseServiceHost>
{
    private const string Reason = "Behöver samordnade insatser efter utskrivning.";
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(20);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Units and staff of the test's own, so tests sharing the host do not see each other's.</summary>
    private sealed record Scene(Guid CaseId, string Reference, Guid IndividualId, DateTimeOffset OpenedAt, Guid Vardcentral, Guid Socialtjanst, Guid Bup, Guid Ward,
        string Nurse, string SocialWorker, string Outsider);

    /// <summary>A health centre opens a case with an initiative to social services; child psychiatry is in the directory but takes no part.</summary>
    private async Task<Scene> OpenCaseAsync(DateTimeOffset at)
    {
        host.Clock.Now = at;
        var (vardcentral, socialtjanst, bup, ward) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var tag = Guid.NewGuid().ToString("N")[..8];
        using var admin = host.As("directory-admin");
        foreach (var (unit, name, principal, mailbox) in new[]
                 {
                     (vardcentral, "Vårdcentralen Öst", "Region", "vc-ost@region.example.se"),
                     (socialtjanst, "Socialtjänsten Öst", "Municipality", "soc-ost@kommun.example.se"),
                     (bup, "BUP Öst", "Region", (string?)null),
                     (ward, "Medicinavdelning 3", "Region", null),
                 })
        {
            await (await admin.PutAsJsonAsync($"api/v1/cases/units/{unit}", new { name, principal, municipalityCode = "1481", functionalMailbox = mailbox }, Ct))
                .JsonAsync(HttpStatusCode.OK);
        }
        var (nurse, social, outsider) = ($"nurse-{tag}", $"social-{tag}", $"bup-{tag}");
        foreach (var (subject, unit) in new[] { (nurse, vardcentral), (social, socialtjanst), (outsider, bup) })
        {
            await (await admin.PutAsJsonAsync("api/v1/cases/staff", new
            {
                subject,
                name = "Test Testsson",
                memberships = new[] { new { unitId = unit, roles = new[] { "staff" } } },
            }, Ct)).JsonAsync(HttpStatusCode.OK);
        }
        using var client = host.As(nurse, vardcentral);
        var individual = Guid.NewGuid();
        var opened = await (await client.PostAsJsonAsync("api/v1/cases", new
        {
            individualId = individual,
            actingUnitId = vardcentral,
            municipalityCode = "1481",
            reason = Reason,
            urgency = "Normal",
            initiativeUnitIds = new[] { socialtjanst },
        }, Ct)).JsonAsync(HttpStatusCode.Created);
        return new Scene(opened.GetProperty("caseId").GetGuid(), opened.GetProperty("reference").GetString()!, individual, at, vardcentral, socialtjanst, bup, ward,
            nurse, social, outsider);
    }

    private static MeetingHeld Held(Scene s, string kind, DateTimeOffset heldAt, Guid coordinator) =>
        new(Guid.NewGuid(), heldAt, CaseServiceHost.Tenant, Guid.NewGuid(), s.CaseId, s.Reference, "1481", kind, heldAt, coordinator, [s.Vardcentral, s.Socialtjanst],
            Physical: true, RegionUnitsInPerson: 1, Discharge: false, FirstMeetingOfCase: false, FirstInitiativeAt: s.OpenedAt, NextMeetingId: null);

    private static SummonsSent Summons(Scene s, string kind, DateTimeOffset sentAt) =>
        new(Guid.NewGuid(), sentAt, CaseServiceHost.Tenant, Guid.NewGuid(), Guid.NewGuid(), s.CaseId, s.Reference, kind, s.Vardcentral, s.Socialtjanst,
            sentAt.AddDays(2), sentAt.AddDays(1), "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");

    private Task PublishAsync<T>(T message) where T : class, Sip.Contracts.IIntegrationEvent => host.PublishAsync(message, message.EventId);

    private Task ProcessedAsync(string consumer, Guid messageId) =>
        Eventually.HoldsAsync(() => host.QueryAsync(db => db.Set<InboxMessage>().AnyAsync(m => m.Consumer == consumer && m.MessageId == messageId, Ct)), Soon,
            $"{consumer} processed {messageId}");

    private Task<List<PlanVersion>> PlansAsync(Guid caseId) =>
        host.QueryAsync(db => db.Plans.AsNoTracking().Where(p => p.CaseId == caseId).OrderBy(p => p.Version).ToListAsync(Ct));

    private Task PlanVersionExistsAsync(Guid caseId, int version) =>
        Eventually.HoldsAsync(async () => (await PlansAsync(caseId)).Any(p => p.Version == version), Soon, $"version {version} is opened");

    [Fact]
    public async Task A_held_planning_meeting_opens_version_1_as_a_draft_for_the_coordinators_unit_and_a_later_meeting_no_second_draft()
    {
        var s = await OpenCaseAsync(new DateTimeOffset(2027, 5, 4, 8, 0, 0, TimeSpan.Zero));
        var access = host.CaseAccessAs(s.SocialWorker, s.Socialtjanst);
        var request = new GetCaseForUnitRequest { CaseId = s.CaseId.ToString(), UnitId = s.Socialtjanst.ToString() };
        Assert.Equal(s.Vardcentral.ToString(), (await access.GetCaseForUnitAsync(request, cancellationToken: Ct)).CoordinatorUnitId);
        var heldAt = s.OpenedAt.AddDays(2);
        host.Clock.Now = heldAt.AddHours(1);

        await PublishAsync(Held(s, "Planning", heldAt, s.Socialtjanst));
        await PlanVersionExistsAsync(s.CaseId, 1);

        var plan = Assert.Single(await PlansAsync(s.CaseId));
        Assert.Equal((PlanStatus.Draft, s.Socialtjanst, Reason, heldAt, "meeting-scheduling"),
            (plan.Status, plan.CoordinatorUnitId, plan.Content.Reason, plan.MeetingAt, plan.ChangedBy));
        // The coordinator's unit finds its draft through the plans API, and meeting-scheduling now names it the coordinator.
        using var social = host.As(s.SocialWorker, s.Socialtjanst);
        var read = await (await social.GetAsync($"api/v1/cases/{s.CaseId}/plans/1?unitId={s.Socialtjanst}", Ct)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(s.Socialtjanst, read.GetProperty("content").GetProperty("coordinatorUnitId").GetGuid());
        Assert.Equal(s.Socialtjanst.ToString(), (await access.GetCaseForUnitAsync(request, cancellationToken: Ct)).CoordinatorUnitId);

        // The draft is the coordinator's unsigned work: a follow-up meeting held meanwhile does not bury it under another.
        var followUp = Held(s, "FollowUp", heldAt.AddDays(7), s.Socialtjanst);
        host.Clock.Now = followUp.HeldAt.AddHours(1);
        await PublishAsync(followUp);
        await ProcessedAsync("MeetingHeldConsumer", followUp.EventId);
        Assert.Equal(PlanStatus.Draft, Assert.Single(await PlansAsync(s.CaseId)).Status);
    }

    [Fact]
    public async Task After_signing_the_next_planning_meeting_opens_version_2_with_its_coordinator_supersedes_version_1_and_a_redelivery_or_a_late_older_report_opens_nothing()
    {
        var s = await OpenCaseAsync(new DateTimeOffset(2027, 5, 11, 8, 0, 0, TimeSpan.Zero));
        var first = Held(s, "Planning", s.OpenedAt.AddDays(1), s.Socialtjanst);
        host.Clock.Now = first.HeldAt.AddHours(1);
        await PublishAsync(first);
        await PlanVersionExistsAsync(s.CaseId, 1);
        using var social = host.As(s.SocialWorker, s.Socialtjanst);
        await SignAsync(social, s, 1, s.Socialtjanst, content: Complete(s));
        await using var superseded = await host.ListenAsync<PlanSuperseded>();

        // The second meeting hands coordination over to the health centre.
        var second = Held(s, "Planning", first.HeldAt.AddDays(14), s.Vardcentral);
        host.Clock.Now = second.HeldAt.AddHours(1);
        await PublishAsync(second);
        await PlanVersionExistsAsync(s.CaseId, 2);

        var plans = await PlansAsync(s.CaseId);
        Assert.Equal([(1, PlanStatus.Superseded), (2, PlanStatus.Draft)], plans.Select(p => (p.Version, p.Status)));
        Assert.Equal((s.Vardcentral, (string?)null, 2, Reason, second.HeldAt),
            (plans[1].CoordinatorUnitId, plans[1].Content.Coordinator, plans[1].Content.Activities.Count(), plans[1].Content.Reason, plans[1].MeetingAt));
        var told = await superseded.WaitForAsync(m => m.GetProperty("caseId").GetGuid() == s.CaseId);
        Assert.Equal((plans[0].Id, 1, plans[1].Id),
            (told.GetProperty("planVersionId").GetGuid(), told.GetProperty("version").GetInt32(), told.GetProperty("supersededByVersionId").GetGuid()));

        // The broker delivers the same message again: the inbox recognises it and nothing more is opened.
        var duplicates = host.InboxDuplicates("MeetingHeldConsumer");
        await host.PublishAsync(second, second.EventId);
        await Eventually.HoldsAsync(() => Task.FromResult(host.InboxDuplicates("MeetingHeldConsumer") > duplicates), Soon, "the redelivery reaches the inbox");
        Assert.Equal(2, (await PlansAsync(s.CaseId)).Count);

        // A report of a meeting older than the plan in force, arriving late, opens nothing either.
        using var nurse = host.As(s.Nurse, s.Vardcentral);
        await SignAsync(nurse, s, 2, s.Vardcentral, content: null);
        var older = Held(s, "FollowUp", first.HeldAt.AddDays(7), s.Vardcentral);
        await PublishAsync(older);
        await ProcessedAsync("MeetingHeldConsumer", older.EventId);
        Assert.Equal([(1, PlanStatus.Superseded), (2, PlanStatus.Signed)], (await PlansAsync(s.CaseId)).Select(p => (p.Version, p.Status)));
    }

    [Fact]
    public async Task A_planning_summons_within_three_days_and_a_meeting_before_discharge_meet_the_red_track_and_a_follow_up_summons_does_not_count()
    {
        var t0 = new DateTimeOffset(2027, 5, 18, 8, 0, 0, TimeSpan.Zero);
        var s = await OpenCaseAsync(t0);
        using var nurse = host.As(s.Nurse, s.Vardcentral);
        var discharge = $"api/v1/cases/{s.CaseId}/discharge";
        object Record(DateTimeOffset? dischargedAt) => new
        {
            unitId = s.Vardcentral,
            discharge = new
            {
                admittedAt = t0.AddDays(-4), inpatientUnitId = s.Ward, track = "Red", fixedCareContactUnitId = s.Vardcentral, readyForDischargeAt = t0.AddDays(-1),
                admissionNoticeSentAt = t0.AddDays(-4).AddHours(2), dischargedAt,
            },
        };
        using var recorded = await nurse.PutAsJsonAsync(discharge, Record(null), Ct);
        var etag = recorded.Headers.ETag!.Tag;
        var before = Obligations(await recorded.JsonAsync(HttpStatusCode.OK));
        Assert.Equal((false, false), (before["Summons"].Done, before["MeetingBeforeDischarge"].Done));
        Assert.Equal(["MeetingBeforeDischarge", "Summons"], (await DischargeInboxAsync(nurse, s)).Order());

        var followUpSummons = Summons(s, "FollowUp", t0.AddHours(-20));
        var planningSummons = Summons(s, "Planning", t0);
        await PublishAsync(followUpSummons);
        await PublishAsync(planningSummons);
        var meeting = Held(s, "Planning", t0.AddHours(2), s.Vardcentral);
        host.Clock.Now = meeting.HeldAt.AddHours(1);
        await PublishAsync(meeting);
        await ProcessedAsync("SummonsSentConsumer", followUpSummons.EventId);
        await ProcessedAsync("SummonsSentConsumer", planningSummons.EventId);
        await ProcessedAsync("MeetingHeldConsumer", meeting.EventId);

        var sipCase = await host.QueryAsync(db => db.Cases.AsNoTracking().SingleAsync(c => c.Id == s.CaseId, Ct));
        Assert.Equal((t0, meeting.HeldAt), (sipCase.FirstPlanningSummonsAt, sipCase.FirstMeetingHeldAt));
        var held = Obligations(await (await nurse.GetAsync($"{discharge}?unitId={s.Vardcentral}", Ct)).JsonAsync(HttpStatusCode.OK));
        Assert.Equal((true, false, true), (held["Summons"].Met, held["Summons"].Late, held["Summons"].Done));
        Assert.Empty(await DischargeInboxAsync(nurse, s));

        // Discharged after the meeting: the red track's meeting was held before the person left hospital.
        host.Clock.Now = meeting.HeldAt.AddHours(3);
        using var discharged = await SendWithIfMatchAsync(nurse, HttpMethod.Put, discharge, Record(meeting.HeldAt.AddHours(2)), etag);
        var after = Obligations(await discharged.JsonAsync(HttpStatusCode.OK));
        Assert.Equal((true, false, true), (after["MeetingBeforeDischarge"].Met, after["MeetingBeforeDischarge"].Late, after["MeetingBeforeDischarge"].Done));
    }

    [Fact]
    public async Task Case_access_answers_a_participating_unit_the_consent_covers_with_the_case_and_audits_the_read()
    {
        var s = await OpenCaseAsync(new DateTimeOffset(2027, 5, 25, 8, 0, 0, TimeSpan.Zero));
        host.Clock.Now = s.OpenedAt.AddHours(1);

        var reply = await host.CaseAccessAs(s.SocialWorker, s.Socialtjanst).GetCaseForUnitAsync(
            new GetCaseForUnitRequest { CaseId = s.CaseId.ToString(), UnitId = s.Socialtjanst.ToString() }, cancellationToken: Ct);

        Assert.Equal((s.CaseId.ToString(), s.Reference, "1481", "Open", s.Vardcentral.ToString(), s.Vardcentral.ToString(), s.IndividualId.ToString(), false),
            (reply.CaseId, reply.Reference, reply.MunicipalityCode, reply.Status, reply.OpenedByUnitId, reply.CoordinatorUnitId, reply.IndividualId, reply.Discharge));
        Assert.Equal(s.OpenedAt, reply.FirstInitiativeAt.ToDateTimeOffset());
        Assert.Equal(
            [(s.Vardcentral.ToString(), "Vårdcentralen Öst", "Region", "vc-ost@region.example.se"), (s.Socialtjanst.ToString(), "Socialtjänsten Öst", "Municipality", "soc-ost@kommun.example.se")],
            reply.Participants.Select(p => (p.UnitId, p.Name, p.Principal, p.FunctionalMailbox)));
        var audit = await host.QueryAsync(db => db.Set<AuditEntry>().AsNoTracking().Where(a => a.CaseId == s.CaseId && a.Action == "case.read-for-meeting").ToListAsync(Ct));
        Assert.Equal((s.SocialWorker, s.Socialtjanst, s.IndividualId), (audit.Single().Actor, audit.Single().ActorUnitId, audit.Single().IndividualId));
    }

    [Fact]
    public async Task Case_access_is_not_found_for_a_unit_that_takes_no_part_a_unit_not_the_callers_a_case_that_does_not_exist_and_a_unit_the_consent_no_longer_covers()
    {
        var s = await OpenCaseAsync(new DateTimeOffset(2027, 6, 1, 8, 0, 0, TimeSpan.Zero));
        host.Clock.Now = s.OpenedAt.AddHours(1);
        async Task<StatusCode> StatusAsync(string subject, Guid tokenUnit, Guid caseId, Guid unit)
        {
            var e = await Assert.ThrowsAsync<RpcException>(async () => await host.CaseAccessAs(subject, tokenUnit)
                .GetCaseForUnitAsync(new GetCaseForUnitRequest { CaseId = caseId.ToString(), UnitId = unit.ToString() }, cancellationToken: Ct));
            return e.StatusCode;
        }

        Assert.Equal(StatusCode.NotFound, await StatusAsync(s.Outsider, s.Bup, s.CaseId, s.Bup));
        // The token names the unit, but the directory does not list the person there.
        Assert.Equal(StatusCode.NotFound, await StatusAsync(s.SocialWorker, s.Vardcentral, s.CaseId, s.Vardcentral));
        Assert.Equal(StatusCode.NotFound, await StatusAsync(s.SocialWorker, s.Socialtjanst, Guid.NewGuid(), s.Socialtjanst));
        host.Uncovered[s.Socialtjanst] = true;
        Assert.Equal(StatusCode.NotFound, await StatusAsync(s.SocialWorker, s.Socialtjanst, s.CaseId, s.Socialtjanst));
        Assert.False(await host.QueryAsync(db => db.Set<AuditEntry>().AnyAsync(a => a.CaseId == s.CaseId && a.Action == "case.read-for-meeting", Ct)));
    }

    [Fact]
    public async Task Case_access_is_unavailable_when_consent_does_not_answer()
    {
        var s = await OpenCaseAsync(new DateTimeOffset(2027, 6, 8, 8, 0, 0, TimeSpan.Zero));
        host.ConsentDown[s.Socialtjanst] = true;

        var e = await Assert.ThrowsAsync<RpcException>(async () => await host.CaseAccessAs(s.SocialWorker, s.Socialtjanst)
            .GetCaseForUnitAsync(new GetCaseForUnitRequest { CaseId = s.CaseId.ToString(), UnitId = s.Socialtjanst.ToString() }, cancellationToken: Ct));

        Assert.Equal(StatusCode.Unavailable, e.StatusCode);
    }

    /// <summary>A plan that answers the law's four points, coordinated by social services.</summary>
    private static object Complete(Scene s) => new
    {
        participants = Array.Empty<object>(),
        fixedCareContacts = Array.Empty<string>(),
        longTermGoals = new[] { "Bo kvar hemma" },
        shortTermGoals = new[]
        {
            new
            {
                id = Guid.NewGuid(),
                text = "Trygg vardag",
                activities = new object[]
                {
                    new { id = Guid.NewGuid(), what = "Hemtjänst", responsibleKind = "Unit", responsibleUnitId = s.Socialtjanst, principal = "Municipality" },
                    new { id = Guid.NewGuid(), what = "Handla tillsammans", responsibleKind = "Relative", principal = "Other" },
                },
            },
        },
        disagreements = Array.Empty<string>(),
        coordinator = "Samordnare Test",
        coordinatorUnitId = s.Socialtjanst,
        reason = Reason,
        overallResponsibility = "Municipality",
    };

    /// <summary>The coordinator's unit writes the draft (when given content) and signs it through the plans API.</summary>
    private static async Task SignAsync(HttpClient coordinator, Scene s, int version, Guid unit, object? content)
    {
        var plan = $"api/v1/cases/{s.CaseId}/plans/{version}";
        if (content is not null)
        {
            using var read = await coordinator.GetAsync($"{plan}?unitId={unit}", Ct);
            using var edited = await SendWithIfMatchAsync(coordinator, HttpMethod.Put, plan, new { unitId = unit, content }, read.Headers.ETag!.Tag);
            await edited.JsonAsync(HttpStatusCode.OK);
        }
        await (await coordinator.PostAsJsonAsync($"{plan}/sign", new { unitId = unit }, Ct)).JsonAsync(HttpStatusCode.OK);
    }

    private static async Task<HttpResponseMessage> SendWithIfMatchAsync(HttpClient client, HttpMethod method, string uri, object body, string etag)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return await client.SendAsync(request, Ct);
    }

    private sealed record Obligation(bool Met, bool Late, bool Done);

    private static Dictionary<string, Obligation> Obligations(JsonElement discharge) =>
        discharge.GetProperty("obligations").EnumerateArray().ToDictionary(o => o.GetProperty("code").GetString()!,
            o => new Obligation(o.GetProperty("met").GetBoolean(), o.GetProperty("late").GetBoolean(), o.GetProperty("done").GetBoolean()));

    private static async Task<List<string>> DischargeInboxAsync(HttpClient client, Scene s)
    {
        var page = await (await client.GetAsync($"api/v1/cases/inbox?unitId={s.Vardcentral}&kind=DischargeObligationDue&pageSize=100", Ct)).JsonAsync(HttpStatusCode.OK);
        return page.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("caseId").GetGuid() == s.CaseId)
            .Select(i => i.GetProperty("obligation").GetString()!).ToList();
    }
}
