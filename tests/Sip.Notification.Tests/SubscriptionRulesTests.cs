using Sip.Notification.Domain;
using Sip.ServiceDefaults;

namespace Sip.Notification.Tests;

public sealed class SubscriptionRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 6, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("+46 70-123 45 67", "+46701234567")]
    [InlineData("070-123 45 67", "+46701234567")]
    [InlineData("0046701234567", "+46701234567")]
    [InlineData("+4531234567", "+4531234567")]
    public void A_phone_number_is_kept_in_international_form(string given, string kept)
    {
        var subscription = Subscription.Create("t", Guid.NewGuid(), Channels.Sms, given, [EventKinds.PlanLocked], false, false, Now);

        Assert.Equal(kept, subscription.Address);
        Assert.Null(subscription.Secret);
    }

    [Theory]
    [InlineData(Channels.Sms, "070-12", "landsnummer")]
    [InlineData(Channels.Email, "inte en adress", "E-postadressen")]
    [InlineData(Channels.Webhook, "http://case-system.example.se/hook", "https")]
    [InlineData(Channels.Webhook, "https://user:secret@case-system.example.se/hook", "https")]
    [InlineData("fax", "+46701234567", "email, sms eller webhook")]
    public void A_bad_address_or_channel_is_refused_in_swedish(string channel, string address, string says)
    {
        var refused = Assert.Throws<DomainException>(() => Subscription.Create("t", Guid.NewGuid(), channel, address, [EventKinds.PlanLocked], false, false, Now));

        Assert.Equal(400, refused.Status);
        Assert.Contains(says, refused.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Kinds_must_be_known_and_at_least_one()
    {
        Assert.Throws<DomainException>(() => Subscription.Create("t", Guid.NewGuid(), Channels.Email, "sip@enhet.example.se", [], false, false, Now));
        Assert.Throws<DomainException>(() => Subscription.Create("t", Guid.NewGuid(), Channels.Email, "sip@enhet.example.se", ["everything"], false, false, Now));
    }

    [Fact]
    public void A_webhook_gets_a_secret_that_it_keeps_when_changed_and_loses_when_it_becomes_an_email()
    {
        var webhook = Subscription.Create("t", Guid.NewGuid(), Channels.Webhook, "https://case-system.example.se/hook", [EventKinds.PlanLocked], false, false, Now);
        var secret = webhook.Secret;

        webhook.Change(Channels.Webhook, "https://case-system.example.se/other", [EventKinds.PlanLocked, EventKinds.CaseClosed], false, false);
        Assert.Equal(secret, webhook.Secret);
        Assert.StartsWith(WebhookSignature.Prefix, secret, StringComparison.Ordinal);

        webhook.Change(Channels.Email, "sip@enhet.example.se", [EventKinds.PlanLocked], true, false);
        Assert.Null(webhook.Secret);
        Assert.True(webhook.Digest);
    }

    [Fact]
    public void Plain_http_webhooks_only_where_configured()
    {
        var local = Subscription.Create("t", Guid.NewGuid(), Channels.Webhook, "http://127.0.0.1:8080/hook", [EventKinds.PlanLocked], false, true, Now);

        Assert.Equal("http://127.0.0.1:8080/hook", local.Address);
    }

    [Fact]
    public void A_signature_verifies_only_for_the_same_id_timestamp_and_body_within_the_tolerance()
    {
        var secret = WebhookSignature.NewSecret();
        var now = DateTimeOffset.FromUnixTimeSeconds(1_780_000_000);
        var signature = WebhookSignature.Sign(secret, "msg-1", now.ToUnixTimeSeconds(), """{"a":1}""");
        var ts = now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var tolerance = TimeSpan.FromMinutes(5);

        Assert.True(WebhookSignature.Verify(secret, "msg-1", ts, """{"a":1}""", signature, now, tolerance));
        Assert.False(WebhookSignature.Verify(secret, "msg-1", ts, """{"a":2}""", signature, now, tolerance));
        Assert.False(WebhookSignature.Verify(secret, "msg-2", ts, """{"a":1}""", signature, now, tolerance));
        Assert.False(WebhookSignature.Verify(WebhookSignature.NewSecret(), "msg-1", ts, """{"a":1}""", signature, now, tolerance));
        Assert.False(WebhookSignature.Verify(secret, "msg-1", ts, """{"a":1}""", signature, now.AddMinutes(6), tolerance));
    }

    [Fact]
    public void The_digest_moment_is_the_latest_morning_in_swedish_time()
    {
        var at = new TimeOnly(7, 0);

        // 05:30 UTC in winter is 06:30 in Sweden: before today's digest, so yesterday's counts.
        Assert.Equal((new DateOnly(2026, 1, 14), new DateTimeOffset(2026, 1, 14, 6, 0, 0, TimeSpan.Zero)),
            Delivery.DigestWorker.LastDigestTime(at, new DateTimeOffset(2026, 1, 15, 5, 30, 0, TimeSpan.Zero)));
        // 05:30 UTC in summer is 07:30 in Sweden: today's digest (05:00 UTC).
        Assert.Equal((new DateOnly(2026, 7, 15), new DateTimeOffset(2026, 7, 15, 5, 0, 0, TimeSpan.Zero)),
            Delivery.DigestWorker.LastDigestTime(at, new DateTimeOffset(2026, 7, 15, 5, 30, 0, TimeSpan.Zero)));
    }
}
