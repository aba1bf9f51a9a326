using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Sip.ServiceDefaults;

/// <summary>
/// RFC 9457 problem details with a stable machine <c>type</c> and a Swedish title for the person
/// who reads it. Details never contain personal data.
/// </summary>
public static class Problems
{
    public const string TypePrefix = "urn:sip:problem:";

    public static ProblemHttpResult Create(int status, string slug, string title, string? detail = null, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: TypePrefix + slug, extensions: extensions);

    public static ProblemHttpResult Validation(string detail, IDictionary<string, object?>? extensions = null) =>
        Create(StatusCodes.Status400BadRequest, "validation", "Ogiltig begäran", detail, extensions);

    /// <summary>The framework's own problems (401, 403, 404, 405, 429…) get a stable type and a Swedish title too.</summary>
    public static void Localise(Microsoft.AspNetCore.Http.ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Type?.StartsWith(TypePrefix, StringComparison.Ordinal) == true)
        {
            return;
        }
        (string Slug, string Title)? known = problem.Status switch
        {
            StatusCodes.Status400BadRequest => ("validation", "Ogiltig begäran"),
            StatusCodes.Status401Unauthorized => ("unauthenticated", "Inloggning krävs"),
            StatusCodes.Status403Forbidden => ("forbidden", "Åtkomst nekad"),
            StatusCodes.Status404NotFound => ("not-found", "Hittades inte"),
            StatusCodes.Status405MethodNotAllowed => ("method-not-allowed", "Metoden stöds inte"),
            StatusCodes.Status415UnsupportedMediaType => ("unsupported-media-type", "Innehållstypen stöds inte"),
            StatusCodes.Status429TooManyRequests => ("rate-limited", "För många förfrågningar"),
            StatusCodes.Status500InternalServerError => ("internal-error", "Ett oväntat fel inträffade"),
            _ => null,
        };
        if (known is { } k)
        {
            problem.Type = TypePrefix + k.Slug;
            problem.Title = k.Title;
        }
    }

    public static ProblemHttpResult NotFound() =>
        Create(StatusCodes.Status404NotFound, "not-found", "Hittades inte");

    public static ProblemHttpResult Forbidden(string detail) =>
        Create(StatusCodes.Status403Forbidden, "forbidden", "Åtkomst nekad", detail);
}
