using Sip.Web.Auth;
using Sip.Web.Clients;

namespace Sip.Web.Components.Pages.Meetings;

/// <summary>A meeting's invitation letters (HTML, PDF) and calendar item, passed on from meeting-scheduling (<see cref="DocumentPassThrough"/>).</summary>
internal static class MeetingDocuments
{
    public static void MapMeetingDocuments(this IEndpointRouteBuilder app)
    {
        var documents = app.MapGroup("/moten/{meetingId:guid}");
        documents.MapGet("/brev/{letterId:guid}", (Guid meetingId, Guid letterId, HttpContext context, MeetingsClient meetings, UnitChoice units) =>
            DocumentPassThrough.PassOnAsync(context, units, (unit, ct) => meetings.DocumentAsync($"{meetingId}/letters/{letterId}?unitId={unit}", ct)));
        documents.MapGet("/brev/{letterId:guid}/pdf", (Guid meetingId, Guid letterId, HttpContext context, MeetingsClient meetings, UnitChoice units) =>
            DocumentPassThrough.PassOnAsync(context, units, (unit, ct) => meetings.DocumentAsync($"{meetingId}/letters/{letterId}/pdf?unitId={unit}", ct)));
        documents.MapGet("/kalender.ics", (Guid meetingId, HttpContext context, MeetingsClient meetings, UnitChoice units) =>
            DocumentPassThrough.PassOnAsync(context, units, (unit, ct) => meetings.DocumentAsync($"{meetingId}/calendar?unitId={unit}", ct), "mote.ics"));
    }
}
