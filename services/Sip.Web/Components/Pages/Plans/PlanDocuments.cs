using Sip.Web.Auth;
using Sip.Web.Clients;

namespace Sip.Web.Components.Pages.Plans;

/// <summary>A locked plan as a PDF, passed on from the case service (<see cref="DocumentPassThrough"/>).</summary>
internal static class PlanDocuments
{
    public static void MapPlanDocuments(this IEndpointRouteBuilder app) =>
        app.MapGet("/cases/{caseId:guid}/plans/{version:int}/pdf", (Guid caseId, int version, HttpContext context, PlansClient plans, UnitChoice units) =>
            DocumentPassThrough.PassOnAsync(context, units, (unit, ct) => plans.PdfAsync(caseId, version, unit, ct)));
}
