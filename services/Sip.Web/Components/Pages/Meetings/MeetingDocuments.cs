using Sip.Web.Auth;
using Sip.Web.Clients;

namespace Sip.Web.Components.Pages.Meetings;

/// <summary>
/// A meeting's invitation letters (HTML, PDF) and calendar item, fetched from the service with the signed-in person's token
/// and passed on: the browser gets the document from the app, never a token. The unit is the page's (<c>?enhet=</c>).
/// </summary>
internal static class MeetingDocuments
{
    public static void MapMeetingDocuments(this IEndpointRouteBuilder app)
    {
        var documents = app.MapGroup("/moten/{meetingId:guid}");
        documents.MapGet("/brev/{letterId:guid}", (Guid meetingId, Guid letterId, HttpContext context, MeetingsClient meetings, UnitChoice units) =>
            PassOnAsync(context, meetings, units, unit => $"{meetingId}/letters/{letterId}?unitId={unit}"));
        documents.MapGet("/brev/{letterId:guid}/pdf", (Guid meetingId, Guid letterId, HttpContext context, MeetingsClient meetings, UnitChoice units) =>
            PassOnAsync(context, meetings, units, unit => $"{meetingId}/letters/{letterId}/pdf?unitId={unit}"));
        documents.MapGet("/kalender.ics", (Guid meetingId, HttpContext context, MeetingsClient meetings, UnitChoice units) =>
            PassOnAsync(context, meetings, units, unit => $"{meetingId}/calendar?unitId={unit}", "mote.ics"));
    }

    private static async Task PassOnAsync(HttpContext context, MeetingsClient meetings, UnitChoice units, Func<Guid, string> path, string? fileName = null)
    {
        var ct = context.RequestAborted;
        if (units.Current is not { } unit)
        {
            await WriteProblemAsync(context, ServiceProblem.FromStatus(StatusCodes.Status403Forbidden));
            return;
        }
        HttpResponseMessage response;
        try
        {
            response = await meetings.DocumentAsync(path(unit), ct);
        }
        catch (HttpRequestException)
        {
            await WriteProblemAsync(context, ServiceProblem.FromStatus(StatusCodes.Status502BadGateway));
            return;
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                await WriteProblemAsync(context, await ServiceCalls.ProblemAsync(response, ct));
                return;
            }
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream";
            if (response.Content.Headers.ContentDisposition?.ToString() is { Length: > 0 } disposition)
            {
                context.Response.Headers.ContentDisposition = disposition;
            }
            else if (fileName is not null)
            {
                context.Response.Headers.ContentDisposition = $"attachment; filename={fileName}";
            }
            await response.Content.CopyToAsync(context.Response.Body, ct);
        }
    }

    /// <summary>No page to put it on: the service's Swedish words as plain text, with its status.</summary>
    private static Task WriteProblemAsync(HttpContext context, ServiceProblem problem)
    {
        context.Response.StatusCode = problem.Status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(string.IsNullOrWhiteSpace(problem.Detail) ? problem.Title : $"{problem.Title}\n\n{problem.Detail}", context.RequestAborted);
    }
}
