using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Sip.ServiceDefaults;

/// <summary>
/// The OpenAPI documents list the fields each request body has; this says, on every operation that takes a body, that
/// any other field is refused (<see cref="Extensions.ConfigureRequestJson"/>). It is said per operation rather than with
/// <c>additionalProperties: false</c> because a schema is shared by requests and responses, and a response may gain fields.
/// </summary>
internal static class UnknownFieldsAreRefused
{
    public const string Description =
        "Ogiltig begäran: JSON-kroppen kunde inte läsas, ett obligatoriskt fält saknas (urn:sip:problem:validation) eller den har ett fält " +
        "som inte finns i beskrivningen (urn:sip:problem:unknown-field; problemets \"field\" anger var). Okända fält avvisas, de ignoreras aldrig.";

    public static Task DescribeAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        if (operation.RequestBody is null)
        {
            return Task.CompletedTask;
        }
        operation.Responses ??= [];
        if (!operation.Responses.ContainsKey("400"))
        {
            operation.Responses["400"] = new OpenApiResponse { Description = Description };
        }
        return Task.CompletedTask;
    }
}
