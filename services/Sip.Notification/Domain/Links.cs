namespace Sip.Notification.Domain;

/// <summary>
/// Where a message sends its reader: the staff web app's pages, under a configurable base (the gateway, which routes
/// these paths to the web app). <see cref="Routes"/> lists every path made here, for the test that proves each one opens.
/// </summary>
public sealed record Links(Uri Base)
{
    public static readonly IReadOnlyList<string> Routes = ["/cases/{caseId:guid}", "/moten/{meetingId:guid}", "/cases/{caseId:guid}/plans/{version:int}"];

    public static Links From(string baseUrl) => new(new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/"));

    public Uri Case(Guid caseId) => new(Base, $"cases/{caseId}");

    /// <summary>A meeting's page: the address meeting scheduling also puts in the meeting's calendar item.</summary>
    public Uri Meeting(Guid meetingId) => new(Base, $"moten/{meetingId}");

    public Uri Plan(Guid caseId, int version) => new(Base, $"cases/{caseId}/plans/{version}");
}
