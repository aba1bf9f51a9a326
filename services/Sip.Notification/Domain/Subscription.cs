using System.Net.Mail;
using System.Text.RegularExpressions;

namespace Sip.Notification.Domain;

/// <summary>
/// One channel a unit's administrators chose: which event kinds go to which address (a mailbox, a phone number or a
/// webhook URL). Addresses are organisational (a unit's mailbox, an on-call phone, a case system), not an individual's.
/// </summary>
public sealed partial class Subscription
{
    private Subscription()
    {
    }

    public Guid Id { get; private init; }
    public string TenantId { get; private init; } = "";
    public Guid UnitId { get; private init; }
    public string Channel { get; private set; } = Channels.Email;
    public string Address { get; private set; } = "";

    /// <summary>The webhook's signing secret (<c>whsec_</c> + base64), shown to the administrator once when created.</summary>
    public string? Secret { get; private set; }

    public List<string> Kinds { get; private set; } = [];

    /// <summary>E-mail only: everything for this address waits for one morning digest instead of a message per event.</summary>
    public bool Digest { get; private set; }

    public DateTimeOffset CreatedAt { get; private init; }

    public static Subscription Create(string tenantId, Guid unitId, string channel, string address, IEnumerable<string> kinds, bool digest,
        bool allowPlainHttpWebhooks, DateTimeOffset now)
    {
        var subscription = new Subscription { Id = Guid.CreateVersion7(now), TenantId = tenantId, UnitId = unitId, CreatedAt = now };
        subscription.Change(channel, address, kinds, digest, allowPlainHttpWebhooks);
        if (subscription.Channel == Channels.Webhook)
        {
            subscription.Secret = WebhookSignature.NewSecret();
        }
        return subscription;
    }

    /// <summary>Changes what and how; a webhook keeps its secret unless it moves to another channel.</summary>
    public void Change(string channel, string address, IEnumerable<string> kinds, bool digest, bool allowPlainHttpWebhooks)
    {
        var list = kinds.Distinct(StringComparer.Ordinal).ToList();
        if (list.Count == 0)
        {
            throw Invalid("Ange minst en händelsetyp för varje kanal.");
        }
        if (list.FirstOrDefault(k => !EventKinds.IsKnown(k)) is { } unknown)
        {
            throw Invalid($"Okänd händelsetyp: {Truncate(unknown)}.");
        }
        address = address.Trim();
        switch (channel)
        {
            case Channels.Email:
                if (!IsEmail(address))
                {
                    throw Invalid("E-postadressen är ogiltig.");
                }
                break;
            case Channels.Sms:
                address = NormalisePhone(address) ?? throw Invalid("Telefonnumret ska anges med landsnummer, t.ex. +46701234567.");
                if (digest)
                {
                    throw Invalid("Morgonsammanställning finns bara för e-post.");
                }
                break;
            case Channels.Webhook:
                if (!Uri.TryCreate(address, UriKind.Absolute, out var url) || !(url.Scheme == Uri.UriSchemeHttps || (allowPlainHttpWebhooks && url.Scheme == Uri.UriSchemeHttp))
                    || !string.IsNullOrEmpty(url.UserInfo) || address.Length > 500)
                {
                    throw Invalid("Webbhookens adress ska vara en fullständig https-adress.");
                }
                if (digest)
                {
                    throw Invalid("Morgonsammanställning finns bara för e-post.");
                }
                break;
            default:
                throw Invalid("Kanalen ska vara email, sms eller webhook.");
        }
        if (Channel != channel && channel == Channels.Webhook)
        {
            Secret = WebhookSignature.NewSecret();
        }
        else if (channel != Channels.Webhook)
        {
            Secret = null;
        }
        Channel = channel;
        Address = address;
        Kinds = list;
        Digest = digest;
    }

    /// <summary>The form a recipient is compared in: two subscriptions to one address get one message per event.</summary>
    public string RecipientKey => RecipientKeyOf(Channel, Address);

    public static string RecipientKeyOf(string channel, string address) => channel == Channels.Webhook ? address : address.ToLowerInvariant();

    public static bool IsEmail(string address) =>
        address.Length <= 254 && MailAddress.TryCreate(address, out var parsed) && parsed.Address == address && address.Contains('.', StringComparison.Ordinal);

    /// <summary>+46701234567 from "+46 70-123 45 67"; a Swedish 07… number gets +46; anything else is refused.</summary>
    public static string? NormalisePhone(string phone)
    {
        var digits = PhoneNoise().Replace(phone, "");
        if (digits.StartsWith("00", StringComparison.Ordinal))
        {
            digits = "+" + digits[2..];
        }
        else if (digits.StartsWith('0'))
        {
            digits = "+46" + digits[1..];
        }
        return E164().IsMatch(digits) ? digits : null;
    }

    private static string Truncate(string value) => value.Length > 40 ? value[..40] : value;

    private static Sip.ServiceDefaults.DomainException Invalid(string detail) =>
        new("invalid-subscription", "Ogiltig aviseringsinställning", detail, 400);

    [GeneratedRegex(@"[\s\-()]")]
    private static partial Regex PhoneNoise();

    [GeneratedRegex(@"^\+[1-9]\d{7,14}$")]
    private static partial Regex E164();
}

/// <summary>A member of staff who handles a case watches it: e-mail to their work address of what their unit is told about the case.</summary>
public sealed class CaseWatch
{
    public string TenantId { get; init; } = "";
    public Guid CaseId { get; init; }

    /// <summary>The watcher's token subject (HSA-id): one watch per person and case.</summary>
    public string Subject { get; init; } = "";

    /// <summary>The unit through which the person watches: only what this unit is told reaches them.</summary>
    public Guid UnitId { get; set; }

    public string Email { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// An initiative or summons that no longer waits for an answer (answered, or cancelled with its case or meeting): its
/// reminder and escalation are cancelled, and one that arrives later (the broker does not order events) is not written.
/// </summary>
public sealed class SettledItem
{
    /// <summary><c>initiative/{id}</c>, <c>summons/{meetingId}/{summonsId}</c> or <c>summons/{meetingId}/*</c> (every summons of a cancelled meeting).</summary>
    public string Key { get; init; } = "";

    public string TenantId { get; init; } = "";
    public DateTimeOffset SettledAt { get; init; }
}
