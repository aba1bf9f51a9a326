namespace Sip.Consent.Apis;

/// <summary>The audit log's actions and principals in the Swedish words an individual reads in their extract.</summary>
public static class AuditTexts
{
    private static readonly Dictionary<string, string> Actions = new(StringComparer.Ordinal)
    {
        ["case.opened"] = "Öppnade ärendet",
        ["case.read"] = "Läste ärendet",
        ["case.read-cancelled"] = "Läste det avslutade ärendet",
        ["case.read-for-meeting"] = "Läste ärendet inför ett möte",
        ["case.closed"] = "Avslutade ärendet",
        ["case.discharge-recorded"] = "Registrerade utskrivning",
        ["case.discharge-read"] = "Läste uppgifter om utskrivning",
        ["case.target-group-changed"] = "Ändrade ärendets målgrupp",
        ["initiative.sent"] = "Skickade kallelse till samordnad individuell plan",
        ["initiative.acknowledged"] = "Tog emot kallelsen",
        ["initiative.declined"] = "Avböjde kallelsen",
        ["initiative.forwarded"] = "Vidarebefordrade kallelsen",
        ["message.sent"] = "Skickade ett meddelande i ärendet",
        ["message.listed"] = "Läste meddelanden i ärendet",
        ["message.acknowledged"] = "Kvitterade ett meddelande",
        ["plan.created"] = "Skapade planen",
        ["plan.listed"] = "Läste planens versioner",
        ["plan.read"] = "Läste planen",
        ["plan.edited"] = "Ändrade planen",
        ["plan.signed"] = "Signerade planen",
        ["plan.locked"] = "Fastställde planen",
        ["plan.copy-given"] = "Lämnade ut en kopia av planen",
        ["plan.activity-status"] = "Följde upp en insats i planen",
        ["plan.compared"] = "Jämförde versioner av planen",
        ["plan.printed"] = "Skrev ut planen",
        ["plan.printed-pdf"] = "Skrev ut planen",
        ["meeting.booked"] = "Bokade ett möte",
        ["meeting.listed"] = "Läste ärendets möten",
        ["meeting.read"] = "Läste ett möte",
        ["meeting.rescheduled"] = "Flyttade ett möte",
        ["meeting.cancelled"] = "Ställde in ett möte",
        ["meeting.held"] = "Registrerade att mötet hölls",
        ["meeting.letter-added"] = "Lade till en kallelse till mötet",
        ["meeting.letters-listed"] = "Läste mötets kallelser",
        ["meeting.letter-printed"] = "Skrev ut en kallelse till mötet",
        ["meeting.letter-printed-pdf"] = "Skrev ut en kallelse till mötet",
        ["meeting.summons-acknowledged"] = "Tog emot kallelsen till mötet",
        ["meeting.summons-declined"] = "Avböjde kallelsen till mötet",
        ["individual.registered"] = "Registrerade personen",
        ["individual.read"] = "Läste personens uppgifter",
        ["individual.searched"] = "Sökte fram personen",
        ["individual.looked-up"] = "Sökte fram personen",
        ["individual.identifier-linked"] = "Kopplade ett nytt nummer till personen",
        ["individual.representative-added"] = "Registrerade en företrädare",
        ["individual.protection-changed"] = "Ändrade skyddade personuppgifter",
        ["individual.contact-changed"] = "Ändrade kontaktuppgifter",
        ["individual.disclosure-read"] = "Läste vad som får lämnas till en företrädare",
        ["individual.plan-particulars-disclosed"] = "Hämtade personnummer till en utskriven plan",
        ["individual.letter-disclosure"] = "Hämtade uppgifter till en kallelse",
        ["individual.statistics-profile-disclosed"] = "Hämtade födelseår, födelsemånad och kön till statistik",
        ["consent.recorded"] = "Registrerade samtycke",
        ["consent.read"] = "Läste samtycket",
        ["consent.listed"] = "Läste personens samtycken",
        ["consent.declared"] = "Registrerade ett svar om samtycke",
        ["consent.withdrawn"] = "Registrerade att samtycket återkallades",
        ["consent.scope-changed"] = "Ändrade samtyckets omfattning",
        ["audit.reviewed-individual"] = "Granskade loggen över åtkomst till personen",
        ["audit.reviewed-user"] = "Granskade en användares åtkomster",
        ["audit.extracted"] = "Tog fram ett registerutdrag",
        ["audit.extracted-pdf"] = "Tog fram ett registerutdrag",
    };

    public static string Action(string action) => Actions.TryGetValue(action, out var text) ? text
        : action.StartsWith("meeting.", StringComparison.Ordinal) || action.StartsWith("summons.", StringComparison.Ordinal) ? "Hanterade ett möte i ärendet"
        : action.StartsWith("case.", StringComparison.Ordinal) || action.StartsWith("plan.", StringComparison.Ordinal) ? "Hanterade ärendet"
        : "Tog del av personens uppgifter";

    public static string Activity(string? principal) => principal switch
    {
        "Region" => "Hälso- och sjukvård (region)",
        "Municipality" => "Socialtjänst eller kommunal hälso- och sjukvård (kommun)",
        "Other" => "Annan verksamhet",
        _ => "Okänd verksamhet",
    };
}
