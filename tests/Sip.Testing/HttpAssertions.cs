using System.Net;
using System.Text.Json;
using Xunit;

namespace Sip.Testing;

public static class HttpAssertions
{
    /// <summary>The body of a response that must have <paramref name="expected"/> status; the failure message shows the body (a problem detail) otherwise.</summary>
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        if (response.StatusCode != expected)
        {
            throw new UnexpectedStatusException($"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        }
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}

public sealed class UnexpectedStatusException(string message) : Exception(message);
