using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Sip.Case.Domain;
using Sip.Contracts.Grpc.Consent.V1;
using Sip.ServiceDefaults.Time;

namespace Sip.Case.Apis;

/// <summary>
/// A locked plan as a print-ready Swedish HTML page in the shape of the guidance's plan form. Every piece
/// of text is HTML-encoded. The person's identity number, name and the consent's terms come from consent for
/// this rendering only; the case service keeps none of them. Without a recorded name the page leaves a field.
/// </summary>
public static class PlanPrint
{
    private static readonly CultureInfo Swedish = CultureInfo.GetCultureInfo("sv-SE");

    /// <summary>Encodes markup characters but keeps å, ä, ö and the rest of the text readable in the source.</summary>
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    /// <param name="person">From consent's <c>GetPlanParticulars</c>: identity number and name, rendered, never stored.</param>
    /// <param name="consent">The consent reference stored when the plan was locked (for plans locked before it was stored: today's).</param>
    public static string Render(SipCase sipCase, PlanVersion plan, IReadOnlyDictionary<Guid, string> unitNames, PlanParticularsReply person, ConsentReference consent)
    {
        var c = plan.Content;
        string E(string? text) => Html.Encode(text ?? "");
        string Unit(Guid? id) => id is { } u && unitNames.TryGetValue(u, out var name) ? E(name) : "";
        string Date(DateTimeOffset? at) => at is { } t ? TimeZoneInfo.ConvertTime(t, SwedishCalendar.Stockholm).ToString("d MMMM yyyy", Swedish) : "";
        string Principal(Principal? p) => p switch { Domain.Principal.Region => "Region", Domain.Principal.Municipality => "Kommun", Domain.Principal.Other => "Annan", _ => "" };
        string Status(ActivityStatus s) => s switch
        {
            ActivityStatus.NotStarted => "Ej påbörjad",
            ActivityStatus.Ongoing => "Pågår",
            ActivityStatus.Done => "Genomförd",
            ActivityStatus.NotDone => "Ej genomförd",
            _ => s.ToString(),
        };
        string How(Participation p) => p switch
        {
            Participation.InPerson => "På plats",
            Participation.Video => "Video",
            Participation.Phone => "Telefon",
            Participation.WrittenInput => "Skriftligt",
            Participation.Represented => "Företrädd",
            Participation.NotPresent => "Ej närvarande",
            _ => p.ToString(),
        };
        string Took(PlanParticipant p) => How(p.Participation) + (string.IsNullOrWhiteSpace(p.HowInformed) ? "" : $" – informeras och hörs: {E(p.HowInformed.Trim())}");
        // Who does a measure that is not a unit's, and in what role; such a measure has no principal to print.
        string Responsible(PlanActivity a) => a.ResponsibleKind switch
        {
            ResponsibleKind.Individual => "Den enskilde" + Person(a),
            ResponsibleKind.Relative => "Närstående" + Person(a),
            ResponsibleKind.Guardian => "Vårdnadshavare" + Person(a),
            ResponsibleKind.GodMan => "God man" + Person(a),
            _ => string.Join(", ", new[] { Unit(a.ResponsibleUnitId), E(a.ResponsiblePerson) }.Where(s => s.Length > 0)),
        };
        string Person(PlanActivity a) => string.IsNullOrWhiteSpace(a.ResponsiblePerson) ? "" : $": {E(a.ResponsiblePerson.Trim())}";
        string ActivityPrincipal(PlanActivity a) => a.ResponsibleKind == ResponsibleKind.Unit ? Principal(a.Principal) : "<span class=\"empty\">–</span>";
        string Day(DateOnly d) => d.ToString("d MMMM yyyy", Swedish);
        string FollowUpText(FollowUp f) => string.Join(", ", new[]
        {
            f.Date is { } d ? Day(d) : "",
            E(f.Condition?.Trim()),
            f.NoLaterThan is { } latest ? $"senast {Day(latest)}" : "",
            $"sammankallande {E(f.ConvenedBy)}",
        }.Where(x => x.Length > 0));
        string List(IEnumerable<string> items) => items.Any() ? "<ul>" + string.Concat(items.Select(i => $"<li>{E(i)}</li>")) + "</ul>" : "<p class=\"empty\">–</p>";

        var html = new StringBuilder();
        html.Append($$"""
            <!doctype html>
            <html lang="sv">
            <head>
            <meta charset="utf-8">
            <title>SIP {{E(sipCase.Reference)}} version {{plan.Version}}</title>
            <style>
              @page { size: A4; margin: 18mm 16mm; }
              body { font-family: "Liberation Sans", Arial, sans-serif; font-size: 10.5pt; line-height: 1.35; color: #000; }
              h1 { font-size: 16pt; margin: 0 0 4mm; } h2 { font-size: 12pt; margin: 6mm 0 2mm; border-bottom: 1px solid #000; }
              table { width: 100%; border-collapse: collapse; margin: 2mm 0; } th, td { border: 1px solid #555; padding: 1.5mm; text-align: left; vertical-align: top; }
              th { background: #eee; } .meta td { border: none; padding: 0.5mm 2mm 0.5mm 0; } .empty { color: #555; }
              section, tr { page-break-inside: avoid; } .signature { height: 14mm; border-bottom: 1px solid #000; }
            </style>
            </head>
            <body>
            <h1>Samordnad individuell plan (SIP)</h1>
            <table class="meta">
              <tr><td>Ärende</td><td>{{E(sipCase.Reference)}}</td><td>Version</td><td>{{plan.Version}} (låst {{Date(plan.LockedAt)}})</td></tr>
              <tr><td>Möte</td><td>{{Date(plan.MeetingAt)}}</td><td>Nästa uppföljning</td><td>{{(c.NextFollowUp is { } f ? FollowUpText(f) : "")}}</td></tr>
              <tr><td>Den enskilde</td><td colspan="3">{{E(person.Identifier)}}{{(person.ProtectedIdentity ? " (skyddade personuppgifter: lämna inte ut adress eller vistelseort)" : "")}} &nbsp; Namn: {{(person.Name.Length > 0 ? E(person.Name) : "______________________________")}}</td></tr>
              <tr><td>Samtycke</td><td colspan="3">{{E(consent.Summary)}}. Omfattar: {{string.Join(", ", consent.UnitIds.Select(u => Unit(u)).Where(n => n.Length > 0))}}{{(consent.ExcludedCategories.Count > 0 ? $". Omfattar inte uppgifter om: {E(string.Join(", ", consent.ExcludedCategories))}" : "")}}.</td></tr>
            </table>
            <section><h2>Deltagare</h2>
            <table><tr><th>Namn</th><th>Roll</th><th>Enhet</th><th>Huvudman</th><th>Deltog</th></tr>
            """);
        foreach (var p in c.Participants)
        {
            html.Append($"<tr><td>{E(p.Name)}</td><td>{E(p.Role)}</td><td>{Unit(p.UnitId)}</td><td>{Principal(p.Principal)}</td><td>{Took(p)}</td></tr>");
        }
        html.Append($"""
            </table>
            <table class="meta">
              <tr><td>Samordningsansvarig</td><td>{E(c.Coordinator)} {(c.CoordinatorUnitId is null ? "" : $"({Unit(c.CoordinatorUnitId)})")}</td></tr>
              <tr><td>Mötesledare</td><td>{E(c.Chair)}</td></tr>
              <tr><td>Fast vårdkontakt</td><td>{E(string.Join(", ", c.FixedCareContacts))}</td></tr>
              <tr><td>Huvudman med övergripande ansvar</td><td>{Principal(c.OverallResponsibility)}</td></tr>
            </table></section>
            <section><h2>Anledning till SIP</h2><p>{E(c.Reason)}</p></section>
            <section><h2>Nuläge</h2><p>{E(c.CurrentSituation)}</p></section>
            <section><h2>Styrkor och resurser</h2><p>{E(c.Strengths)}</p></section>
            <section><h2>Övergripande mål</h2>{List(c.LongTermGoals)}</section>
            <section><h2>Delmål och insatser</h2>
            """);
        foreach (var goal in c.ShortTermGoals)
        {
            html.Append($"<h3>{E(goal.Text)}</h3><table><tr><th>Insats / aktivitet</th><th>Ansvarig</th><th>Huvudman</th><th>Tidsplan</th><th>Plats</th><th>Status</th></tr>");
            foreach (var a in goal.Activities)
            {
                var timing = string.Join(" ", new[] { E(a.Timing), a.Start is { } s ? $"från {s.ToString("d MMM yyyy", Swedish)}" : "", a.End is { } e ? $"till {e.ToString("d MMM yyyy", Swedish)}" : "" }.Where(x => x.Length > 0));
                html.Append($"<tr><td>{E(a.What)}</td><td>{Responsible(a)}</td><td>{ActivityPrincipal(a)}</td><td>{timing}</td><td>{E(a.Place)}</td><td>{Status(plan.CurrentStatus(a))}</td></tr>");
            }
            html.Append("</table>");
        }
        if (c.NoMeasuresByOthers)
        {
            html.Append("<p>Inga åtgärder vidtas av andra än regionen och kommunen.</p>");
        }
        html.Append($"""
            </section>
            <section><h2>Den enskildes synpunkter</h2><p>{E(c.IndividualView)}</p></section>
            <section><h2>Vårdnadshavares synpunkter</h2><p>{E(c.GuardiansView)}</p></section>
            <section><h2>Det vi inte är överens om</h2>{List(c.Disagreements)}</section>
            <section><h2>Krisplan</h2><p>{(c.CrisisPlan is null ? "<span class=\"empty\">Ingen krisplan.</span>" : E(c.CrisisPlan))}</p></section>
            <section><h2>Underskrifter</h2>
            <table><tr><th>Den enskilde</th><th>Samordningsansvarig</th></tr>
            <tr><td>{E(plan.IndividualSignature?.SignedBy)}, {E(plan.IndividualSignature?.How)}, {plan.IndividualSignature?.SignedOn.ToString("d MMMM yyyy", Swedish)}</td>
                <td>{E(plan.CoordinatorSignature?.SignedBy)}, {E(plan.CoordinatorSignature?.How)}, {plan.CoordinatorSignature?.SignedOn.ToString("d MMMM yyyy", Swedish)}</td></tr></table>
            <p>Kopia till (godkänt av den enskilde): {E(string.Join(", ", plan.CopyRecipients))}</p>
            </section>
            </body>
            </html>
            """);
        return html.ToString();
    }
}
