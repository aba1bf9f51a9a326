using Sip.Notification.Delivery;
using Sip.Notification.Domain;

namespace Sip.Notification.Tests;

public sealed class DeliveryWakeTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 6, 9, 0, 0, TimeSpan.Zero);

    private static Domain.Delivery To(string channel, string? recipient = "sip@enhet.example.se", bool held = false, DateTimeOffset? sendAt = null) =>
        Domain.Delivery.To("t", Guid.NewGuid(), channel, recipient, $"{channel}:{Guid.NewGuid()}", "unit", null,
            new Notice(EventKinds.InitiativeReceived, Guid.NewGuid(), "SIP-2026-000001", new Uri("about:blank"), null, new Message("Ämne", "Text"), "Sms"),
            EventKinds.InitiativeReceived, Guid.NewGuid(), Now, _ => "", held, sendAt);

    [Fact]
    public void Only_the_channels_with_a_delivery_to_send_now_are_woken_one_loop_per_delivery()
    {
        var due = DeliveryWorkers.DueNow([
            To(Channels.Email), To(Channels.Email), To(Channels.Email),
            To(Channels.Sms, held: true),
            To(Channels.Webhook, sendAt: Now.AddMinutes(5)),
            To(Channels.Email, recipient: null),
        ], Now);

        // Three e-mails to send; the digest's SMS, the reminder's later webhook and the skipped e-mail wake nothing.
        Assert.Equal(new Dictionary<string, int> { [Channels.Email] = 3 }, due);
    }
}
