using Sip.Case.Domain;
using Sip.ServiceDefaults;

namespace Sip.Case.Tests;

/// <summary>A unit's answer to an initiative: acknowledge, decline with a redirect, forward, overdue, and cancellation when consent ends.</summary>
public sealed class InitiativeAnswerTests
{
    private static readonly Guid OpeningUnit = Guid.NewGuid();
    private static readonly Guid Recipient = Guid.NewGuid();
    private static readonly Guid RightUnit = Guid.NewGuid();
    // Thursday before Easter 2026, 14:00: the deadline is the Tuesday after Easter Monday.
    private static readonly DateTimeOffset Sent = new(2026, 4, 2, 14, 0, 0, TimeSpan.FromHours(2));

    private static (SipCase Case, Initiative Initiative) WithInitiative()
    {
        var sipCase = SipCase.Open("tenant-a", "SIP-2026-000321", Guid.NewGuid(), "1481", "Behöver samordning mellan BUP och skola", Urgency.Normal, OpeningUnit, "staff-1", Sent);
        return (sipCase, sipCase.SendInitiative(Recipient, Sent));
    }

    private static string Slug(Action action) => Assert.Throws<DomainException>(action).Slug;

    [Fact]
    public void The_receiving_unit_acknowledges_with_suggested_times_in_order()
    {
        var (sipCase, initiative) = WithInitiative();
        var later = Sent.AddDays(8);
        var sooner = Sent.AddDays(6);

        sipCase.Acknowledge(initiative.Id, Recipient, "staff-2", [later, sooner], "Vi kan ta mötet hos oss.", Sent.AddHours(3));

        Assert.Equal((InitiativeStatus.Acknowledged, "staff-2", "Vi kan ta mötet hos oss."), (initiative.Status, initiative.AnsweredBy, initiative.Comment));
        Assert.Equal([sooner, later], initiative.SuggestedTimes);
        Assert.Equal(Sent.AddHours(3), sipCase.ChangedAt);
    }

    [Fact]
    public void Only_the_receiving_unit_answers_and_only_once()
    {
        var (sipCase, initiative) = WithInitiative();

        Assert.Equal("not-found", Slug(() => sipCase.Acknowledge(initiative.Id, OpeningUnit, "staff-1", [], null, Sent)));
        sipCase.Acknowledge(initiative.Id, Recipient, "staff-2", [], null, Sent.AddHours(1));
        Assert.Equal("initiative-already-answered", Slug(() => sipCase.Decline(initiative.Id, Recipient, "staff-2", "Fel enhet", null, Sent.AddHours(2))));
        var (other, pending) = WithInitiative();
        Assert.Equal("suggested-time-in-past", Slug(() => other.Acknowledge(pending.Id, Recipient, "staff-2", [Sent.AddDays(-1)], null, Sent)));
        Assert.Equal(InitiativeStatus.Sent, pending.Status);
    }

    [Fact]
    public void A_decline_says_why_and_may_redirect_and_the_sender_forwards_it_in_one_call()
    {
        var (sipCase, initiative) = WithInitiative();
        Assert.Equal("decline-without-comment", Slug(() => sipCase.Decline(initiative.Id, Recipient, "staff-2", " ", RightUnit, Sent.AddHours(1))));
        Assert.Equal("redirect-to-self", Slug(() => sipCase.Decline(initiative.Id, Recipient, "staff-2", "Fel enhet", Recipient, Sent.AddHours(1))));

        sipCase.Decline(initiative.Id, Recipient, "staff-2", "Barnet är skrivet i Partille; kontakta socialtjänsten där.", RightUnit, Sent.AddHours(1));
        var forwardedAt = Sent.AddHours(2);
        var forwarded = sipCase.Forward(initiative.Id, forwardedAt);

        Assert.Equal((InitiativeStatus.Declined, (Guid?)RightUnit), (initiative.Status, initiative.RedirectToUnitId));
        Assert.Equal((RightUnit, OpeningUnit, (Guid?)initiative.Id, InitiativeStatus.Sent), (forwarded.ToUnitId, forwarded.FromUnitId, forwarded.ForwardedFromId, forwarded.Status));
        // Thursday 16:00 before Easter: Good Friday and Easter Monday are not working days.
        Assert.Equal(new DateTimeOffset(2026, 4, 7, 16, 0, 0, TimeSpan.FromHours(2)), forwarded.DueAt);
        Assert.Equal("already-forwarded", Slug(() => sipCase.Forward(initiative.Id, forwardedAt.AddMinutes(1))));
    }

    [Fact]
    public void A_unit_that_declined_no_longer_takes_part()
    {
        var (sipCase, initiative) = WithInitiative();
        sipCase.Decline(initiative.Id, Recipient, "staff-2", "Fel enhet.", RightUnit, Sent.AddHours(1));

        Assert.False(sipCase.IsParticipant(Recipient));
        Assert.Equal([OpeningUnit], sipCase.ParticipantUnitIds);
    }

    [Fact]
    public void A_decline_without_a_redirect_cannot_be_forwarded()
    {
        var (sipCase, initiative) = WithInitiative();
        sipCase.Decline(initiative.Id, Recipient, "staff-2", "Vi har inga insatser för personen.", null, Sent.AddHours(1));

        Assert.Equal("nothing-to-forward", Slug(() => sipCase.Forward(initiative.Id, Sent.AddHours(2))));
    }

    [Fact]
    public void An_unanswered_initiative_becomes_overdue_once_after_its_working_day_deadline_across_easter()
    {
        var (sipCase, initiative) = WithInitiative();
        var deadline = new DateTimeOffset(2026, 4, 7, 14, 0, 0, TimeSpan.FromHours(2));
        Assert.Equal(deadline, initiative.DueAt);

        Assert.Empty(sipCase.MarkOverdue(new DateTimeOffset(2026, 4, 6, 23, 0, 0, TimeSpan.FromHours(2))));
        Assert.Equal([initiative], sipCase.MarkOverdue(deadline));
        Assert.Empty(sipCase.MarkOverdue(deadline.AddHours(1)));
        Assert.Equal((InitiativeStatus.Overdue, (DateTimeOffset?)deadline), (initiative.Status, initiative.OverdueAt));

        // Late is still answerable.
        sipCase.Acknowledge(initiative.Id, Recipient, "staff-2", [], null, deadline.AddHours(2));
        Assert.Equal(InitiativeStatus.Acknowledged, initiative.Status);
    }

    [Fact]
    public void When_consent_ends_the_case_is_cancelled_with_its_unanswered_initiatives_and_nothing_more_can_happen()
    {
        var (sipCase, awaiting) = WithInitiative();
        var answered = sipCase.SendInitiative(RightUnit, Sent);
        sipCase.Acknowledge(answered.Id, RightUnit, "staff-3", [], null, Sent.AddHours(1));

        Assert.Equal([OpeningUnit, Recipient, RightUnit], sipCase.ParticipantUnitIds);

        var cancelled = sipCase.Cancel(CancellationCause.ConsentWithdrawn, Sent.AddDays(2));

        Assert.Equal([awaiting], cancelled);
        Assert.Equal((CaseStatus.Cancelled, (CancellationCause?)CancellationCause.ConsentWithdrawn), (sipCase.Status, sipCase.CancelledBecause));
        Assert.Equal((InitiativeStatus.Cancelled, InitiativeStatus.Acknowledged), (awaiting.Status, answered.Status));
        Assert.Equal([OpeningUnit, RightUnit], sipCase.ParticipantUnitIds);
        Assert.Empty(sipCase.Cancel(CancellationCause.ConsentExpired, Sent.AddDays(3)));
        Assert.Equal("case-cancelled", Slug(() => sipCase.SendInitiative(Guid.NewGuid(), Sent.AddDays(3))));
        Assert.Empty(sipCase.MarkOverdue(Sent.AddDays(10)));
    }

    [Fact]
    public void After_cancellation_the_units_that_took_part_still_see_it_and_a_unit_that_declined_or_was_never_asked_does_not()
    {
        var (sipCase, awaiting) = WithInitiative();
        var declining = Guid.NewGuid();
        var declined = sipCase.SendInitiative(declining, Sent);
        sipCase.Decline(declined.Id, declining, "staff-4", "Fel enhet", null, Sent.AddHours(1));
        Assert.False(sipCase.TookPartUntilCancelled(OpeningUnit)); // not cancelled yet: consent decides, as for any case

        sipCase.Cancel(CancellationCause.ConsentWithdrawn, Sent.AddDays(2));

        Assert.Equal(InitiativeStatus.Cancelled, awaiting.Status);
        Assert.True(sipCase.TookPartUntilCancelled(OpeningUnit));
        Assert.True(sipCase.TookPartUntilCancelled(Recipient));
        Assert.False(sipCase.TookPartUntilCancelled(declining));
        Assert.False(sipCase.TookPartUntilCancelled(Guid.NewGuid()));
    }

    [Fact]
    public void Units_taken_out_of_the_consent_lose_their_unanswered_initiatives_but_keep_their_answers()
    {
        var (sipCase, awaiting) = WithInitiative();
        var answered = sipCase.SendInitiative(RightUnit, Sent);
        sipCase.Acknowledge(answered.Id, RightUnit, "staff-3", [], null, Sent.AddHours(1));

        var withdrawn = sipCase.WithdrawFrom([Recipient, RightUnit], Sent.AddDays(1));

        Assert.Equal([awaiting], withdrawn);
        Assert.Equal((InitiativeStatus.Cancelled, InitiativeStatus.Acknowledged), (awaiting.Status, answered.Status));
        Assert.Equal(CaseStatus.Open, sipCase.Status);
    }
}
