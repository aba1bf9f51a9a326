using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Sip.Notification.Domain;

namespace Sip.Notification.Delivery;

public interface IEmailSender
{
    Task SendAsync(string recipient, Message message, CancellationToken ct);
}

public sealed class SmtpOptions
{
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 1025;
    public string From { get; set; } = "SIP-plattformen <noreply@sip.localhost>";
    public string? Username { get; set; }
    public string? Password { get; set; }
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTlsWhenAvailable;
}

public sealed class SmtpEmailSender(IOptions<SmtpOptions> options) : IEmailSender
{
    public async Task SendAsync(string recipient, Message message, CancellationToken ct)
    {
        var smtp = options.Value;
        using var mail = new MimeMessage();
        mail.From.Add(MailboxAddress.Parse(smtp.From));
        mail.To.Add(MailboxAddress.Parse(recipient));
        mail.Subject = message.Subject;
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
        Content = new MimeContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(attachment.Content))),
        ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
        ContentTransferEncoding = ContentEncoding.Base64,
        FileName = attachment.FileName,
    };
}
