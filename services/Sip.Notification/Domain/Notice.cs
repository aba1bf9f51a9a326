namespace Sip.Notification.Domain;

/// <summary>
/// What one event tells a unit, in every channel's form: the e-mail, the SMS text and the facts a webhook carries.
/// Built only from the case reference (checked against its format), codes looked up in fixed tables, times and links.
/// </summary>
/// <param name="AlsoMatches">Further kinds a subscription may name to receive this notice (consent ending cancels initiatives and the plan at once).</param>
public sealed record Notice(string Kind, Guid CaseId, string CaseReference, Uri Link, DateTimeOffset? DueAt, Message Email, string Sms,
    IReadOnlyList<string>? AlsoMatches = null)
{
    public bool Matches(IEnumerable<string> kinds) => kinds.Any(k => k == Kind || (AlsoMatches?.Contains(k) ?? false));
}
