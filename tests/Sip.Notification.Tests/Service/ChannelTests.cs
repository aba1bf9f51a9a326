using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Sip.Contracts.Case;
using Sip.Contracts.Meetings;
using Sip.Notification.Apis;
using Sip.Notification.Delivery;
using Sip.Notification.Domain;
using Sip.Testing;
using IcalCalendar = Ical.Net.Calendar;

namespace Sip.Notification.Tests.Service;

/// <summary>
/// Units' own settings through the real API, and every channel through real servers on 127.0.0.1: the SMTP sink, the SMS
/// provider stand-in and a webhook receiver that verifies signatures — with the real broker and database underneath.
/// </summary>
public sealed class ChannelTests(NotificationServiceHost host) : IClassFixture<NotificationServiceHost>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };
    private static readonly DateTimeOffset StartsAt = new(2026, 9, 14, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset PastDue = new(2026, 9, 8, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_summons_goes_to_every_channel_the_unit_chose_and_the_webhook_is_a_signed_cloud_event()
    {
        var (unit, functional) = await NewUnitAsync();
        var (mailbox, phone, hook) = (Mailbox(), Phone(), $"hooks/{Guid.NewGuid():N}");
        await SettingsAsync(unit,
            new SubscriptionRequest("email", mailbox, [EventKinds.SummonsToPlanningReceived]),
            new SubscriptionRequest("sms", phone, [EventKinds.SummonsToPlanningReceived]),
            new SubscriptionRequest("webhook", host.Webhooks.Url(hook).ToString(), [EventKinds.SummonsToPlanningReceived], Id: null));
        var (meeting, caseId, reference) = (Guid.NewGuid(), Guid.NewGuid(), Reference());
        var summons = Summons(meeting, caseId, reference, unit);

        await host.PublishAsync(summons, summons.EventId);

        var mail = Assert.Single(await host.MailsToAsync(mailbox));
        Assert.Equal($"Kallelse till SIP-möte (planering) – ärende {reference}", mail.Subject);
        Assert.Equal("REQUEST", Assert.IsType<TextPart>(Assert.Single(mail.Attachments)).ContentType.Parameters["method"]);
        var sms = Assert.Single(await SmsToAsync(phone));
        Assert.Equal($"SIP: Kallelse till SIP-möte, ärende {reference}. Tidsgräns tis 8 september kl. 14:00. {NotificationServiceHost.LinkBase}moten/{meeting}", sms);
        var (_, id, body) = Assert.Single(await WebhooksToAsync(hook));
        var cloudEvent = JsonNode.Parse(body)!;
        Assert.Equal("1.0", cloudEvent["specversion"]!.GetValue<string>());
        Assert.Equal(id, cloudEvent["id"]!.GetValue<string>());
        Assert.Equal("se.sip.notification.summons-planning-received", cloudEvent["type"]!.GetValue<string>());
        Assert.Equal(reference, cloudEvent["data"]!["caseReference"]!.GetValue<string>());
        Assert.Equal(caseId, cloudEvent["data"]!["caseId"]!.GetValue<Guid>());
        Assert.Equal($"{NotificationServiceHost.LinkBase}moten/{meeting}", cloudEvent["data"]!["link"]!.GetValue<string>());
        // The unit chose its channels: its functional mailbox no longer gets everything.
        Assert.Empty(host.Smtp.To(functional));
        Assert.Equal(3, await host.DeliveriesOfAsync(summons.EventId));
    }

    [Fact]
    public async Task A_hanging_smtp_relay_delays_neither_sms_nor_webhooks_and_no_other_sender_can_take_its_email()
    {
        var (unit, _) = await NewUnitAsync();
        var (mailbox, phone, hook) = (Mailbox(), Phone(), $"hooks/{Guid.NewGuid():N}");
        await SettingsAsync(unit,
            new SubscriptionRequest("email", mailbox, [EventKinds.CaseMessageForAcknowledgement]),
            new SubscriptionRequest("sms", phone, [EventKinds.CaseMessageForAcknowledgement]),
            new SubscriptionRequest("webhook", host.Webhooks.Url(hook).ToString(), [EventKinds.CaseMessageForAcknowledgement]));
        var message = CaseMessage(unit, requiresAcknowledgement: true);
        host.Smtp.Hold();
        try
        {
            await host.PublishAsync(message, message.EventId);

            await Eventually.HoldsAsync(() => Task.FromResult(host.Smtp.Waiting > 0), Wait, "the e-mail hangs in the relay");
            Assert.Single(await SmsToAsync(phone));
            Assert.Single(await WebhooksToAsync(hook));
            Assert.Empty(host.Smtp.To(mailbox));
            // Another sender (another replica) finds nothing to claim: the hanging e-mail's row stays locked by its sender.
            var workers = host.Factory.Services.GetRequiredService<DeliveryWorkers>();
            Assert.False(await workers.SendOneAsync("email", CancellationToken.None));
        }
        finally
        {
            host.Smtp.Release();
        }

        Assert.Single(await host.MailsToAsync(mailbox));
        // The relay has the mail before the worker has recorded its answer: wait for the record.
        await Eventually.HoldsAsync(async () => (await LogAsync(unit)).Any(d => d.Channel == "email" && d.Status == DeliveryStatus.Sent), Wait,
            "the e-mail is logged as sent");
        var email = Assert.Single(await LogAsync(unit), d => d.Channel == "email");
        Assert.Equal("sent", Assert.Single(email.Attempts).Outcome);
        Assert.Single(host.Smtp.To(mailbox));
    }

    [Fact]
    public async Task An_sms_provider_that_is_down_loses_nothing_and_the_log_shows_every_attempt()
    {
        var (unit, _) = await NewUnitAsync();
        var phone = Phone();
        await SettingsAsync(unit, new SubscriptionRequest("sms", phone, [EventKinds.InitiativeReceived]));
        // Both tries of the first attempt (one quick Polly retry) are refused; the next attempt, after the back-off, gets through.
        host.Sms.FailNext = 2;
        var initiative = Initiative(unit, PastDue);

        await host.PublishAsync(initiative, initiative.EventId);

        Assert.Single(await SmsToAsync(phone));
        // The provider has the message before the worker has recorded its answer: wait for the record.
        await Eventually.HoldsAsync(async () => (await LogAsync(unit)) is [{ Status: DeliveryStatus.Sent }], Wait, "the delivery is logged as sent");
        var delivery = Assert.Single(await LogAsync(unit));
        Assert.Equal(["failed", "sent"], delivery.Attempts.Select(a => a.Outcome));
        Assert.Equal("ProviderRefusedException 503", delivery.Attempts[0].Error);
    }

    [Fact]
    public async Task A_given_up_webhook_is_shown_to_the_units_administrator_and_sent_when_retried()
    {
        var (unit, _) = await NewUnitAsync();
        var hook = $"hooks/{Guid.NewGuid():N}";
        // The receiver does not know the secret yet: it refuses every delivery as unsigned, until the integrator registers it.
        var settings = await SettingsAsync(unit, registerSecrets: false,
            new SubscriptionRequest("webhook", host.Webhooks.Url(hook).ToString(), [EventKinds.PlanLocked]));
        var locked = new PlanLocked(Guid.CreateVersion7(), DateTimeOffset.UtcNow, NotificationServiceHost.Tenant, Guid.NewGuid(), Reference(), Guid.NewGuid(), 2, [unit]);

        await host.PublishAsync(locked, locked.EventId);

        await Eventually.HoldsAsync(async () => (await LogAsync(unit, "Failed")).Length == 1, Wait, "the webhook is given up after its two attempts");
        var failed = Assert.Single(await LogAsync(unit, "Failed"));
        Assert.Equal(2, failed.Attempts.Length);
        Assert.All(failed.Attempts, a => Assert.Equal("ProviderRefusedException 401", a.Error));

        host.Webhooks.Register(hook, Assert.Single(settings.Subscriptions).Secret!);
        using var admin = host.Administrator(unit);
        var retry = await admin.PostAsJsonAsync($"api/v1/notifications/units/{unit}/deliveries/retry", new RetryRequest([failed.DeliveryId]));

        Assert.Equal(1, (await retry.Content.ReadFromJsonAsync<RetryResponse>(Json))!.Retried);
        var (_, id, _) = Assert.Single(await WebhooksToAsync(hook));
        Assert.Equal(failed.DeliveryId.ToString(), id);
        await Eventually.HoldsAsync(async () => (await LogAsync(unit)) is [{ Status: DeliveryStatus.Sent }], Wait, "the retried webhook is logged as sent");
        Assert.Equal(["failed", "given_up", "sent"], Assert.Single(await LogAsync(unit)).Attempts.Select(a => a.Outcome));
    }

    [Fact]
    public async Task The_same_event_published_again_reaches_a_webhook_once()
    {
        var (unit, _) = await NewUnitAsync();
        var hook = $"hooks/{Guid.NewGuid():N}";
        await SettingsAsync(unit, new SubscriptionRequest("webhook", host.Webhooks.Url(hook).ToString(), [EventKinds.PlanLocked]));
        var locked = new PlanLocked(Guid.CreateVersion7(), DateTimeOffset.UtcNow, NotificationServiceHost.Tenant, Guid.NewGuid(), Reference(), Guid.NewGuid(), 1, [unit]);
        var again = Guid.NewGuid();

        await host.PublishAsync(locked, locked.EventId);
        await host.PublishAsync(locked, again);

        // Both messages went through the consumer (the inbox keeps each message id it processed).
        await Eventually.HoldsAsync(async () => await host.Postgres.ScalarAsync<long>(
            $"SELECT count(*) FROM notification.inbox_messages WHERE consumer = 'PlanLockedConsumer' AND message_id IN ('{locked.EventId}', '{again}')") == 2,
            Wait, "both messages are processed");
        Assert.Single(await WebhooksToAsync(hook));
        Assert.Equal(1, await host.DeliveriesOfAsync(locked.EventId));
    }

    [Fact]
    public async Task A_unit_whose_administrators_chose_nothing_gets_every_kind_at_its_functional_mailbox()
    {
        var (unit, functional) = await NewUnitAsync();
        var information = CaseMessage(unit, requiresAcknowledgement: false);

        await host.PublishAsync(information, information.EventId);

        Assert.Equal($"Meddelande för kännedom – ärende {information.CaseReference}", Assert.Single(await host.MailsToAsync(functional)).Subject);
        Assert.DoesNotContain(host.Sms.Received, r => r.Message.Contains(information.CaseReference, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_subscription_gets_only_the_kinds_it_names()
    {
        var (unit, _) = await NewUnitAsync();
        var mailbox = Mailbox();
        await SettingsAsync(unit, new SubscriptionRequest("email", mailbox, [EventKinds.CaseMessageForAcknowledgement]));
        var information = CaseMessage(unit, requiresAcknowledgement: false);
        var acknowledgement = CaseMessage(unit, requiresAcknowledgement: true);

        await host.PublishAsync(information, information.EventId);
        await host.PublishAsync(acknowledgement, acknowledgement.EventId);

        var mail = Assert.Single(await host.MailsToAsync(mailbox));
        Assert.Equal($"Meddelande att kvittera – ärende {acknowledgement.CaseReference}", mail.Subject);
        Assert.Equal(0, await host.DeliveriesOfAsync(information.EventId));
    }

    [Fact]
    public async Task A_member_of_staff_watching_a_case_gets_what_their_unit_is_told_of_it_and_nothing_of_other_units()
    {
        var (unit, functional) = await NewUnitAsync();
        var (other, _) = await NewUnitAsync();
        var (mine, outsider) = (Mailbox(), Mailbox());
        var caseId = Guid.NewGuid();
        using (var staff = host.Staff($"staff-{Guid.NewGuid():N}", unit))
        {
            var watch = await staff.PutAsJsonAsync($"api/v1/notifications/cases/{caseId}/watch", new WatchRequest(unit, mine));
            Assert.Equal(HttpStatusCode.OK, watch.StatusCode);
        }
        using (var stranger = host.Staff($"staff-{Guid.NewGuid():N}", other))
        {
            Assert.Equal(HttpStatusCode.OK, (await stranger.PutAsJsonAsync($"api/v1/notifications/cases/{caseId}/watch", new WatchRequest(other, outsider))).StatusCode);
        }
        var initiative = Initiative(unit, PastDue) with { CaseId = caseId };

        await host.PublishAsync(initiative, initiative.EventId);

        Assert.Single(await host.MailsToAsync(functional));
        var watched = Assert.Single(await host.MailsToAsync(mine));
        Assert.Equal($"Nytt SIP-initiativ att besvara – {initiative.CaseReference}", watched.Subject);
        Assert.Empty(host.Smtp.To(outsider));
    }

    [Fact]
    public async Task An_unanswered_initiative_is_reminded_before_its_deadline()
    {
        var (unit, functional) = await NewUnitAsync();
        var initiative = Initiative(unit, DateTimeOffset.UtcNow + NotificationServiceHost.ReminderBefore + TimeSpan.FromSeconds(3));

        await host.PublishAsync(initiative, initiative.EventId);

        var mails = await host.MailsToAsync(functional, 2);
        Assert.Contains(mails, m => (m.Subject ?? "").StartsWith("Påminnelse: SIP-initiativ att besvara senast", StringComparison.Ordinal)
            && (m.Subject ?? "").EndsWith(initiative.CaseReference, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_initiative_answered_before_the_reminder_is_not_reminded()
    {
        var (unit, functional) = await NewUnitAsync();
        var initiative = Initiative(unit, DateTimeOffset.UtcNow.AddHours(1));
        await host.PublishAsync(initiative, initiative.EventId);
        await host.MailsToAsync(functional);
        var reminder = DeliveryIds.Derived(initiative.EventId, "reminder");
        Assert.Equal("Pending", await host.Postgres.ScalarAsync<string>($"SELECT status FROM notification.deliveries WHERE source_event_id = '{reminder}'"));

        var answered = new InitiativeAnswered(Guid.CreateVersion7(), DateTimeOffset.UtcNow, NotificationServiceHost.Tenant, initiative.CaseId, initiative.CaseReference,
            initiative.InitiativeId, initiative.FromUnitId, unit, "Acknowledged", null, []);
        await host.PublishAsync(answered, answered.EventId);

        await Eventually.HoldsAsync(async () => await host.Postgres.ScalarAsync<string>(
            $"SELECT status FROM notification.deliveries WHERE source_event_id = '{reminder}'") == "Cancelled", Wait, "the reminder is cancelled");
    }

    [Fact]
    public async Task An_overdue_initiative_escalates_to_the_channel_the_administrators_chose()
    {
        var (unit, _) = await NewUnitAsync();
        var (desk, administrators) = (Mailbox(), Mailbox());
        await SettingsAsync(unit,
            new SubscriptionRequest("email", desk, [EventKinds.DeadlineBreached]),
            new SubscriptionRequest("email", administrators, [EventKinds.Escalation]));
        var overdue = new InitiativeOverdue(Guid.CreateVersion7(), PastDue, NotificationServiceHost.Tenant, Guid.NewGuid(), Reference(), Guid.NewGuid(), Guid.NewGuid(),
            unit, PastDue);

        await host.PublishAsync(overdue, overdue.EventId);

        Assert.Equal($"Påminnelse: SIP-initiativ obesvarat – {overdue.CaseReference}", Assert.Single(await host.MailsToAsync(desk)).Subject);
        var escalation = Assert.Single(await host.MailsToAsync(administrators));
        Assert.Equal($"Eskalering: obesvarat efter tidsgränsen – ärende {overdue.CaseReference}", escalation.Subject);
        Assert.Contains("administratör för enheten", escalation.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_unit_that_chose_a_morning_digest_gets_one_email_listing_the_events_and_deadlines_at_once()
    {
        var (unit, _) = await NewUnitAsync();
        var digest = Mailbox();
        await SettingsAsync(unit, new SubscriptionRequest("email", digest, [EventKinds.PlanLocked, EventKinds.CaseClosed, EventKinds.DeadlineBreached], Digest: true));
        var locked = new PlanLocked(Guid.CreateVersion7(), DateTimeOffset.UtcNow, NotificationServiceHost.Tenant, Guid.NewGuid(), Reference(), Guid.NewGuid(), 1, [unit]);
        var closed = new CaseClosed(Guid.CreateVersion7(), DateTimeOffset.UtcNow, NotificationServiceHost.Tenant, Guid.NewGuid(), Reference(), "1480", true, [unit]);
        var late = new PlanLate(Guid.CreateVersion7(), DateTimeOffset.UtcNow, NotificationServiceHost.Tenant, Guid.NewGuid(), Reference(), Guid.NewGuid(), 1, PastDue, [unit]);

        await host.PublishAsync(locked, locked.EventId);
        await host.PublishAsync(closed, closed.EventId);
        await host.PublishAsync(late, late.EventId);

        // A deadline does not wait for the morning; the rest does.
        Assert.Equal($"SIP inte fastställd i tid – {late.CaseReference}", Assert.Single(await host.MailsToAsync(digest)).Subject);
        await Eventually.HoldsAsync(async () => await host.Postgres.ScalarAsync<long>(
            $"SELECT count(*) FROM notification.deliveries WHERE unit_id = '{unit}' AND status = 'Held'") == 2, Wait, "two events wait for the digest");
        var tomorrowMorning = DateTimeOffset.UtcNow.AddDays(1).Date.AddHours(8);
        await host.Factory.Services.GetRequiredService<DigestWorker>().RunAsync(new DateTimeOffset(tomorrowMorning, TimeSpan.Zero), CancellationToken.None);

        var mails = await host.MailsToAsync(digest, 2);
        var morning = Assert.Single(mails, m => (m.Subject ?? "").StartsWith("SIP: sammanställning", StringComparison.Ordinal));
        Assert.EndsWith("2 händelser", morning.Subject, StringComparison.Ordinal);
        Assert.Contains($"Plan låst, ärende {locked.CaseReference}: {NotificationServiceHost.LinkBase}cases/{locked.CaseId}/plans/1", morning.TextBody, StringComparison.Ordinal);
        Assert.Contains($"SIP avslutad, ärende {closed.CaseReference}: {NotificationServiceHost.LinkBase}cases/{closed.CaseId}", morning.TextBody, StringComparison.Ordinal);
        Assert.Equal(2, await host.Postgres.ScalarAsync<long>($"SELECT count(*) FROM notification.deliveries WHERE unit_id = '{unit}' AND status = 'Digested'"));
    }

    [Fact]
    public async Task Names_and_identity_numbers_in_every_field_the_service_receives_reach_no_message_in_any_channel()
    {
        const string hostile = HostileInput.Text;
        var (mailbox, phone, hook) = (Mailbox(), Phone(), $"hooks/{Guid.NewGuid():N}");
        var unit = await host.UnitAsync(Mailbox(), name: hostile);
        await SettingsAsync(unit,
            new SubscriptionRequest("email", mailbox, [.. EventKinds.All]),
            new SubscriptionRequest("sms", phone, [.. EventKinds.All]),
            new SubscriptionRequest("webhook", host.Webhooks.Url(hook).ToString(), [.. EventKinds.All]));
        var tenant = NotificationServiceHost.Tenant;
        var (caseId, meeting, now) = (Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow);
        var calendar = HostileCalendar(meeting);
        object[] events =
        [
            new InitiativeSent(Guid.CreateVersion7(), now, tenant, caseId, hostile, Guid.NewGuid(), Guid.NewGuid(), unit, hostile, PastDue),
            new InitiativeOverdue(Guid.CreateVersion7(), now, tenant, caseId, hostile, Guid.NewGuid(), Guid.NewGuid(), unit, PastDue),
            new CaseCancelled(Guid.CreateVersion7(), now, tenant, caseId, hostile, hostile, [unit], []),
            new CaseClosed(Guid.CreateVersion7(), now, tenant, caseId, hostile, hostile, true, [unit]),
            new CaseMessageSent(Guid.CreateVersion7(), now, tenant, caseId, hostile, Guid.NewGuid(), Guid.NewGuid(), [unit], true),
            new PlanLocked(Guid.CreateVersion7(), now, tenant, caseId, hostile, Guid.NewGuid(), 3, [unit]),
            new PlanLate(Guid.CreateVersion7(), now, tenant, caseId, hostile, Guid.NewGuid(), 3, PastDue, [unit]),
            new SummonsSent(Guid.CreateVersion7(), now, tenant, Guid.NewGuid(), meeting, caseId, hostile, hostile, Guid.NewGuid(), unit, StartsAt, PastDue, calendar),
            new MeetingRescheduled(Guid.CreateVersion7(), now, tenant, meeting, caseId, hostile, hostile, StartsAt, StartsAt.AddHours(1), hostile, Guid.NewGuid(), [unit], 1, calendar),
            new MeetingCancelled(Guid.CreateVersion7(), now, tenant, meeting, caseId, hostile, hostile, StartsAt, hostile, [unit], 2, calendar),
            // Another meeting's summons: the cancelled meeting above settles its own summons, and then nothing escalates them.
            new SummonsOverdue(Guid.CreateVersion7(), now, tenant, Guid.NewGuid(), Guid.NewGuid(), caseId, hostile, hostile, Guid.NewGuid(), unit, PastDue),
            new LusDeadlineApproaching(Guid.CreateVersion7(), now, tenant, caseId, hostile, hostile, hostile, unit, PastDue),
            new LusDeadlineBreached(Guid.CreateVersion7(), now, tenant, caseId, hostile, hostile, hostile, unit, PastDue),
        ];

        foreach (var e in events)
        {
            await host.PublishAsync((dynamic)e, ((Sip.Contracts.IIntegrationEvent)e).EventId);
        }

        // Every event in every channel (the overdue initiative and summons also escalate, to the same subscriptions).
        var expected = events.Length + 2;
        try
        {
            await host.MailsToAsync(mailbox, expected);
        }
        catch (TimeoutException)
        {
            Assert.Fail(await host.Postgres.ScalarAsync<string>(
                $"SELECT string_agg(d.kind || '/' || d.channel || '/' || d.status || '/' || d.attempts || '/' || coalesce(d.last_error, '') || '/' || d.next_attempt_at, '; ') FROM notification.deliveries d WHERE unit_id = '{unit}'"));
        }
        var mails = await host.MailsToAsync(mailbox, expected);
        var texts = await SmsToAsync(phone, expected);
        var hooks = await WebhooksToAsync(hook, expected);
        Assert.Equal(3, mails.Count(m => m.Attachments.Any()));
        HostileInput.AssertAbsent(mails.Select(HostileInput.Content).Concat(texts).Concat(hooks.Select(h => h.Body)));
    }

    [Fact]
    public async Task Only_the_units_own_administrator_reads_or_changes_its_settings()
    {
        var (unit, functional) = await NewUnitAsync();
        var (other, _) = await NewUnitAsync();
        using var otherAdministrator = host.Administrator(other);
        using var staff = host.Staff($"staff-{Guid.NewGuid():N}", unit);
        using var administrator = host.Administrator(unit);
        var body = new UnitSettingsRequest([new SubscriptionRequest("email", Mailbox(), [EventKinds.PlanLocked])]);

        Assert.Equal(HttpStatusCode.Forbidden, (await otherAdministrator.GetAsync($"api/v1/notifications/units/{unit}/subscriptions")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await otherAdministrator.PutAsJsonAsync($"api/v1/notifications/units/{unit}/subscriptions", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.PutAsJsonAsync($"api/v1/notifications/units/{unit}/subscriptions", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await staff.GetAsync($"api/v1/notifications/units/{unit}/deliveries")).StatusCode);
        var read = await administrator.GetFromJsonAsync<UnitSettingsResponse>($"api/v1/notifications/units/{unit}/subscriptions", Json);
        Assert.Equal((false, functional), (read!.Customised, read.DefaultMailbox));
    }

    [Fact]
    public async Task Invalid_settings_are_refused_with_a_swedish_problem_naming_the_entry()
    {
        var (unit, _) = await NewUnitAsync();
        using var administrator = host.Administrator(unit);

        async Task<JsonNode> Refused(SubscriptionRequest entry)
        {
            var response = await administrator.PutAsJsonAsync($"api/v1/notifications/units/{unit}/subscriptions",
                new UnitSettingsRequest([new SubscriptionRequest("email", Mailbox(), [EventKinds.PlanLocked]), entry]));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        }

        var phone = await Refused(new SubscriptionRequest("sms", "070-12", [EventKinds.PlanLocked]));
        Assert.Equal("urn:sip:problem:invalid-subscription", phone["type"]!.GetValue<string>());
        Assert.Equal("Ogiltig aviseringsinställning", phone["title"]!.GetValue<string>());
        Assert.Equal("$.subscriptions[1]", phone["field"]?.GetValue<string>());
        Assert.Contains("landsnummer", (await Refused(new SubscriptionRequest("sms", "070-12", [EventKinds.PlanLocked])))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("händelsetyp", (await Refused(new SubscriptionRequest("email", Mailbox(), ["plan-exploded"])))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("https", (await Refused(new SubscriptionRequest("webhook", "ftp://case-system.example.se/hook", [EventKinds.PlanLocked])))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("bara för e-post", (await Refused(new SubscriptionRequest("sms", "+46701234567", [EventKinds.PlanLocked], Digest: true)))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var unchanged = await administrator.GetFromJsonAsync<UnitSettingsResponse>($"api/v1/notifications/units/{unit}/subscriptions", Json);
        Assert.False(unchanged!.Customised);
    }

    [Fact]
    public async Task A_change_based_on_stale_settings_is_refused_with_412()
    {
        var (unit, _) = await NewUnitAsync();
        using var administrator = host.Administrator(unit);
        var read = await administrator.GetAsync($"api/v1/notifications/units/{unit}/subscriptions");
        var etag = read.Headers.ETag!;
        await SettingsAsync(unit, new SubscriptionRequest("email", Mailbox(), [EventKinds.PlanLocked]));

        var request = new HttpRequestMessage(HttpMethod.Put, $"api/v1/notifications/units/{unit}/subscriptions")
        {
            Content = JsonContent.Create(new UnitSettingsRequest([])),
        };
        request.Headers.IfMatch.Add(etag);
        var stale = await administrator.SendAsync(request);

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Single((await administrator.GetFromJsonAsync<UnitSettingsResponse>($"api/v1/notifications/units/{unit}/subscriptions", Json))!.Subscriptions);
    }

    [Fact]
    public async Task Staff_watch_a_case_only_through_a_unit_they_work_in()
    {
        var (unit, _) = await NewUnitAsync();
        var (other, _) = await NewUnitAsync();
        using var staff = host.Staff($"staff-{Guid.NewGuid():N}", unit);

        var elsewhere = await staff.PutAsJsonAsync($"api/v1/notifications/cases/{Guid.NewGuid()}/watch", new WatchRequest(other, Mailbox()));
        var badAddress = await staff.PutAsJsonAsync($"api/v1/notifications/cases/{Guid.NewGuid()}/watch", new WatchRequest(unit, "inte en adress"));

        Assert.Equal(HttpStatusCode.Forbidden, elsewhere.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badAddress.StatusCode);
        Assert.Empty((await staff.GetFromJsonAsync<WatchResponse[]>("api/v1/notifications/watches", Json))!);
    }

    private async Task<(Guid Unit, string FunctionalMailbox)> NewUnitAsync()
    {
        var mailbox = Mailbox();
        return (await host.UnitAsync(mailbox), mailbox);
    }

    private Task<UnitSettingsResponse> SettingsAsync(Guid unit, params SubscriptionRequest[] subscriptions) => SettingsAsync(unit, true, subscriptions);

    /// <summary>Saves the unit's settings as its administrator; webhook secrets are registered with the receiver (unless told not to).</summary>
    private async Task<UnitSettingsResponse> SettingsAsync(Guid unit, bool registerSecrets, params SubscriptionRequest[] subscriptions)
    {
        using var administrator = host.Administrator(unit);
        var response = await administrator.PutAsJsonAsync($"api/v1/notifications/units/{unit}/subscriptions", new UnitSettingsRequest(subscriptions));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var settings = (await response.Content.ReadFromJsonAsync<UnitSettingsResponse>(Json))!;
        foreach (var webhook in settings.Subscriptions.Where(s => s.Channel == "webhook"))
        {
            Assert.StartsWith("whsec_", webhook.Secret, StringComparison.Ordinal);
            if (registerSecrets)
            {
                host.Webhooks.Register(new Uri(webhook.Address).AbsolutePath.TrimStart('/'), webhook.Secret!);
            }
        }
        return settings;
    }

    private async Task<DeliveryLogEntry[]> LogAsync(Guid unit, string? status = null)
    {
        using var administrator = host.Administrator(unit);
        return (await administrator.GetFromJsonAsync<DeliveryLogEntry[]>(
            $"api/v1/notifications/units/{unit}/deliveries{(status is null ? "" : $"?status={status}")}", Json))!;
    }

    private async Task<IReadOnlyList<string>> SmsToAsync(string phone, int count = 1)
    {
        await Eventually.HoldsAsync(() => Task.FromResult(host.Sms.To(phone).Count >= count), Wait, $"{count} SMS reach the phone");
        return host.Sms.To(phone);
    }

    private async Task<IReadOnlyList<(string Path, string Id, string Body)>> WebhooksToAsync(string path, int count = 1)
    {
        await Eventually.HoldsAsync(() => Task.FromResult(host.Webhooks.Accepted.Count(a => a.Path == path) >= count), Wait, $"{count} webhook(s) reach {path}");
        return host.Webhooks.Accepted.Where(a => a.Path == path).ToList();
    }

    private static InitiativeSent Initiative(Guid unit, DateTimeOffset dueAt) =>
        new(Guid.CreateVersion7(), DateTimeOffset.UtcNow, NotificationServiceHost.Tenant, Guid.NewGuid(), Reference(), Guid.NewGuid(), Guid.NewGuid(), unit, "1480", dueAt);

    private static CaseMessageSent CaseMessage(Guid unit, bool requiresAcknowledgement) =>
        new(Guid.CreateVersion7(), DateTimeOffset.UtcNow, NotificationServiceHost.Tenant, Guid.NewGuid(), Reference(), Guid.NewGuid(), Guid.NewGuid(), [unit],
            requiresAcknowledgement);

    private static SummonsSent Summons(Guid meeting, Guid caseId, string reference, Guid unit) =>
        new(Guid.CreateVersion7(), DateTimeOffset.UtcNow, NotificationServiceHost.Tenant, Guid.NewGuid(), meeting, caseId, reference, "Planning", Guid.NewGuid(), unit,
            StartsAt, PastDue, HostileCalendar(meeting));

    /// <summary>A calendar item with a name, an identity number and an address in every text property it has.</summary>
    private static string HostileCalendar(Guid meeting)
    {
        var calendar = new IcalCalendar { Method = "REQUEST" };
        calendar.Events.Add(new CalendarEvent
        {
            Uid = $"{meeting}@sip-platform",
            Sequence = 1,
            DtStart = new CalDateTime(StartsAt.UtcDateTime, CalDateTime.UtcTzId),
            DtEnd = new CalDateTime(StartsAt.UtcDateTime.AddHours(1), CalDateTime.UtcTzId),
            Summary = HostileInput.Text,
            Description = HostileInput.Text,
            Location = HostileInput.Text,
            Comments = [HostileInput.Text],
            Organizer = new Organizer("mailto:anna.andersson@example.se") { CommonName = HostileInput.Text },
            Attendees = [new Attendee("mailto:anna.andersson@example.se") { CommonName = HostileInput.Text }],
        });
        return new CalendarSerializer().SerializeToString(calendar)!;
    }

    private static string Mailbox() => $"sip-{Guid.NewGuid():N}@enhet.example.se";

    private static string Phone() => $"+4670{Random.Shared.Next(1_000_000, 9_999_999)}";

    private static string Reference() => $"SIP-2026-{Random.Shared.Next(0, 999_999):D6}";
}
