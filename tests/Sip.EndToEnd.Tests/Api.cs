using System.Net;
using System.Text.Json;
using Sip.Testing;

namespace Sip.EndToEnd.Tests;

internal static class Api
{
    /// <summary>The body of a response that must have <paramref name="expected"/> status; the failure message shows the body (a problem detail) otherwise.</summary>
    public static Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected) => response.JsonAsync(expected);
}
