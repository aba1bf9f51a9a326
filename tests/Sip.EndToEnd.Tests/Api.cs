using System.Net;
using System.Text.Json;

namespace Sip.EndToEnd.Tests;

internal static class Api
{
    /// <summary>The body of a response that must have <paramref name="expected"/> status; the failure message shows the body (a problem detail) otherwise.</summary>
    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
