using System.Globalization;
using System.Net;
using System.Text;
using Sip.ServiceDefaults.Time;

namespace Sip.Consent.Apis;

/// <summary>
/// The extract as a printable Swedish document the auditor hands to the individual: one HTML page with print CSS for A4,
/// printed to PDF by <see cref="Sip.Documents.PdfPrinter"/>. It says what the JSON extract says and nothing more: no
/// identity number, no user names (the individual is told which unit, not which person).
/// </summary>
public static class AuditExtractDocument
{
    public static string Html(AuditExtractResponse extract)
    {
        var html = new StringBuilder();
        html.Append($$"""
            <!DOCTYPE html>
            <html lang="sv">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <title>{{E(extract.Rubrik)}}</title>
            <style>{{Css}}</style>
            </head>
            <body>
            <h1>{{E(extract.Rubrik)}}</h1>
            <dl class="meta">
            <dt>Period</dt><dd>{{E(extract.FranOchMed)}} – {{E(extract.TillOchMed)}}</dd>
            <dt>Upprättat</dt><dd>{{E(SwedishCalendar.Today(extract.Upprattat).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))}}</dd>
            </dl>
            <p>Utdraget visar vilka enheter som har tagit del av dina uppgifter i arbetet med samordnad individuell plan (SIP) under perioden, när och varför. Uppgifterna kommer från de loggar som vården och socialtjänsten för enligt patientdatalagen och socialtjänstens regler.</p>
            """);
        if (extract.Atkomster.Count == 0)
        {
            html.Append("<p><strong>Ingen enhet har tagit del av dina uppgifter under perioden.</strong></p>\n");
        }
        else
        {
            html.Append("""
                <table>
                <thead><tr><th scope="col">Datum</th><th scope="col">Enhet</th><th scope="col">Verksamhet</th><th scope="col">Vad som gjordes</th><th scope="col">Ändamål</th></tr></thead>
                <tbody>

                """);
            foreach (var a in extract.Atkomster)
            {
                html.Append($"<tr><td>{E(a.Datum)}</td><td>{E(a.Enhet)}</td><td>{E(a.Verksamhet)}</td><td>{E(a.Atgard)}</td><td>{E(a.Andamal)}</td></tr>\n");
            }
            html.Append("</tbody>\n</table>\n");
        }
        html.Append("""
            <p class="note">Har du frågor om utdraget, eller vill du att en uppgift rättas, kontakta den enhet som lämnade ut utdraget.</p>
            </body>
            </html>
            """);
        return html.ToString();
    }

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    private const string Css = """
        @page { size: A4; margin: 17mm 20mm 17mm 20mm; @bottom-right { content: "Sida " counter(page) " av " counter(pages); font-size: 9pt; } }
        html { font-family: "Liberation Sans", Arial, "DejaVu Sans", sans-serif; font-size: 10.5pt; line-height: 1.4; color: #000; background: #fff; }
        body { margin: 0; }
        h1 { font-size: 15pt; margin: 0 0 4mm; }
        .meta { display: grid; grid-template-columns: auto 1fr; column-gap: 4mm; margin: 0 0 4mm; }
        .meta dt { font-weight: bold; }
        .meta dd { margin: 0; }
        table { border-collapse: collapse; width: 100%; margin: 4mm 0; }
        th, td { border: 1px solid #555; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }
        td:first-child { white-space: nowrap; }
        thead { display: table-header-group; }
        tr { break-inside: avoid; }
        .note { font-size: 9.5pt; }
        """;
}
