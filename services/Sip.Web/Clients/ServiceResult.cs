using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Sip.Web.Resources;

namespace Sip.Web.Clients;

/// <summary>
/// What a service said went wrong: its RFC 9457 problem details (the services write the title and detail in Swedish,
/// and a stable <see cref="Slug"/> that pages use to put the message next to the right field), or our own Swedish words
/// when there was no answer to read.
/// </summary>
public sealed record ServiceProblem(int Status, string Slug, string Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    public const string TypePrefix = "urn:sip:problem:";

    public static ServiceProblem Of(int status, string slug, string title, string? detail = null) =>
        new(status, slug, title, detail, new Dictionary<string, string[]>());

    /// <summary>The gateway or the service did not answer, or answered without a problem we can read.</summary>
    public static ServiceProblem FromStatus(int status) => status switch
    {
        401 => Of(status, "unauthenticated", Texts.Problem_Unauthenticated_Title, Texts.Problem_Unauthenticated_Detail),
        403 => Of(status, "forbidden", Texts.Problem_Forbidden_Title, Texts.Problem_Forbidden_Detail),
        404 => Of(status, "not-found", Texts.Problem_NotFound_Title, Texts.Problem_NotFound_Detail),
        429 => Of(status, "rate-limited", Texts.Problem_RateLimited_Title, Texts.Problem_RateLimited_Detail),
        _ => Of(status, "unavailable", Texts.Problem_Unavailable_Title, Texts.Problem_Unavailable_Detail),
    };

    public static ServiceProblem Unreadable => Of(502, "unreadable", Texts.Problem_Unavailable_Title, Texts.Problem_Unreadable_Detail);
}

internal readonly record struct ServiceResult<T>(T? Value, ServiceProblem? Problem)
{
    public bool Succeeded => Problem is null;
}

internal static class ServiceCalls
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<ServiceResult<T>> SendAsync<T>(HttpClient http, HttpRequestMessage request, CancellationToken ct,
        Action<HttpResponseMessage>? onSuccess = null)
    {
        try
        {
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                return new(default, await ProblemAsync(response, ct));
            }
            onSuccess?.Invoke(response);
            var value = await response.Content.ReadFromJsonAsync<T>(Json, ct);
            return value is null ? new(default, ServiceProblem.Unreadable) : new(value, null);
        }
        catch (HttpRequestException)
        {
            return new(default, ServiceProblem.FromStatus((int)HttpStatusCode.BadGateway));
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new(default, ServiceProblem.FromStatus((int)HttpStatusCode.GatewayTimeout));
        }
        catch (JsonException)
        {
            return new(default, ServiceProblem.Unreadable);
        }
    }

    internal static async Task<ServiceProblem> ProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return ServiceProblem.FromStatus(status);
        }
        try
        {
            var body = await response.Content.ReadFromJsonAsync<ProblemBody>(Json, ct);
            // Only our services' problems carry Swedish titles; anything else (a proxy's, the framework's) gets ours.
            if (body?.Type is not { } type || !type.StartsWith(ServiceProblem.TypePrefix, StringComparison.Ordinal) || string.IsNullOrWhiteSpace(body.Title))
            {
                return ServiceProblem.FromStatus(status);
            }
            return new ServiceProblem(status, type[ServiceProblem.TypePrefix.Length..], body.Title, body.Detail,
                body.Errors ?? new Dictionary<string, string[]>());
        }
        catch (JsonException)
        {
            return ServiceProblem.FromStatus(status);
        }
    }

    private sealed record ProblemBody(string? Type, string? Title, string? Detail, Dictionary<string, string[]>? Errors);
}
