using System.Text.RegularExpressions;
using MimeKit;

namespace Sip.Notification.Tests;

/// <summary>What someone might put where a code, a reference or a name belongs — and the check that none of it left.</summary>
public static partial class HostileInput
{
    public const string Text = "Anna Andersson 19121212-1212 anna.andersson@example.se Storgatan 1 <script>";

    private static readonly string[] Fragments = ["Andersson", "Storgatan", "<script>", "19121212", "121212-1212", "@example.se"];

    // 10 or 12 digits with an optional '-' or '+' before the last four: a personnummer-shaped sequence, not inside a GUID.
    [GeneratedRegex(@"(?<![0-9A-Fa-f-])(\d{6}|\d{8})[-+]?\d{4}(?![0-9A-Fa-f]|-[0-9A-Fa-f])")]
    private static partial Regex IdentityNumberLike();

    // Ids in links and webhook bodies are random hex: one of them can look like digits-dash-digits by chance, so they go first.
    [GeneratedRegex(@"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Guid();

    /// <summary>What a reader of the e-mail sees: subject, text and every attachment.</summary>
    public static string Content(MimeMessage mail) =>
        mail.Subject + "\n" + mail.TextBody + "\n" + string.Join("\n", mail.Attachments.OfType<TextPart>().Select(p => p.Text));

    public static void AssertAbsent(IEnumerable<string> messages)
    {
        foreach (var message in messages)
        {
            // Unfolded first: iCalendar folds long lines, and a folded number must not slip through.
            var text = Guid().Replace(message.Replace("\r\n ", "", StringComparison.Ordinal).Replace("\r\n\t", "", StringComparison.Ordinal), "");
            foreach (var fragment in Fragments)
            {
                Assert.DoesNotContain(fragment, text, StringComparison.OrdinalIgnoreCase);
            }
            Assert.DoesNotMatch(IdentityNumberLike(), text);
        }
    }
}
