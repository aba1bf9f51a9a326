using Sip.Case.Apis;
using Sip.Case.Domain;
using Sip.Contracts.Grpc.Consent.V1;
using Sip.ServiceDefaults;

namespace Sip.Case.Tests;

/// <summary>The plan's life and the law's four points (SIP-DOMAIN §5.9, §6).</summary>
public sealed class PlanTests
{
    private static readonly Guid Coordinator = Guid.NewGuid();
    private static readonly Guid Social = Guid.NewGuid();
    // Tuesday 23 December 2025, meeting at 10:00. Christmas Eve, Christmas Day and Boxing Day are holidays,
    // then a weekend: the plan is due Tuesday 30 December.
    private static readonly DateTimeOffset Meeting = new DateTimeOffset(2025, 12, 23, 10, 0, 0, TimeSpan.FromHours(1)).ToUniversalTime();

    private static SipCase Case() => SipCase.Open("tenant-a", "SIP-2025-000777", Guid.NewGuid(), "1481", "Samordning kring psykos och missbruk", Urgency.Normal, Coordinator, "staff-1", Meeting);

    private static PlanActivity Activity(string what, Guid? unit, Principal? principal, ResponsibleKind kind = ResponsibleKind.Unit) =>
        new(Guid.NewGuid(), what, kind, unit, null, principal, "1 gång per vecka", null, null, null);

    private static PlanContent Complete() => PlanContent.Empty with
    {
        Coordinator = "Anna Lind",
        CoordinatorUnitId = Coordinator,
        LongTermGoals = ["Bo kvar i egen lägenhet"],
        ShortTermGoals =
        [
            new ShortTermGoal(Guid.NewGuid(), "Minskat bruk", [Activity("Samtal om alkohol", Coordinator, Principal.Region), Activity("Boendestöd", Social, Principal.Municipality)]),
            new ShortTermGoal(Guid.NewGuid(), "Meningsfull vardag", [Activity("Promenad med systern", null, Principal.Other, ResponsibleKind.Relative)]),
        ],
        OverallResponsibility = Principal.Municipality,
    };

    private static PlanVersion Draft(PlanContent? content = null) => PlanVersion.Create(Case(), 1, Meeting, content ?? Complete(), "staff-1", Meeting.AddHours(2));

    [Fact]
    public void A_plan_is_due_two_working_days_after_the_meeting_across_christmas_eve()
    {
        var plan = Draft();

        Assert.Equal(new DateTimeOffset(2025, 12, 30, 10, 0, 0, TimeSpan.FromHours(1)), plan.DueAt);
        Assert.False(plan.IsLate(plan.DueAt));
        Assert.True(plan.MarkLateIfDue(plan.DueAt.AddMinutes(1)));
        Assert.False(plan.MarkLateIfDue(plan.DueAt.AddDays(1)));
    }

    [Fact]
    public void After_signing_a_unit_fills_in_only_its_own_activity_and_not_who_answers_for_it()
    {
        var plan = Draft();
        var boendestod = plan.Content.Activities.Single(a => a.What == "Boendestöd");
        var details = new ActivityDetails("Boendestöd i hemmet", "Maja Holm", "2 gånger per vecka", new DateOnly(2026, 1, 7), null, "Hemma");

        Assert.Equal("plan-status", Assert.Throws<DomainException>(() => plan.EditActivity(boendestod.Id, details, Social, "staff-2", Meeting.AddDays(1))).Slug);
        plan.Sign(Coordinator, "staff-1", Meeting.AddDays(1));
        var revision = plan.Revision;
        Assert.Equal("not-responsible", Assert.Throws<DomainException>(() => plan.EditActivity(boendestod.Id, details, Coordinator, "staff-1", Meeting.AddDays(1))).Slug);
        Assert.Equal("validation", Assert.Throws<DomainException>(() =>
            plan.EditActivity(boendestod.Id, details with { End = new DateOnly(2026, 1, 1) }, Social, "staff-2", Meeting.AddDays(1))).Slug);
        var edited = plan.EditActivity(boendestod.Id, details, Social, "staff-2", Meeting.AddDays(2));

        Assert.Equal(("Boendestöd i hemmet", "Maja Holm", "Hemma"), (edited.What, edited.ResponsiblePerson, edited.Place));
        Assert.Equal((Social, Principal.Municipality, ResponsibleKind.Unit), (edited.ResponsibleUnitId!.Value, edited.Principal!.Value, edited.ResponsibleKind));
        Assert.Equal(edited, plan.Content.Activities.Single(a => a.Id == boendestod.Id));
        Assert.Equal((revision + 1, "staff-2", PlanStatus.Signed), (plan.Revision, plan.ChangedBy, plan.Status));
    }

    [Fact]
    public void An_empty_plan_cannot_be_signed_and_the_error_names_every_missing_point()
    {
        var plan = Draft(PlanContent.Empty with { CoordinatorUnitId = Coordinator });

        var e = Assert.Throws<PlanIncompleteException>(() => plan.Sign(Coordinator, "staff-1", Meeting.AddDays(1)));

        Assert.Equal(["1.", "3.", "4."], e.Missing.Select(m => m[..2]).ToList());
        Assert.Equal(PlanStatus.Draft, plan.Status);
    }

    [Fact]
    public void Each_of_the_four_points_is_checked_on_its_own()
    {
        var complete = Complete();
        var noPrincipal = complete with { ShortTermGoals = [new ShortTermGoal(Guid.NewGuid(), "Mål", [Activity("Utan huvudman", Social, null), Activity("Promenad", null, Principal.Other, ResponsibleKind.Relative)])] };
        var noOthers = complete with { ShortTermGoals = [complete.ShortTermGoals[0]] };

        Assert.Empty(complete.MissingLegalPoints());
        Assert.StartsWith("2.", Assert.Single(noPrincipal.MissingLegalPoints()));
        Assert.StartsWith("3.", Assert.Single(noOthers.MissingLegalPoints()));
        Assert.Empty((noOthers with { NoMeasuresByOthers = true }).MissingLegalPoints());
        Assert.StartsWith("4.", Assert.Single((complete with { OverallResponsibility = Principal.Other }).MissingLegalPoints()));
    }

    [Fact]
    public void Only_the_coordinators_unit_writes_signs_and_locks_and_a_locked_plan_is_frozen()
    {
        var plan = Draft();
        Assert.Equal("not-coordinator", Assert.Throws<DomainException>(() => plan.Edit(Complete(), Social, "staff-2", Meeting.AddHours(3))).Slug);

        plan.Edit(Complete() with { Strengths = "Stöttande syster" }, Coordinator, "staff-1", Meeting.AddHours(3));
        plan.Sign(Coordinator, "staff-1", Meeting.AddDays(1));
        Assert.Equal("plan-status", Assert.Throws<DomainException>(() => plan.Edit(Complete(), Coordinator, "staff-1", Meeting.AddDays(1))).Slug);
        plan.Lock(Coordinator, new PlanSignature("Kim Berg", "Underskrift på papper", new DateOnly(2025, 12, 22)),
            new PlanSignature("Anna Lind", "Underskrift på papper", new DateOnly(2025, 12, 22)), ["Kim Berg", "Syster"],
            new ConsentReference(Guid.NewGuid(), "Den enskildes samtycke: den enskilde skriftligt", [Coordinator, Social], []), Meeting.AddDays(3));

        Assert.Equal((PlanStatus.Locked, 2), (plan.Status, plan.Revision));
        Assert.Equal(["Kim Berg", "Syster"], plan.CopyRecipients);
    }

    [Fact]
    public void The_responsible_unit_follows_up_its_own_activity_with_a_comment_history()
    {
        var plan = Draft();
        plan.Sign(Coordinator, "staff-1", Meeting.AddDays(1));
        var boendestod = plan.Content.ShortTermGoals[0].Activities[1];

        Assert.Equal("plan-not-in-force", Assert.Throws<DomainException>(() => Draft().SetActivityStatus(boendestod.Id, ActivityStatus.Ongoing, null, Social, "s", Meeting)).Slug);
        plan.SetActivityStatus(boendestod.Id, ActivityStatus.Ongoing, "Start vecka 2", Social, "staff-2", Meeting.AddDays(2));
        plan.SetActivityStatus(boendestod.Id, ActivityStatus.Done, "Avslutat enligt plan", Social, "staff-2", Meeting.AddDays(30));
        var other = plan.Content.ShortTermGoals[0].Activities[0];

        Assert.Equal("not-responsible", Assert.Throws<DomainException>(() => plan.SetActivityStatus(other.Id, ActivityStatus.Done, null, Social, "staff-2", Meeting.AddDays(3))).Slug);
        Assert.Equal(ActivityStatus.Done, plan.CurrentStatus(boendestod));
        Assert.Equal(["Start vecka 2", "Avslutat enligt plan"], plan.ActivityLog.Select(c => c.Comment));
        Assert.Equal(ActivityStatus.NotStarted, plan.CurrentStatus(other));
    }

    [Fact]
    public void Two_versions_are_compared_field_by_field()
    {
        var before = Complete();
        var after = before with { Strengths = "Arbetar deltid", ShortTermGoals = [before.ShortTermGoals[0] with { Text = "Ingen alkohol vardagar" }, before.ShortTermGoals[1]] };

        var changes = PlanDiff.Between(before, after);

        Assert.Equal(["shortTermGoals[0].text", "strengths"], changes.Select(c => c.Path).Order());
        Assert.Equal("Arbetar deltid", changes.Single(c => c.Path == "strengths").After!.GetValue<string>());
        Assert.Equal("Minskat bruk", changes.Single(c => c.Path == "shortTermGoals[0].text").Before!.GetValue<string>());
    }

    [Fact]
    public void Cancelling_keeps_superseded_versions_as_they_were()
    {
        var superseded = Draft();
        superseded.Supersede(Meeting.AddDays(30));

        Assert.False(superseded.Cancel(Meeting.AddDays(40)));
        Assert.True(Draft().Cancel(Meeting.AddDays(40)));
        Assert.Equal(PlanStatus.Superseded, superseded.Status);
    }

    [Fact]
    public void Measures_by_the_individual_a_relative_or_a_guardian_need_no_principal_and_answer_point_3()
    {
        var complete = Complete();
        var own = complete with
        {
            ShortTermGoals =
            [
                complete.ShortTermGoals[0],
                new ShortTermGoal(Guid.NewGuid(), "Trygg vardag",
                    [Activity("Pappa ringer dagligen", null, null, ResponsibleKind.Relative), Activity("Följer med till BUP", null, null, ResponsibleKind.Guardian),
                     Activity("Tar sin medicin", null, null, ResponsibleKind.Individual)]),
            ],
        };
        var plan = Draft(own);

        Assert.Empty(own.MissingLegalPoints());
        plan.Sign(Coordinator, "staff-1", Meeting.AddDays(1));
        Assert.Equal(PlanStatus.Signed, plan.Status);
        Assert.Equal([Coordinator, Social], plan.ResponsibleUnitIds);
    }

    [Fact]
    public void A_draft_is_stored_only_with_how_an_absent_participant_is_informed_a_date_for_the_follow_up_and_no_unit_on_a_relatives_measure()
    {
        var plan = Draft();
        var absent = new PlanParticipant("Kim Berg", Participation.NotPresent, "Den enskilde");
        string Refused(PlanContent content) => Assert.Throws<DomainException>(() => plan.Edit(content, Coordinator, "staff-1", Meeting.AddHours(3))).Slug;

        Assert.Equal("how-informed-missing", Refused(Complete() with { Participants = [absent] }));
        Assert.Equal("follow-up-date-missing", Refused(Complete() with { NextFollowUp = new FollowUp("Anna Lind", Condition: "när Kim har flyttat") }));
        Assert.Equal("validation", Refused(Complete() with
        {
            NextFollowUp = new FollowUp("Anna Lind", new DateOnly(2026, 4, 1), "tidigare om omständigheterna ändras", new DateOnly(2026, 3, 1)),
        }));
        Assert.Equal("validation", Refused(Complete() with
        {
            ShortTermGoals = [new ShortTermGoal(Guid.NewGuid(), "Mål", [Activity("Pappa ringer", Social, null, ResponsibleKind.Relative)])],
        }));
        Assert.Equal(1, plan.Revision);

        var written = Complete() with
        {
            Participants = [absent with { HowInformed = "genom mamma" }],
            NextFollowUp = new FollowUp("Anna Lind", Condition: "när Kim har flyttat", NoLaterThan: new DateOnly(2026, 3, 1)),
        };
        plan.Edit(written, Coordinator, "staff-1", Meeting.AddHours(3));
        Assert.Equal((2, new DateOnly(2026, 3, 1)), (plan.Revision, plan.Content.NextFollowUp!.DueBy()));
    }

    [Fact]
    public void A_unit_named_responsible_that_declined_is_brought_back_in_with_a_new_initiative_and_a_unit_taking_part_gets_none()
    {
        var sipCase = Case();
        var declined = sipCase.SendInitiative(Social, Meeting);
        sipCase.Decline(declined.Id, Social, "staff-2", "Inget ärende hos oss", null, Meeting.AddHours(1));
        Assert.False(sipCase.IsParticipant(Social));

        var again = sipCase.BringIn(Social, Meeting.AddDays(1));

        Assert.NotNull(again);
        Assert.Equal((InitiativeStatus.Sent, Coordinator, Social), (again.Status, again.FromUnitId, again.ToUnitId));
        Assert.True(sipCase.IsParticipant(Social));
        Assert.Null(sipCase.BringIn(Social, Meeting.AddDays(2)));
        Assert.Null(sipCase.BringIn(Coordinator, Meeting.AddDays(2)));
        Assert.Equal(2, sipCase.Initiatives.Count);
    }

    [Fact]
    public void The_printed_plan_names_the_condition_and_latest_date_of_a_follow_up_and_how_an_absent_child_is_heard()
    {
        var plan = Draft(Complete() with
        {
            Participants = [new PlanParticipant("Kim Berg", Participation.NotPresent, "Den enskilde (barnet)", HowInformed: "genom stödperson")],
            NextFollowUp = new FollowUp("Anna Lind", Condition: "när Kim har flyttat", NoLaterThan: new DateOnly(2026, 3, 1)),
        });
        plan.Sign(Coordinator, "staff-1", Meeting.AddDays(1));
        var consent = new ConsentReference(Guid.NewGuid(), "Den enskildes samtycke", [Coordinator, Social], []);
        plan.Lock(Coordinator, new PlanSignature("Kim Berg", "Underskrift på papper", new DateOnly(2025, 12, 29)),
            new PlanSignature("Anna Lind", "Underskrift på papper", new DateOnly(2025, 12, 29)), [], consent, Meeting.AddDays(6));

        var html = PlanPrint.Render(Case(), plan, new Dictionary<Guid, string> { [Coordinator] = "Vårdcentralen", [Social] = "Socialtjänsten" },
            new PlanParticularsReply { Identifier = "19121212-1212" }, consent);

        Assert.Contains("<td>Nästa uppföljning</td><td>när Kim har flyttat, senast 1 mars 2026, sammankallande Anna Lind</td>", html);
        Assert.Contains("<td>Ej närvarande – informeras och hörs: genom stödperson</td>", html);
        Assert.Contains("<td>Promenad med systern</td><td>Närstående</td><td><span class=\"empty\">–</span></td>", html);
    }
}
