using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Sip.ServiceDefaults;

/// <summary>
/// A broken domain rule. <paramref name="slug"/> becomes the problem's stable type, <paramref name="title"/>
/// is Swedish and read by a person; neither may contain personal data.
/// </summary>
public class DomainException(string slug, string title, string? detail = null, int status = StatusCodes.Status422UnprocessableEntity, Exception? inner = null)
    : Exception(title, inner)
{
    public string Slug { get; } = slug;
    public string Title { get; } = title;
    public string? Detail { get; } = detail;
    public int Status { get; } = status;
}

/// <summary>Turns domain exceptions and unreadable request bodies into problem details.</summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            DomainException d => new ProblemDetails { Status = d.Status, Type = Problems.TypePrefix + d.Slug, Title = d.Title, Detail = d.Detail },
            BadHttpRequestException b => new ProblemDetails
            {
                Status = b.StatusCode,
                Type = Problems.TypePrefix + "validation",
                Title = "Ogiltig begäran",
                Detail = b.InnerException is JsonException json ? Swedish(json) : "Begärans innehåll kunde inte läsas.",
            },
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }
        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>Where the body went wrong, in Swedish: the JSON path and the names of missing fields, never a value.</summary>
    internal static string Swedish(JsonException json)
    {
        const string missing = "missing required properties including: ";
        var where = json.Path is null or "$" ? "" : $" (vid {json.Path})";
        var at = json.Message.IndexOf(missing, StringComparison.Ordinal);
        return at >= 0
            ? $"Obligatoriska fält saknas{where}: {json.Message[(at + missing.Length)..].TrimEnd('.').Replace("'", "", StringComparison.Ordinal)}."
            : $"Begärans innehåll kunde inte läsas{where}. Kontrollera JSON-syntaxen och fältets typ.";
    }
}
