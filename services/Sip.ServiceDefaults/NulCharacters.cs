using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Sip.ServiceDefaults;

/// <summary>
/// A NUL character (<c>\u0000</c>, <c>%00</c>) in a JSON string or a query parameter is a 400 naming where it was, at the
/// edge of every deployable, instead of reaching PostgreSQL (which refuses it in text, a 500). The query is checked in
/// <see cref="Extensions.UseServiceDefaults"/> — so the gateway refuses it before it is proxied —, JSON strings as
/// they are read (<see cref="Extensions.ConfigureRequestJson"/>). A NUL in the path is refused by Kestrel already.
/// </summary>
public static class NulCharacters
{
    public const string Slug = "nul-character";
    public const string Title = "Otillåtet tecken i begäran";
    internal const string JsonMessage = "A JSON string holds a NUL character (U+0000).";

    internal static string Detail(string where) =>
        $"{where} innehåller ett NUL-tecken (\\u0000 eller %00), som inte kan sparas. Ta bort tecknet och skicka igen. Inget har sparats.";

    /// <summary>Refuses a query string holding <c>%00</c>, naming the parameter, never its value.</summary>
    internal static Func<HttpContext, Func<Task>, Task> RefuseInQuery => (context, next) =>
    {
        var query = context.Request.QueryString.Value;
        if (query is null || query.IndexOf("%00", StringComparison.Ordinal) < 0)
        {
            return next();
        }
        var name = context.Request.Query.FirstOrDefault(p => p.Key.Contains('\0') || p.Value.Any(v => v?.Contains('\0') == true)).Key ?? "";
        name = name.Replace("\0", "", StringComparison.Ordinal);
        throw new DomainException(Slug, Title, Detail($"Parametern {(name.Length <= 100 ? name : name[..100] + "…")}"), StatusCodes.Status400BadRequest)
        {
            Field = name,
        };
    };

    /// <summary>Every string a request body holds is read through this: one without NUL is returned as it is.</summary>
    internal sealed class RefuseInJson : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var value = reader.GetString();
            return value is not null && value.Contains('\0') ? throw new JsonException(JsonMessage) : value;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}
