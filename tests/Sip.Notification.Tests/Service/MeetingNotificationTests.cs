using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using MimeKit;
using Sip.Contracts.Meetings;
using Sip.Testing;
using IcalCalendar = Ical.Net.Calendar;

namespace Sip.Notification.Tests.Service;

/// <summary>Meeting events through the real broker, database and SMTP: who gets an e-mail, what it carries, and that it goes once.</summary>
public sealed class MeetingNotificationTests(NotificationServiceHost host) : IClassFixture<NotificationServiceHost>
{
    private static readonly DateTimeOffset StartsAt = new(2026, 9, 14, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset EndsAt = StartsAt.AddHours(1);
    private static readonly DateTimeOffset DueAt = new(2026, 9, 8, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_summons_sends_one_email_to_the_units_mailbox_with_the_meetings_calendar_invitation()
    {
        var mailbox = Mailbox();
        var unit = await host.UnitAsync(mailbox);
        var (meeting, reference) = (Guid.NewGuid(), Reference());
        var summons = Summons(meeting, reference, unit);

        await host.PublishAsync(summons, summons.EventId);

        var mail = Assert.Single(await host.MailsToAsync(mailbox));
        Assert.Equal($"Kallelse till SIP-möte (planering) – ärende {reference}", mail.Subject);
        Assert.Contains($"{NotificationServiceHost.LinkBase}moten/{meeting}", mail.TextBody, StringComparison.Ordinal);
        var (method, calendar) = CalendarOf(mail);
        Assert.Equal("REQUEST", method);
        Assert.Equal("REQUEST", calendar.Method);
        Assert.Equal(meeting.ToString(), Assert.Single(calendar.Events).Uid);
        Assert.Equal(1, await host.DeliveriesOfAsync(summons.EventId));
    }

    [Fact]
    public async Task A_cancelled_meeting_tells_every_invited_unit_with_a_calendar_cancellation()
    {
        var (mailboxA, mailboxB) = (Mailbox(), Mailbox());
        var units = new[] { await host.UnitAsync(mailboxA), await host.UnitAsync(mailboxB) };
        var (meeting, reference) = (Guid.NewGuid(), Reference());
        var cancelled = new MeetingCancelled(Guid.CreateVersion7(), DateTimeOffset.UtcNow, NotificationServiceHost.Tenant, meeting, Guid.NewGuid(), reference,
            "Planning", StartsAt, "CaseCancelled", units, 2, Ics(meeting, sequence: 2, "CANCEL"));

        await host.PublishAsync(cancelled, cancelled.EventId);

        foreach (var mailbox in new[] { mailboxA, mailboxB })
        {
            var mail = Assert.Single(await host.MailsToAsync(mailbox));
            Assert.Equal($"Mötet är inställt: SIP-möte (planering) – ärende {reference}", mail.Subject);
            Assert.Contains("samtycket har återkallats eller upphört", mail.TextBody, StringComparison.Ordinal);
            var (method, calendar) = CalendarOf(mail);
            Assert.Equal("CANCEL", method);
            Assert.Equal("CANCEL", calendar.Method);
            Assert.Equal(meeting.ToString(), Assert.Single(calendar.Events).Uid);
        }
        Assert.Equal(2, await host.DeliveriesOfAsync(cancelled.EventId));
    }

    [Fact]
    public async Task A_moved_meeting_tells_every_invited_unit_with_a_calendar_item_that_replaces_the_first()
    {
        var (mailboxA, mailboxB) = (Mailbox(), Mailbox());
        var units = new[] { await host.UnitAsync(mailboxA), await host.UnitAsync(mailboxB) };
        var (meeting, reference) = (Guid.NewGuid(), Reference());
        var moved = new MeetingRescheduled(Guid.CreateVersion7(), DateTimeOffset.UtcNow, NotificationServiceHost.Tenant, meeting, Guid.NewGuid(), reference,
            "FollowUp", StartsAt, EndsAt, "Remote", units[0], units, 1, Ics(meeting, sequence: 1, "REQUEST"));

        await host.PublishAsync(moved, moved.EventId);

        foreach (var mailbox in new[] { mailboxA, mailboxB })
        {
            var mail = Assert.Single(await host.MailsToAsync(mailbox));
            Assert.Equal($"Mötet har flyttats: SIP-möte (uppföljning) – ärende {reference}", mail.Subject);
            Assert.Contains("Plats: på distans (telefon eller video)", mail.TextBody, StringComparison.Ordinal);
            var (method, calendar) = CalendarOf(mail);
            Assert.Equal("REQUEST", method);
            var item = Assert.Single(calendar.Events);
            Assert.Equal((meeting.ToString(), 1), (item.Uid, item.Sequence));
        }
    }

    [Fact]
    public async Task An_overdue_summons_and_lus_deadlines_are_told_to_the_unit_that_owes_them_and_the_summons_escalated()
    {
        var mailbox = Mailbox();
        var unit = await host.UnitAsync(mailbox);
        var (meeting, caseId, reference) = (Guid.NewGuid(), Guid.NewGuid(), Reference());
        var overdue = new SummonsOverdue(Guid.CreateVersion7(), DueAt, NotificationServiceHost.Tenant, Guid.NewGuid(), meeting, caseId, reference, "Planning",
            Guid.NewGuid(), unit, DueAt);
        var approaching = new LusDeadlineApproaching(Guid.CreateVersion7(), DueAt, NotificationServiceHost.Tenant, caseId, reference, "Green", "Summons", unit, DueAt);
        var breached = new LusDeadlineBreached(Guid.CreateVersion7(), DueAt, NotificationServiceHost.Tenant, caseId, reference, "Red", "MeetingBeforeDischarge", unit, DueAt);

        await host.PublishAsync(overdue, overdue.EventId);
        await host.PublishAsync(approaching, approaching.EventId);
        await host.PublishAsync(breached, breached.EventId);

        // With no settings of its own, the unit's mailbox also gets the escalation meant for its administrators.
        var mails = await host.MailsToAsync(mailbox, 4);
        Assert.Equal(
            [
                $"Eskalering: obesvarat efter tidsgränsen – ärende {reference}",
                $"LUS-tidsgräns närmar sig – ärende {reference}",
                $"LUS-tidsgräns passerad – ärende {reference}",
                $"Påminnelse: obesvarad kallelse till SIP-möte (planering) – ärende {reference}",
            ],
            mails.Select(m => m.Subject).Order(StringComparer.Ordinal));
        Assert.Contains(mails, m => (m.TextBody ?? "").Contains("rött spår: SIP-mötet hålls före utskrivning", StringComparison.Ordinal)
            && (m.TextBody ?? "").Contains($"{NotificationServiceHost.LinkBase}cases/{caseId}", StringComparison.Ordinal));
        Assert.All(mails, m => Assert.Empty(m.Attachments));
    }

    [Fact]
    public async Task The_same_summons_delivered_twice_is_sent_once()
    {
        var mailbox = Mailbox();
        var unit = await host.UnitAsync(mailbox);
        var summons = Summons(Guid.NewGuid(), Reference(), unit);
        var duplicatesBefore = await host.InboxCountAsync("SummonsSentConsumer", "duplicates");

        await host.PublishAsync(summons, summons.EventId);
        await host.PublishAsync(summons, summons.EventId);

        await host.MailsToAsync(mailbox);
        await Eventually.HoldsAsync(async () => await host.InboxCountAsync("SummonsSentConsumer", "duplicates") > duplicatesBefore, TimeSpan.FromSeconds(30),
            "the second delivery is recognised as a redelivery");
        Assert.Equal(1, await host.DeliveriesOfAsync(summons.EventId));
        Assert.Single(host.Smtp.To(mailbox));
    }

    [Fact]
    public async Task The_same_summons_published_again_under_another_message_id_is_sent_once()
    {
        var mailbox = Mailbox();
        var unit = await host.UnitAsync(mailbox);
        var summons = Summons(Guid.NewGuid(), Reference(), unit);
        var processedBefore = await host.InboxCountAsync("SummonsSentConsumer", "processed");

        await host.PublishAsync(summons, summons.EventId);
        await host.PublishAsync(summons, Guid.NewGuid());

        await host.MailsToAsync(mailbox);
        await Eventually.HoldsAsync(async () => await host.InboxCountAsync("SummonsSentConsumer", "processed") >= processedBefore + 2, TimeSpan.FromSeconds(30),
            "both messages are processed");
        Assert.Equal(1, await host.DeliveriesOfAsync(summons.EventId));
        Assert.Single(host.Smtp.To(mailbox));
    }

    private static SummonsSent Summons(Guid meeting, string reference, Guid toUnit) =>
        new(Guid.CreateVersion7(), DateTimeOffset.UtcNow, NotificationServiceHost.Tenant, Guid.NewGuid(), meeting, Guid.NewGuid(), reference, "Planning",
            Guid.NewGuid(), toUnit, StartsAt, DueAt, Ics(meeting, sequence: 0, "REQUEST"));

    /// <summary>A calendar item shaped as meeting scheduling sends it: the meeting id as UID, no personal data.</summary>
    private static string Ics(Guid meeting, int sequence, string method)
    {
        var calendar = new IcalCalendar { Method = method };
        calendar.Events.Add(new CalendarEvent
        {
            Uid = meeting.ToString(),
            Sequence = sequence,
            DtStart = new CalDateTime(StartsAt.UtcDateTime),
            DtEnd = new CalDateTime(EndsAt.UtcDateTime),
            Summary = "SIP-möte (planering)",
            Status = method == "CANCEL" ? "CANCELLED" : "CONFIRMED",
        });
        return new CalendarSerializer().SerializeToString(calendar)!;
    }

    /// <summary>The e-mail's one attachment: the iTIP method its MIME type names, and the calendar it holds.</summary>
    private static (string? Method, IcalCalendar Calendar) CalendarOf(MimeMessage mail)
    {
        var part = Assert.IsType<TextPart>(Assert.Single(mail.Attachments));
        Assert.Equal("text/calendar", part.ContentType.MimeType);
        Assert.Equal("sip-mote.ics", part.FileName);
        return (part.ContentType.Parameters["method"], IcalCalendar.Load(part.Text)!);
    }

    private static string Mailbox() => $"sip-{Guid.NewGuid():N}@enhet.example.se";

    private static string Reference() => $"SIP-2026-{Random.Shared.Next(0, 999_999):D6}";
}
