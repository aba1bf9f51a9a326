using Sip.Web.Auth;

namespace Sip.Web.Clients;

/// <summary>
/// A document (HTML, PDF, calendar item) fetched from a service with the signed-in person's token and passed on as it
/// came: the browser gets the document from the app, never a token. The unit is the page's (<c>?enhet=</c>).
/// </summary>
internal static class DocumentPassThrough
{
    public static async Task PassOnAsync(HttpContext context, UnitChoice units, Func<Guid, CancellationToken, Task<HttpResponseMessage>> fetch,
        string? fileName = null)
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
            response = await fetch(unit, ct);
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
            // A service's document (a letter's HTML with its own inline styles, a PDF, an .ics) is no page of the app:
            // it may style itself and nothing else — no script, no fetch, no frame.
            context.Response.Headers.ContentSecurityPolicy = DocumentContentSecurityPolicy;
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

    public const string DocumentContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";
}
