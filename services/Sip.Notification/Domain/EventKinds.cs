namespace Sip.Notification.Domain;

/// <summary>
/// What a unit can subscribe a channel to (SIP-DOMAIN §9). The codes are the API's and the webhooks' (<c>type</c>
/// <c>se.sip.notification.{kind}</c>): add codes, never rename one.
/// </summary>
public static class EventKinds
{
    public const string InitiativeReceived = "initiative-received";
    public const string InitiativeCancelled = "initiative-cancelled";
    public const string SummonsToPlanningReceived = "summons-planning-received";
    public const string SummonsToPlanningCancelled = "summons-planning-cancelled";
    public const string SummonsToEvaluationReceived = "summons-evaluation-received";
    public const string SummonsToEvaluationCancelled = "summons-evaluation-cancelled";
    public const string MeetingRescheduled = "meeting-rescheduled";
    public const string PlanLocked = "plan-locked";
    public const string PlanCancelled = "plan-cancelled";
    public const string CaseClosed = "case-closed";
    public const string CaseMessageForAcknowledgement = "case-message-acknowledgement";
    public const string CaseMessageForInformation = "case-message-information";

    /// <summary>A deadline is near: the reminder before an initiative's or a summons' answer is due, and LUS deadlines.</summary>
    public const string DeadlineApproaching = "deadline-approaching";

    /// <summary>A deadline passed: an unanswered initiative or summons, a late plan, a LUS obligation not met.</summary>
    public const string DeadlineBreached = "deadline-breached";

    /// <summary>After a deadline passed unanswered: to the unit's administrators (whoever the administrators subscribe).</summary>
    public const string Escalation = "escalation";

    /// <summary>Every kind with its Swedish name, as the API lists them and digests and SMS name them.</summary>
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [InitiativeReceived] = "Initiativ att besvara",
        [InitiativeCancelled] = "Initiativ makulerat",
        [SummonsToPlanningReceived] = "Kallelse till SIP-möte",
        [SummonsToPlanningCancelled] = "Kallelse till SIP-möte makulerad",
        [SummonsToEvaluationReceived] = "Kallelse till utvärderingsmöte",
        [SummonsToEvaluationCancelled] = "Kallelse till utvärderingsmöte makulerad",
        [MeetingRescheduled] = "SIP-möte flyttat",
        [PlanLocked] = "Plan låst",
        [PlanCancelled] = "Plan makulerad",
        [CaseClosed] = "SIP avslutad",
        [CaseMessageForAcknowledgement] = "Meddelande att kvittera",
        [CaseMessageForInformation] = "Meddelande för kännedom",
        [DeadlineApproaching] = "Tidsgräns närmar sig",
        [DeadlineBreached] = "Tidsgräns passerad",
        [Escalation] = "Eskalering: obesvarat efter tidsgränsen",
    };

    public static IReadOnlyCollection<string> All => (IReadOnlyCollection<string>)Names.Keys;

    public static bool IsKnown(string kind) => Names.ContainsKey(kind);

    /// <summary>A summons' kind by meeting: the evaluation meeting closes the SIP; planning and follow-up meetings (and pre-meetings) are "planning".</summary>
    public static string SummonsReceived(string meetingKind) => meetingKind == "Evaluation" ? SummonsToEvaluationReceived : SummonsToPlanningReceived;

    public static string SummonsCancelled(string meetingKind) => meetingKind == "Evaluation" ? SummonsToEvaluationCancelled : SummonsToPlanningCancelled;
}

public static class Channels
{
    public const string Email = "email";
    public const string Sms = "sms";
    public const string Webhook = "webhook";

    public static readonly string[] All = [Email, Sms, Webhook];
}
