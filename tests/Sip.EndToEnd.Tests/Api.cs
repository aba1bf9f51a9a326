using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Sip.Testing;

namespace Sip.EndToEnd.Tests;

internal static class Api
{
    /// <summary>The body of a response that must have <paramref name="expected"/> status; the failure message shows the body (a problem detail) otherwise.</summary>
    public static Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected) => response.JsonAsync(expected);

    /// <summary>A PUT of <paramref name="body"/> as JSON, with If-Match when <paramref name="etag"/> is given.</summary>
    public static Task<HttpResponseMessage> PutAsync(HttpClient client, string url, object body, string? etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(body) };
        if (etag is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(etag));
        }
        return client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
