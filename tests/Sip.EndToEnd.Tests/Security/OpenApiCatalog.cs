using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Sip.EndToEnd.Tests.Security;

public sealed record Parameter(string Name, string In, bool Required, JsonObject Schema);

/// <summary>One operation of one OpenAPI document: <see cref="Key"/> is "METHOD /path/{template}", as the matrix's rows name it.</summary>
public sealed record Operation(string Document, string Method, string Path, IReadOnlyList<Parameter> Parameters, JsonObject? BodySchema, JsonObject Components)
{
    public string Key => $"{Method} {Path}";
    public bool Unsafe => Method is not ("GET" or "HEAD");
    public override string ToString() => Key;

    /// <summary>The schema with every <c>$ref</c> at its top followed (the document's own components).</summary>
    public JsonObject Resolve(JsonObject schema)
    {
        while (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            schema = Components["schemas"]![reference.Split('/')[^1]]!.AsObject();
        }
        return schema;
    }
}

/// <summary>Every operation of every OpenAPI document the gateway lists at <c>/openapi</c>.</summary>
public static partial class OpenApiCatalog
{
    public static async Task<IReadOnlyList<Operation>> LoadAsync(CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = Platform.Gateway };
        var index = await http.GetStringAsync("openapi", ct);
        var documents = DocumentLink().Matches(index).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.True(documents.Count >= 5, $"the gateway's /openapi lists {documents.Count} documents");
        var operations = new List<Operation>();
        foreach (var document in documents)
        {
            var doc = JsonNode.Parse(await http.GetStringAsync(document.TrimStart('/'), ct))!.AsObject();
            var components = doc["components"]?.AsObject() ?? [];
            foreach (var (path, item) in doc["paths"]!.AsObject())
            {
                foreach (var (method, op) in item!.AsObject())
                {
                    if (method is not ("get" or "post" or "put" or "delete" or "patch"))
                    {
                        continue;
                    }
                    var parameters = (op!["parameters"]?.AsArray() ?? []).Select(p => new Parameter(p!["name"]!.GetValue<string>(), p["in"]!.GetValue<string>(),
                        p["required"]?.GetValue<bool>() ?? false, p["schema"]?.AsObject() ?? [])).ToList();
                    var body = op["requestBody"]?["content"]?["application/json"]?["schema"]?.AsObject();
                    operations.Add(new Operation(document, method.ToUpperInvariant(), path, parameters, body, components));
                }
            }
        }
        return operations;
    }

    [GeneratedRegex("href=\"(/openapi/[^\"]+\\.json)\"")]
    private static partial Regex DocumentLink();
}
