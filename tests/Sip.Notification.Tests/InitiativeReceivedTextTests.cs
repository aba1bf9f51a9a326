using System.Text.RegularExpressions;
using Sip.Notification.Domain;

namespace Sip.Notification.Tests;

public sealed partial class InitiativeReceivedTextTests
{
    private const string UnitName = "Vårdcentralen Norrmalm";
    private const string Reference = "SIP-2026-000123";
    private static readonly Uri Link = new("https://sip.example.se/arenden/SIP-2026-000123");

    // 10 or 12 digits with an optional '-' or '+' before the last four: a personnummer-shaped sequence, not inside a GUID.
    [GeneratedRegex(@"(?<![0-9A-Fa-f-])(\d{6}|\d{8})[-+]?\d{4}(?![0-9A-Fa-f]|-[0-9A-Fa-f])")]
    private static partial Regex IdentityNumberLike();

    [Fact]
    public void The_subject_names_the_case_reference()
    {
        var message = Templates.InitiativeReceived(Reference, Link, new DateTimeOffset(2026, 7, 3, 8, 15, 0, TimeSpan.Zero));

        Assert.Contains(Reference, message.Subject, StringComparison.Ordinal);
        Assert.Contains("initiativ", message.Subject, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_body_names_the_case_reference_and_links_to_the_case_but_not_the_unit_by_its_name()
    {
        var message = Templates.InitiativeReceived(Reference, Link, new DateTimeOffset(2026, 7, 3, 8, 15, 0, TimeSpan.Zero));

        Assert.DoesNotContain(UnitName, message.Body, StringComparison.Ordinal);
        Assert.Contains("Enheten har fått", message.Body, StringComparison.Ordinal);
        Assert.Contains(Reference, message.Body, StringComparison.Ordinal);
        Assert.Contains(Link.ToString(), message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void A_summer_due_time_is_shown_in_swedish_summer_time()
    {
        var message = Templates.InitiativeReceived(Reference, Link, new DateTimeOffset(2026, 7, 3, 8, 15, 0, TimeSpan.Zero));

        Assert.Contains("fredag 3 juli 2026 kl. 10:15", message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void A_winter_due_time_is_shown_in_swedish_standard_time()
    {
        var message = Templates.InitiativeReceived(Reference, Link, new DateTimeOffset(2026, 1, 15, 8, 15, 0, TimeSpan.Zero));

        Assert.Contains("torsdag 15 januari 2026 kl. 09:15", message.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void The_due_time_does_not_depend_on_the_offset_it_was_given_in()
    {
        var utc = Templates.InitiativeReceived(Reference, Link, new DateTimeOffset(2026, 3, 30, 22, 30, 0, TimeSpan.Zero));
        var newYork = Templates.InitiativeReceived(Reference, Link, new DateTimeOffset(2026, 3, 30, 18, 30, 0, TimeSpan.FromHours(-4)));

        Assert.Equal(utc, newYork);
        Assert.Contains("tisdag 31 mars 2026 kl. 00:30", utc.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void The_text_carries_no_identity_number_like_sequence()
    {
        var message = Templates.InitiativeReceived(Reference, Link, new DateTimeOffset(2026, 7, 3, 8, 15, 0, TimeSpan.Zero));

        Assert.DoesNotMatch(IdentityNumberLike(), message.Subject);
        Assert.DoesNotMatch(IdentityNumberLike(), message.Body);
    }

    [Fact]
    public void The_text_contains_nothing_but_the_given_reference_link_and_due_time()
    {
        var dueAt = new DateTimeOffset(2026, 7, 3, 8, 15, 0, TimeSpan.Zero);
        var message = Templates.InitiativeReceived(Reference, Link, dueAt);

        // Take away what the template was given; the fixed Swedish text that remains has no digits
        // and no names.
        var rest = (message.Subject + "\n" + message.Body)
            .Replace(Link.ToString(), "", StringComparison.Ordinal)
            .Replace(Reference, "", StringComparison.Ordinal)
            .Replace("fredag 3 juli 2026 kl. 10:15", "", StringComparison.Ordinal);

        Assert.DoesNotMatch(@"\d", rest);
        Assert.DoesNotContain("http", rest, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@", rest, StringComparison.Ordinal);
    }

    [Fact]
    public void Different_references_give_texts_that_differ_only_in_them()
    {
        var dueAt = new DateTimeOffset(2026, 7, 3, 8, 15, 0, TimeSpan.Zero);
        var a = Templates.InitiativeReceived("SIP-2026-000001", new Uri("https://sip.example.se/arenden/a"), dueAt);
        var b = Templates.InitiativeReceived("SIP-2026-000002", new Uri("https://sip.example.se/arenden/b"), dueAt);

        static string Neutral(Message m, string reference, string link) =>
            (m.Subject + m.Body).Replace(link, "LINK", StringComparison.Ordinal).Replace(reference, "REF", StringComparison.Ordinal);

        Assert.Equal(Neutral(a, "SIP-2026-000001", "https://sip.example.se/arenden/a"), Neutral(b, "SIP-2026-000002", "https://sip.example.se/arenden/b"));
    }

    [Fact]
    public void An_identity_number_where_the_case_reference_belongs_is_not_printed_by_any_case_text()
    {
        const string hostile = "19121212-1212 Anna Andersson";
        var dueAt = new DateTimeOffset(2026, 7, 3, 8, 15, 0, TimeSpan.Zero);
        Message[] texts =
        [
            Templates.InitiativeReceived(hostile, Link, dueAt),
            Templates.InitiativeOverdue(hostile, Link, dueAt),
            Templates.CaseCancelled(hostile, "ConsentWithdrawn"),
            Templates.CaseClosed(hostile, withEvaluationMeeting: true),
            Templates.PlanLocked(hostile, 2, Link),
        ];

        Assert.All(texts, m =>
        {
            Assert.DoesNotMatch(IdentityNumberLike(), m.Subject + m.Body);
            Assert.DoesNotContain("Anna", m.Subject + m.Body, StringComparison.Ordinal);
            Assert.Contains("(okänd ärendereferens)", m.Subject, StringComparison.Ordinal);
        });
    }
}
