using Sip.Notification.Domain;

namespace Sip.Notification.Tests;

using Delivery = Sip.Notification.Domain.Delivery;

public sealed class EmailDeliveryTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 6, 9, 0, 0, TimeSpan.Zero);
    private static readonly Message Text = new("Nytt SIP-initiativ att besvara – SIP-2026-000123", "Hej!");

    [Fact]
    public void A_unit_without_an_email_address_is_skipped_with_a_swedish_reason()
    {
        var delivery = Delivery.Email("tenant-a", Guid.NewGuid(), null, Text, "SIP-2026-000123", Guid.NewGuid(), Now);

        Assert.Equal(DeliveryStatus.Skipped, delivery.Status);
        Assert.NotNull(delivery.LastError);
        Assert.Contains("e-postadress", delivery.LastError, StringComparison.Ordinal);
        Assert.Equal(0, delivery.Attempts);
        Assert.Null(delivery.SentAt);
    }

    [Fact]
    public void A_unit_with_an_email_address_gets_a_pending_delivery_due_now()
    {
        var unit = Guid.NewGuid();
        var source = Guid.NewGuid();

        var delivery = Delivery.Email("tenant-a", unit, "sip@vardcentralen.example.se", Text, "SIP-2026-000123", source, Now);

        Assert.Equal(DeliveryStatus.Pending, delivery.Status);
        Assert.Null(delivery.LastError);
        Assert.Equal(Now, delivery.NextAttemptAt);
        Assert.Equal((unit, source, "email"), (delivery.UnitId, delivery.SourceEventId, delivery.Channel));
        Assert.Equal((Text.Subject, Text.Body), (delivery.Subject, delivery.Body));
        Assert.Equal("sip@vardcentralen.example.se", delivery.RecipientKey);
    }

    [Fact]
    public void Only_a_given_up_delivery_can_be_retried_and_it_gets_fresh_attempts()
    {
        var delivery = Delivery.Email("tenant-a", Guid.NewGuid(), "sip@vardcentralen.example.se", Text, "SIP-2026-000123", Guid.NewGuid(), Now);

        Assert.False(delivery.Retry(Now));
        Assert.Equal(DeliveryStatus.Pending, delivery.Status);
        Assert.Equal(Delivery.MaxAttempts, delivery.GiveUpAfter);
    }
}
