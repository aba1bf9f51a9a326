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

    public static ProblemHttpResult NotFound() =>
        Create(StatusCodes.Status404NotFound, "not-found", "Hittades inte");

    public static ProblemHttpResult Forbidden(string detail) =>
        Create(StatusCodes.Status403Forbidden, "forbidden", "Åtkomst nekad", detail);
}
