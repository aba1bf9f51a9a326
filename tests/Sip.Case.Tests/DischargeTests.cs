using Sip.Case.Domain;
using Sip.ServiceDefaults;

namespace Sip.Case.Tests;

/// <summary>Discharge from inpatient care under LUS (SIP-DOMAIN §7).</summary>
public sealed class DischargeTests
{
    private static readonly DateTimeOffset Admitted = new(2026, 3, 2, 22, 0, 0, TimeSpan.Zero);
    private static readonly Guid Ward = Guid.NewGuid();

    private static SipCase Case(DateTimeOffset initiativeAt)
    {
        var sipCase = SipCase.Open("tenant-a", "SIP-2026-000999", Guid.NewGuid(), "1481", "Utskrivning från medicinavdelning", Urgency.Urgent, Ward, "staff-1", initiativeAt);
        sipCase.SendInitiative(Guid.NewGuid(), initiativeAt);
        return sipCase;
    }

    private static string Code(DischargeObligation o) => o.Code;

    [Fact]
    public void The_admission_notice_is_due_within_24_hours_and_late_after_that()
    {
        var inTime = new Discharge(Admitted, Ward, DischargeTrack.Green).Obligations(Case(Admitted.AddHours(20)), Admitted.AddDays(2));
        var late = new Discharge(Admitted, Ward, DischargeTrack.Green).Obligations(Case(Admitted.AddHours(30)), Admitted.AddDays(2));

        Assert.Equal((true, false), (inTime[0].Met, inTime[0].Late));
        Assert.Equal(("AdmissionNotice", false, true), (late[0].Code, late[0].Met, late[0].Late));
        Assert.Equal(Admitted.AddHours(24), late[0].DueAt);
    }

    [Fact]
    public void A_recorded_admission_notice_counts_and_an_initiative_from_another_unit_does_not()
    {
        var fromElsewhere = SipCase.Open("tenant-a", "SIP-2026-000998", Guid.NewGuid(), "1481", "Utskrivning", Urgency.Urgent, Guid.NewGuid(), "staff-1", Admitted.AddHours(2));
        fromElsewhere.SendInitiative(Guid.NewGuid(), Admitted.AddHours(2));
        var discharge = new Discharge(Admitted, Ward, DischargeTrack.Green);

        var notRecorded = discharge.Obligations(fromElsewhere, Admitted.AddDays(2))[0];
        var recorded = (discharge with { AdmissionNoticeSentAt = Admitted.AddHours(5) }).Obligations(fromElsewhere, Admitted.AddDays(2))[0];

        Assert.Equal((false, true), (notRecorded.Met, notRecorded.Late));
        Assert.Equal((true, false), (recorded.Met, recorded.Late));
    }

    /// <summary>A case whose first planning summons and first meeting are as meeting-scheduling reported them.</summary>
    private static SipCase Case(DateTimeOffset initiativeAt, DateTimeOffset? summonsAt, DateTimeOffset? meetingAt)
    {
        var sipCase = Case(initiativeAt);
        if (summonsAt is { } s)
        {
            sipCase.RecordPlanningSummons(s);
        }
        if (meetingAt is { } m)
        {
            sipCase.RecordMeetingHeld(m);
        }
        return sipCase;
    }

    [Fact]
    public void A_summons_sent_after_its_deadline_is_late_though_sent()
    {
        var discharge = new Discharge(Admitted, Ward, DischargeTrack.Yellow, ReadyForDischargeAt: Admitted.AddDays(5));

        var late = discharge.Obligations(Case(Admitted.AddHours(2), Admitted.AddDays(9), null), Admitted.AddDays(10))[1];
        var met = discharge.Obligations(Case(Admitted.AddHours(2), Admitted.AddDays(7), null), Admitted.AddDays(10))[1];

        Assert.Equal(("Summons", false, true, true), (late.Code, late.Met, late.Late, late.Done));
        Assert.Equal((true, false), (met.Met, met.Late));
    }

    [Fact]
    public void Only_the_first_planning_summons_and_the_first_meeting_count_whatever_order_they_are_reported_in()
    {
        var sipCase = Case(Admitted.AddHours(2));

        Assert.True(sipCase.RecordPlanningSummons(Admitted.AddDays(9)));
        Assert.True(sipCase.RecordPlanningSummons(Admitted.AddDays(7)));
        Assert.False(sipCase.RecordPlanningSummons(Admitted.AddDays(8)));
        Assert.True(sipCase.RecordMeetingHeld(Admitted.AddDays(12)));
        Assert.False(sipCase.RecordMeetingHeld(Admitted.AddDays(20)));

        Assert.Equal((Admitted.AddDays(7), Admitted.AddDays(12)), (sipCase.FirstPlanningSummonsAt, sipCase.FirstMeetingHeldAt));
    }

    [Fact]
    public void Without_a_planning_summons_a_held_meeting_shows_one_was_sent_even_when_the_meeting_was_later_than_three_days()
    {
        var discharge = new Discharge(Admitted, Ward, DischargeTrack.Green, ReadyForDischargeAt: Admitted.AddDays(5));

        var summons = discharge.Obligations(Case(Admitted.AddHours(2), null, Admitted.AddDays(12)), Admitted.AddDays(13))[1];
        var notYet = discharge.Obligations(Case(Admitted.AddHours(2)), Admitted.AddDays(13))[1];

        Assert.Equal((true, false, true), (summons.Met, summons.Late, summons.Done));
        Assert.Equal((false, true, false), (notYet.Met, notYet.Late, notYet.Done));
    }

    [Fact]
    public void Summons_are_due_three_days_after_ready_for_discharge()
    {
        var discharge = new Discharge(Admitted, Ward, DischargeTrack.Yellow, ReadyForDischargeAt: Admitted.AddDays(5));
        var sipCase = Case(Admitted.AddHours(2));

        var waiting = discharge.Obligations(sipCase, Admitted.AddDays(7));
        var late = discharge.Obligations(sipCase, Admitted.AddDays(8).AddMinutes(1));
        var met = discharge.Obligations(Case(Admitted.AddHours(2), Admitted.AddDays(6), null), Admitted.AddDays(9));

        Assert.Equal(["AdmissionNotice", "Summons"], waiting.Select(Code));
        Assert.Equal((Admitted.AddDays(8), false, false), (waiting[1].DueAt, waiting[1].Met, waiting[1].Late));
        Assert.True(late[1].Late);
        Assert.True(met[1].Met);
    }

    [Fact]
    public void On_the_red_track_the_meeting_is_held_before_discharge_and_otherwise_within_four_weeks_after()
    {
        var discharged = Admitted.AddDays(10);
        var red = new Discharge(Admitted, Ward, DischargeTrack.Red, ReadyForDischargeAt: Admitted.AddDays(8), DischargedAt: discharged);
        var green = red with { Track = DischargeTrack.Green };

        Assert.True(red.Obligations(Case(Admitted.AddHours(2), null, discharged.AddHours(-3)), discharged).Single(o => o.Code == "MeetingBeforeDischarge").Met);
        Assert.True(red.Obligations(Case(Admitted.AddHours(2), null, discharged.AddDays(1)), discharged.AddDays(2)).Single(o => o.Code == "MeetingBeforeDischarge").Late);
        var afterFourWeeks = green.Obligations(Case(Admitted.AddHours(2)), discharged.AddDays(29)).Single(o => o.Code == "MeetingAfterDischarge");
        Assert.Equal((discharged.AddDays(28), false, true), (afterFourWeeks.DueAt, afterFourWeeks.Met, afterFourWeeks.Late));
        Assert.True(green.Obligations(Case(Admitted.AddHours(2), null, discharged.AddDays(20)), discharged.AddDays(29)).Single(o => o.Code == "MeetingAfterDischarge").Met);
    }

    [Fact]
    public void A_record_that_leaves_out_the_admission_notice_keeps_the_one_already_recorded()
    {
        var sipCase = Case(Admitted.AddHours(2));
        var first = new Discharge(Admitted, Ward, DischargeTrack.Yellow, ReadyForDischargeAt: Admitted.AddDays(5), AdmissionNoticeSentAt: Admitted.AddHours(4));
        sipCase.RecordDischarge(first, Admitted.AddDays(6));

        sipCase.RecordDischarge(first with { AdmissionNoticeSentAt = null, DischargedAt = Admitted.AddDays(7) }, Admitted.AddDays(7));

        Assert.Equal((Admitted.AddHours(4), Admitted.AddDays(7)), (sipCase.Discharge!.AdmissionNoticeSentAt, sipCase.Discharge.DischargedAt));
    }

    [Fact]
    public void Dates_in_the_future_or_out_of_order_are_refused()
    {
        var sipCase = Case(Admitted.AddHours(2));

        Assert.Equal("date-in-future", Assert.Throws<DomainException>(() => sipCase.RecordDischarge(new Discharge(Admitted.AddDays(3), Ward, DischargeTrack.Green), Admitted)).Slug);
        Assert.Equal("discharge-dates-out-of-order", Assert.Throws<DomainException>(() =>
            sipCase.RecordDischarge(new Discharge(Admitted, Ward, DischargeTrack.Green, ReadyForDischargeAt: Admitted.AddDays(4), DischargedAt: Admitted.AddDays(3)), Admitted.AddDays(5))).Slug);
        Assert.Null(sipCase.Discharge);
    }

    [Fact]
    public void A_met_obligation_counts_at_once_and_a_missed_one_a_day_after_its_due_time_for_the_unit_that_owed_it()
    {
        var fixedCareContactUnit = Guid.NewGuid();
        var discharge = new Discharge(Admitted, Ward, DischargeTrack.Yellow, FixedCareContactUnitId: fixedCareContactUnit, ReadyForDischargeAt: Admitted.AddDays(5));
        var now = Admitted.AddDays(6);

        var outcomes = discharge.Outcomes(Case(Admitted.AddHours(2)), now);

        Assert.Equal([new DeadlineOutcome("AdmissionNotice", Admitted.AddHours(24), true, now, Ward),
            new DeadlineOutcome("Summons", Admitted.AddDays(8), false, Admitted.AddDays(9), fixedCareContactUnit)], outcomes);
        // Past the day's wait, a miss (here done late) counts at once.
        var late = discharge.Outcomes(Case(Admitted.AddHours(2), Admitted.AddDays(9), null), Admitted.AddDays(10)).Single(o => o.Obligation == "Summons");
        Assert.Equal((false, Admitted.AddDays(10)), (late.Met, late.CountAt));
    }

    [Fact]
    public void A_cancelled_case_voids_what_was_not_done_and_not_yet_due_and_the_red_meeting_waits_for_the_discharge_date()
    {
        var sipCase = Case(Admitted.AddHours(30));
        var discharge = new Discharge(Admitted, Ward, DischargeTrack.Red, ReadyForDischargeAt: Admitted.AddDays(5));
        sipCase.Cancel(CancellationCause.ConsentWithdrawn, Admitted.AddDays(6));

        var outcomes = discharge.Outcomes(sipCase, Admitted.AddDays(20));

        // The late admission notice was missed before the case ended; the summons (due on day 8) is void; the meeting has no due time.
        Assert.Equal([("AdmissionNotice", false)], outcomes.Select(o => (o.Obligation, o.Met)));
    }
}
