using System.Net.Http.Headers;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Sip.Notification.Domain;

namespace Sip.Notification.Delivery;

/// <summary>What a channel sender is handed: one delivery as stored (and, for a webhook, its subscription's secret).</summary>
public sealed record Outbound(Guid DeliveryId, string Recipient, string Subject, string Body, Attachment? Attachment, string? Secret);

/// <summary>Sends through one channel; throws when the message was not accepted (the worker retries it later).</summary>
public interface IChannelSender
{
    string Channel { get; }

    Task SendAsync(Outbound message, CancellationToken ct);
}

public sealed class SmtpOptions
{
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 1025;
    public string From { get; set; } = "SIP-plattformen <noreply@sip.localhost>";
    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary><c>StartTls</c> (required) or <c>SslOnConnect</c> in production; <c>StartTlsWhenAvailable</c> or <c>None</c> for a local sink.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTlsWhenAvailable;
}

/// <summary>E-mail over SMTP with MailKit: a plain-text body, and the meeting's .ics attached where there is one.</summary>
public sealed class SmtpEmailSender(IOptions<SmtpOptions> options) : IChannelSender
{
    public string Channel => Channels.Email;

    public async Task SendAsync(Outbound message, CancellationToken ct)
    {
        var smtp = options.Value;
        using var mail = new MimeMessage();
        mail.From.Add(MailboxAddress.Parse(smtp.From));
        mail.To.Add(MailboxAddress.Parse(message.Recipient));
        mail.Subject = message.Subject;
        // The delivery's id: a relay that retries, or a second attempt after a lost reply, carries the same Message-Id.
        mail.MessageId = $"{message.DeliveryId}@sip-platform";
        var text = new TextPart("plain") { Text = message.Body };
        mail.Body = message.Attachment is { } a ? new Multipart("mixed") { text, Part(a) } : text;

        using var client = new SmtpClient();
        await client.ConnectAsync(smtp.Host, smtp.Port, smtp.Security, ct);
        if (!string.IsNullOrEmpty(smtp.Username))
        {
            await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", ct);
        }
        await client.SendAsync(mail, ct);
        await client.DisconnectAsync(true, ct);
    }

    private static MimePart Part(Attachment attachment) => new(ContentType.Parse(attachment.ContentType))
    {
        Content = new MimeContent(new MemoryStream(Encoding.UTF8.GetBytes(attachment.Content))),
        ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
        ContentTransferEncoding = ContentEncoding.Base64,
        FileName = attachment.FileName,
    };
}

public sealed class SmsOptions
{
    /// <summary>The provider's send endpoint, e.g. <c>https://api.46elks.com/a1/sms</c>; none configured: SMS deliveries wait (and say why).</summary>
    public string? Endpoint { get; set; }

    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>The sender name shown on the phone (at most 11 letters and digits).</summary>
    public string Sender { get; set; } = "SIP";
}

/// <summary>
/// SMS through an HTTP provider, in the form Swedish providers such as 46elks take: a form post of <c>from</c>, <c>to</c>
/// and <c>message</c> with HTTP Basic credentials; any 2xx is accepted. Another provider's form is a new adapter here.
/// </summary>
public sealed class HttpSmsSender(IHttpClientFactory http, IOptions<SmsOptions> options) : IChannelSender
{
    public const string ClientName = "sms";

    public string Channel => Channels.Sms;

    public async Task SendAsync(Outbound message, CancellationToken ct)
    {
        var sms = options.Value;
        if (string.IsNullOrWhiteSpace(sms.Endpoint))
        {
            throw new InvalidOperationException("No SMS provider is configured (Sms:Endpoint).");
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, sms.Endpoint)
        {
            Content = new FormUrlEncodedContent([new("from", sms.Sender), new("to", message.Recipient), new("message", message.Body)]),
        };
        if (!string.IsNullOrEmpty(sms.Username))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{sms.Username}:{sms.Password}")));
        }
        using var response = await http.CreateClient(ClientName).SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new ProviderRefusedException((int)response.StatusCode);
        }
    }
}

/// <summary>
/// Webhooks: the stored CloudEvent, signed at send time (Standard Webhooks headers), to the subscription's URL.
/// Redirects are not followed: a case system's address is the one its administrators registered.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory http, TimeProvider clock) : IChannelSender
{
    public const string ClientName = "webhooks";

    public string Channel => Channels.Webhook;

    public async Task SendAsync(Outbound message, CancellationToken ct)
    {
        if (message.Secret is null)
        {
            throw new InvalidOperationException("The webhook's subscription is gone.");
        }
        var id = message.DeliveryId.ToString();
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, message.Recipient)
        {
            Content = new StringContent(message.Body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(CloudEvents.ContentType);
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(message.Secret, id, timestamp, message.Body));
        using var response = await http.CreateClient(ClientName).SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new ProviderRefusedException((int)response.StatusCode);
        }
    }
}

/// <summary>The provider or receiver answered with a non-success status; the log keeps the status code, never the reply.</summary>
public sealed class ProviderRefusedException(int status) : Exception($"The receiver answered {status}.")
{
    public int Status { get; } = status;
}
