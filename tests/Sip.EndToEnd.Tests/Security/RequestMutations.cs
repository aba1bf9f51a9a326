using System.Text.Json.Nodes;

namespace Sip.EndToEnd.Tests.Security;

/// <summary>What a fuzzed request does to an operation's valid request. The first ones make it invalid by the document.</summary>
public enum Mutation
{
    None,
    MissingRequired,
    UnknownField,
    WrongType,
    BadFormat,
    NulCharacter,
    NotJson,
    BadPathId,
    RandomText,
    HugeText,
    LocalTimeOffset,
    UnknownId,
}

/// <summary>
/// Changes a valid request as <see cref="Mutation"/> says, using the operation's schema to find what to change.
/// <see cref="Invalid"/> says whether the document calls the result invalid: then the API must refuse it with a 4xx.
/// </summary>
public static class RequestMutations
{
    private sealed record Leaf(JsonNode Parent, string? Property, int Index, JsonObject Schema, bool Required);

    public static (Call Call, bool Invalid, string What) Apply(Operation op, Call valid, Mutation mutation, int pick, string text)
    {
        var body = valid.Body?.DeepClone();
        var leaves = body is null || op.BodySchema is null ? [] : Leaves(op, body, op.BodySchema, required: true).ToList();
        Leaf? Pick(Func<Leaf, bool> where)
        {
            var candidates = leaves.Where(where).ToList();
            return candidates.Count == 0 ? null : candidates[pick % candidates.Count];
        }
        var url = valid.Url;
        switch (mutation)
        {
            case Mutation.MissingRequired:
                if (Pick(l => l.Required && l.Property is not null) is { } required)
                {
                    required.Parent.AsObject().Remove(required.Property!);
                    return (valid with { Body = body }, true, $"without the required {required.Property}");
                }
                if (op.Parameters.Where(p => p.In == "query" && p.Required).ToList() is { Count: > 0 } query)
                {
                    var name = query[pick % query.Count].Name;
                    return (valid with { Url = RemoveQuery(url, name) }, true, $"without the required query parameter {name}");
                }
                break;
            case Mutation.UnknownField:
                if (body is JsonObject top && Resolve(op, op.BodySchema!)["additionalProperties"]?.GetValue<bool>() == false)
                {
                    var objects = leaves.Select(l => l.Parent).OfType<JsonObject>().Prepend(top).Distinct().ToList();
                    objects[pick % objects.Count]["okäntFält" + pick % 7] = text;
                    return (valid with { Body = body }, true, "with a field the document does not have");
                }
                break;
            case Mutation.WrongType:
                if (Pick(l => TypeOf(l.Schema) is "uuid" or "integer" or "boolean" or "array" or "object" or "enum" or "date" or "date-time") is { } typed)
                {
                    Set(typed, TypeOf(typed.Schema) is "array" or "object" ? JsonValue.Create(pick) : new JsonObject { ["värde"] = text });
                    return (valid with { Body = body }, true, $"{typed.Property ?? $"[{typed.Index}]"} of the wrong JSON type");
                }
                break;
            case Mutation.BadFormat:
                if (Pick(l => TypeOf(l.Schema) is "uuid" or "enum" or "date" or "date-time" or "integer") is { } formatted)
                {
                    Set(formatted, TypeOf(formatted.Schema) switch
                    {
                        "integer" => JsonValue.Create(pick % 2 == 0 ? 1e20 : 2147483648d),
                        "enum" => JsonValue.Create("FinnsInte" + text.Length),
                        _ => JsonValue.Create(text.Length == 0 ? "x" : text[..Math.Min(text.Length, 40)] + "-inte-giltigt"),
                    });
                    return (valid with { Body = body }, true, $"{formatted.Property ?? $"[{formatted.Index}]"} not a valid {TypeOf(formatted.Schema)}");
                }
                // A typed query parameter (uuid, integer, boolean, enum) with a value that is none.
                if (op.Parameters.Where(p => p.In == "query" && TypeOf(Resolve(op, p.Schema)) is "uuid" or "integer" or "boolean" or "enum").ToList() is { Count: > 0 } typedQuery)
                {
                    var parameter = typedQuery[pick % typedQuery.Count];
                    var badValue = Uri.EscapeDataString(pick % 2 == 0 ? "inte-giltigt" : "99999999999999999999");
                    var kept = url.Contains('?', StringComparison.Ordinal) ? RemoveQuery(url, parameter.Name) : url + "?";
                    return (valid with { Url = $"{kept}{(kept.EndsWith('?') ? "" : "&")}{parameter.Name}={badValue}" }, true, $"query parameter {parameter.Name} not a valid {TypeOf(Resolve(op, parameter.Schema))}");
                }
                break;
            case Mutation.NulCharacter:
                if (Pick(l => TypeOf(l.Schema) is "string" or "any") is { } str)
                {
                    Set(str, JsonValue.Create(text + "\u0000" + "x"));
                    return (valid with { Body = body }, true, $"a NUL character in {str.Property ?? $"[{str.Index}]"}");
                }
                if (url.Contains('?', StringComparison.Ordinal))
                {
                    return (valid with { Url = url + "%00" }, true, "a NUL character in the query");
                }
                break;
            case Mutation.NotJson:
                if (op.BodySchema is not null)
                {
                    string[] raw = ["{", "", "null", "[]", "\"text\"", "{\"unitId\":", "<xml/>", "{\"a\":1}{"];
                    var chosen = raw[pick % raw.Length];
                    // An array body (the directory import) takes [] as a valid empty import; every other body refuses it.
                    var isArray = TypeOf(Resolve(op, op.BodySchema)) == "array";
                    return (valid with { Body = null, RawBody = chosen }, !(isArray && chosen == "[]"), $"a body that is not the document's JSON: '{chosen}'");
                }
                break;
            case Mutation.BadPathId:
                var segments = url.Split('?')[0].Split('/');
                var ids = segments.Select((s, i) => (s, i)).Where(x => Guid.TryParse(x.s, out _) || x.s == "1").ToList();
                if (ids.Count > 0)
                {
                    string[] bad = ["inte-ett-id", "99999999999999999999", "-1", "0", "%00", Uri.EscapeDataString(text.Length == 0 ? "å" : text)];
                    segments[ids[pick % ids.Count].i] = bad[pick % bad.Length];
                    var rest = url.Contains('?', StringComparison.Ordinal) ? "?" + url.Split('?', 2)[1] : "";
                    // A well-formed id that matches nothing is not invalid by the document: it is answered 404.
                    return (valid with { Url = string.Join('/', segments) + rest }, true, "a path id that is no id");
                }
                break;
            case Mutation.RandomText:
                if (Pick(l => TypeOf(l.Schema) is "string" or "any") is { } any)
                {
                    Set(any, JsonValue.Create(text));
                    return (valid with { Body = body }, false, $"random text in {any.Property ?? $"[{any.Index}]"}");
                }
                break;
            case Mutation.HugeText:
                if (Pick(l => TypeOf(l.Schema) is "string" or "any") is { } huge)
                {
                    Set(huge, JsonValue.Create(string.Concat(Enumerable.Repeat(text.Length == 0 ? "å" : text, 100_000 / Math.Max(1, text.Length) + 1))));
                    return (valid with { Body = body }, false, $"100 000 characters in {huge.Property ?? $"[{huge.Index}]"}");
                }
                break;
            case Mutation.LocalTimeOffset:
                if (Pick(l => TypeOf(l.Schema) == "date-time") is { } time)
                {
                    var at = DateTimeOffset.Parse(time.Property is null ? time.Parent[time.Index]!.GetValue<string>() : time.Parent[time.Property]!.GetValue<string>(),
                        System.Globalization.CultureInfo.InvariantCulture);
                    var offset = TimeSpan.FromHours(new[] { 2, 1, -5, 14, -12 }[pick % 5]);
                    Set(time, JsonValue.Create(at.ToOffset(offset).ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture)));
                    return (valid with { Body = body }, false, $"{time.Property} in local time ({offset})");
                }
                break;
            case Mutation.UnknownId:
                if (Pick(l => TypeOf(l.Schema) == "uuid") is { } id)
                {
                    Set(id, JsonValue.Create(Guid.NewGuid()));
                    return (valid with { Body = body }, false, $"an id no one has in {id.Property ?? $"[{id.Index}]"}");
                }
                break;
        }
        return (valid, false, "the valid request");
    }

    private static string RemoveQuery(string url, string name)
    {
        var parts = url.Split('?', 2);
        var kept = parts[1].Split('&').Where(p => !p.StartsWith(name + "=", StringComparison.Ordinal));
        return parts[0] + "?" + string.Join('&', kept);
    }

    private static void Set(Leaf leaf, JsonNode? value)
    {
        if (leaf.Property is null)
        {
            leaf.Parent.AsArray()[leaf.Index] = value;
        }
        else
        {
            leaf.Parent.AsObject()[leaf.Property] = value;
        }
    }

    private static JsonObject Resolve(Operation op, JsonObject schema)
    {
        schema = op.Resolve(schema);
        // Nullable references are written oneOf [null, $ref]: the non-null branch is the schema.
        if ((schema["oneOf"] ?? schema["anyOf"]) is JsonArray branches
            && branches.Select(b => b!.AsObject()).FirstOrDefault(b => b["type"]?.ToString() != "null") is { } branch)
        {
            return op.Resolve(branch);
        }
        return schema;
    }

    private static string TypeOf(JsonObject schema)
    {
        if (schema["enum"] is not null)
        {
            return "enum";
        }
        var type = schema["type"] switch
        {
            JsonArray types => types.Select(t => t!.GetValue<string>()).FirstOrDefault(t => t != "null"),
            JsonValue value => value.GetValue<string>(),
            _ => null,
        };
        return (type, schema["format"]?.GetValue<string>()) switch
        {
            ("string", "uuid") => "uuid",
            ("string", "date") => "date",
            ("string", "date-time") => "date-time",
            ("integer", _) => "integer",
            (null, _) when schema["properties"] is not null => "object",
            (null, _) => "any",
            _ => type!,
        };
    }

    /// <summary>Every value in <paramref name="node"/> with the schema it has to meet (objects' members and arrays' items).</summary>
    private static IEnumerable<Leaf> Leaves(Operation op, JsonNode node, JsonObject schema, bool required)
    {
        schema = Resolve(op, schema);
        if (node is JsonObject obj)
        {
            var requiredNames = schema["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
            foreach (var (name, value) in obj.ToList())
            {
                var propertySchema = schema["properties"]?[name]?.AsObject() ?? [];
                yield return new Leaf(obj, name, -1, Resolve(op, propertySchema), requiredNames.Contains(name));
                if (value is JsonObject or JsonArray)
                {
                    foreach (var leaf in Leaves(op, value, propertySchema, requiredNames.Contains(name)))
                    {
                        yield return leaf;
                    }
                }
            }
        }
        else if (node is JsonArray array && schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                yield return new Leaf(array, null, i, Resolve(op, items), false);
                if (array[i] is JsonObject or JsonArray)
                {
                    foreach (var leaf in Leaves(op, array[i]!, items, false))
                    {
                        yield return leaf;
                    }
                }
            }
        }
    }
}
