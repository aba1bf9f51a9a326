using System.Text;
using System.Text.RegularExpressions;

namespace Sip.MeetingScheduling.Documents;

/// <summary>
/// What an invitation letter says. There is no field for an identity number. <see cref="PlaceDetails"/> (address, room or
/// link) is null when it may not be shown to this recipient, e.g. the home of a person with a protected address.
/// </summary>
public sealed record LetterContent(string RecipientName, string? RecipientAddress, string Kind, DateTimeOffset StartsAt, DateTimeOffset EndsAt,
    string PlaceType, string? PlaceDetails, string Reason, string ConvenedByUnitName, string? ConvenerMailbox, string CoordinatorName,
    string? CoordinatorPhone, string? ChairName, string CaseReference, DateOnly LetterDate);

/// <summary>
/// A printable Swedish invitation to a meeting, for people and actors without access to the platform. One HTML page
/// with print CSS for A4: shown in a browser as is, and printed to PDF by <see cref="Sip.Documents.PdfPrinter"/>.
/// </summary>
public static partial class InvitationLetter
{
    public static string Html(LetterContent content)
    {
        var c = content;
        var heading = MeetingTexts.InvitationHeading(c.Kind);
        var kind = MeetingTexts.Kind(c.Kind);
        var html = new StringBuilder();
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="sv">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <title>{{E(heading)}} – {{E(c.CaseReference)}}</title>
            <style>{{Css}}{{PageFooter(c.CaseReference)}}</style>
            </head>
            <body>
            <div class="letter">
            <header class="letterhead">
            <div class="sender">{{E(c.ConvenedByUnitName)}}</div>
            <dl class="meta">
            <dt>Datum</dt><dd>{{E(MeetingTexts.Date(c.LetterDate))}}</dd>
            <dt>Ärende</dt><dd>{{E(c.CaseReference)}}</dd>
            </dl>
            </header>
            <address class="recipient">{{Lines(c.RecipientName)}}{{(string.IsNullOrWhiteSpace(c.RecipientAddress) ? "" : "<br>" + Lines(c.RecipientAddress))}}</address>
            <main>
            <h1>{{E(heading)}}</h1>
            <p>{{(string.IsNullOrWhiteSpace(c.RecipientName) ? "Hej!" : $"Hej {E(c.RecipientName)}!")}}</p>
            <p>Ni är inbjudna till ett möte om en samordnad individuell plan (SIP). En SIP är en plan som görs tillsammans med den enskilde när hen behöver stöd från både hälso- och sjukvården och socialtjänsten. Planen visar vem som gör vad, och den är kostnadsfri för den enskilde.</p>
            {{Reason(c.Reason)}}
            <dl class="facts">
            <dt>Möte</dt><dd>{{E(kind)}}</dd>
            <dt>Tid</dt><dd>{{E(MeetingTexts.Time(c.StartsAt, c.EndsAt))}}</dd>
            <dt>Plats</dt><dd>{{Place(c)}}</dd>
            <dt>Kallas av</dt><dd>{{E(c.ConvenedByUnitName)}}</dd>
            <dt>Samordnare</dt><dd>{{E(c.CoordinatorName)}}</dd>
            """);
        if (!string.IsNullOrWhiteSpace(c.CoordinatorPhone))
        {
            html.Append($"<dt>Telefon</dt><dd>{E(c.CoordinatorPhone)}</dd>\n");
        }
        if (!string.IsNullOrWhiteSpace(c.ConvenerMailbox))
        {
            html.Append($"<dt>E-post</dt><dd>{E(c.ConvenerMailbox)}</dd>\n");
        }
        if (!string.IsNullOrWhiteSpace(c.ChairName))
        {
            html.Append($"<dt>Mötesledare</dt><dd>{E(c.ChairName)}</dd>\n");
        }
        html.Append($$"""
            </dl>
            <h2>Inför mötet</h2>
            <p>Ni är välkomna att ta med en stödperson. Behöver ni tolk eller andra anpassningar, meddela samordnaren i god tid före mötet.</p>
            <p>Om ni inte kan komma, eller har frågor om mötet, kontakta samordnaren{{Reach(c)}}. Ange ärende <span class="ref">{{E(c.CaseReference)}}</span> när ni hör av er.</p>
            <p class="closing">Med vänliga hälsningar<br>{{E(c.CoordinatorName)}}<br>{{E(c.ConvenedByUnitName)}}</p>
            </main>
            </div>
            </body>
            </html>

            """);
        return html.ToString();
    }

    // Pages of a long letter that come apart still say which case they belong to. The reference goes into CSS, where
    // HTML encoding does not protect, so only a well-formed one is written there.
    private static string PageFooter(string caseReference)
    {
        var reference = CaseReferenceFormat().IsMatch(caseReference) ? $"\"Ärende {caseReference} · \" " : "";
        return $$"""@page { @bottom-right { content: {{reference}}"Sida " counter(page) " av " counter(pages); font-size: 9pt; } }""" + "\n";
    }

    private static string Reason(string reason) =>
        string.IsNullOrWhiteSpace(reason) ? "" : $"<h2>Anledning till mötet</h2>\n<p class=\"reason\">{Paragraphs(reason)}</p>";

    private static string Place(LetterContent c)
    {
        var type = E(MeetingTexts.Place(c.PlaceType));
        if (!string.IsNullOrWhiteSpace(c.PlaceDetails))
        {
            return $"{type}<br>{Lines(c.PlaceDetails)}";
        }
        return c.PlaceType switch
        {
            "Home" => $"{type}<br>Den som kallar till mötet meddelar adressen.",
            "Remote" => $"{type}<br>Den som kallar till mötet meddelar hur ni ansluter.",
            _ => $"{type}<br>Den som kallar till mötet meddelar var mötet hålls.",
        };
    }

    private static string Reach(LetterContent c)
    {
        var ways = new[] { c.CoordinatorPhone is { Length: > 0 } p ? $"på telefon {E(p)}" : null, c.ConvenerMailbox is { Length: > 0 } m ? $"via e-post till {E(m)}" : null }
            .Where(w => w is not null)
            .ToList();
        return ways.Count == 0 ? "" : " " + string.Join(" eller ", ways);
    }

    private static string Lines(string? text) =>
        string.Join("<br>", (text ?? "").ReplaceLineEndings("\n").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(E));

    private static string Paragraphs(string text) =>
        string.Join("</p>\n<p class=\"reason\">", text.ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Lines));

    // Every field may be typed by a person. Only these five characters are special in text and quoted attributes;
    // WebUtility.HtmlEncode would also turn å, ä and ö into numeric entities.
    private static string E(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var sb = new StringBuilder(text.Length + 16);
        foreach (var ch in text)
        {
            sb.Append(ch switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ when char.IsControl(ch) => " ",
                _ => ch.ToString(),
            });
        }
        return sb.ToString();
    }

    private const string Css = """

        @page { size: A4; margin: 17mm 20mm 17mm 25mm; }
        html { font-family: "Liberation Sans", Arial, "DejaVu Sans", sans-serif; font-size: 11pt; line-height: 1.4; color: #000; background: #fff; }
        body { margin: 0; }
        .letter { max-width: 165mm; }
        .letterhead { display: flex; justify-content: space-between; align-items: flex-start; margin-bottom: 10mm; }
        .sender { font-weight: bold; font-size: 12pt; max-width: 95mm; }
        .meta { display: grid; grid-template-columns: auto auto; column-gap: 4mm; margin: 0; font-size: 10pt; }
        .meta dt { font-weight: bold; }
        .meta dd { margin: 0; }
        .recipient { font-style: normal; margin-bottom: 10mm; min-height: 18mm; }
        h1 { font-size: 16pt; margin: 0 0 4mm; }
        h2 { font-size: 12pt; margin: 5mm 0 1.5mm; }
        p { margin: 0 0 3mm; }
        .facts { display: grid; grid-template-columns: 32mm 1fr; row-gap: 1mm; margin: 4mm 0; padding: 3mm 0; border-top: 0.4pt solid #000; border-bottom: 0.4pt solid #000; break-inside: avoid; }
        .facts dt { font-weight: bold; }
        .facts dd { margin: 0; overflow-wrap: anywhere; }
        .closing { margin-top: 6mm; break-inside: avoid; break-before: avoid; }
        .ref { white-space: nowrap; }
        h1, h2 { break-after: avoid; }
        @media screen { body { padding: 15mm; } .letter { margin: 0 auto; } }

        """;

    [GeneratedRegex(@"^SIP-\d{4}-\d{6,9}$")]
    private static partial Regex CaseReferenceFormat();
}
