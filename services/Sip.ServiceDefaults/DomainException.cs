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

    /// <summary>Where in the request the problem is (a JSON path or a parameter's name), for a client to show it there.</summary>
    public string? Field { get; init; }
}

/// <summary>
/// Turns domain exceptions, unreadable request bodies and an unreachable database into problem details. The database
/// case is a 503 with Retry-After, not a 500: during a failover or a restart the request did not commit (a transaction
/// that lost its connection rolls back), and a client that tries again a little later gets it done.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            DomainException d => WithField(new ProblemDetails { Status = d.Status, Type = Problems.TypePrefix + d.Slug, Title = d.Title, Detail = d.Detail }, d.Field),
            BadHttpRequestException { InnerException: JsonException { Message: NulCharacters.JsonMessage } json } b => WithField(new ProblemDetails
            {
                Status = b.StatusCode,
                Type = Problems.TypePrefix + NulCharacters.Slug,
                Title = NulCharacters.Title,
                Detail = NulCharacters.Detail($"Fältet {json.Path}"),
            }, json.Path),
            BadHttpRequestException { InnerException: JsonException json } b when UnknownField(json) is { } field => new ProblemDetails
            {
                Status = b.StatusCode,
                Type = Problems.TypePrefix + "unknown-field",
                Title = "Okänt fält i begäran",
                Detail = $"Okänt fält: {field} (vid {json.Path}). Fältet finns inte i API-beskrivningen (OpenAPI); kontrollera stavningen. Inget har sparats.",
                Extensions = { ["field"] = json.Path },
            },
            BadHttpRequestException b => new ProblemDetails
            {
                Status = b.StatusCode,
                Type = Problems.TypePrefix + "validation",
                Title = "Ogiltig begäran",
                Detail = b.InnerException is JsonException json ? Swedish(json) : "Begärans innehåll kunde inte läsas.",
            },
            _ when DatabaseUnavailable(exception) => new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Type = Problems.TypePrefix + "database-unavailable",
                Title = "Tjänsten är tillfälligt otillgänglig",
                Detail = "Databasen svarar inte just nu. Det som inte bekräftats har inte sparats; försök igen om en stund.",
            },
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }
        httpContext.Response.StatusCode = problem.Status!.Value;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>
    /// PostgreSQL could not be reached or is shutting down: a transient Npgsql error anywhere in the chain (EF Core's
    /// retrying strategy wraps it when its retries run out).
    /// </summary>
    internal static bool DatabaseUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is Npgsql.NpgsqlException { IsTransient: true })
            {
                return true;
            }
        }
        return false;
    }

    private static ProblemDetails WithField(ProblemDetails problem, string? field)
    {
        if (field is not null)
        {
            problem.Extensions["field"] = field;
        }
        return problem;
    }

    /// <summary>
    /// The field's name when System.Text.Json refused a member the type does not have (JsonUnmappedMemberHandling.Disallow,
    /// see <see cref="Extensions.ConfigureRequestJson"/>); null for any other error. The runtime says so only in its
    /// message, which names the .NET type too: only the field's name is passed on, never cut longer than a name should be.
    /// The case service's UnknownFieldTests pin the message, so a runtime that words it differently fails a test.
    /// </summary>
    internal static string? UnknownField(JsonException json)
    {
        const string prefix = "The JSON property '";
        const string suffix = "' could not be mapped to any .NET member";
        if (!json.Message.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }
        var end = json.Message.IndexOf(suffix, prefix.Length, StringComparison.Ordinal);
        if (end < 0)
        {
            return null;
        }
        var name = json.Message[prefix.Length..end];
        return name.Length <= 100 ? name : name[..100] + "…";
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
