using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sip.Notification.Domain;

/// <summary>
/// A webhook's body: a CloudEvents 1.0 event in structured JSON mode (<c>application/cloudevents+json</c>). The data is
/// what every channel carries — kind, case reference, link, deadline — plus the unit and case ids a case system matches on.
/// </summary>
public static class CloudEvents
{
    public const string ContentType = "application/cloudevents+json; charset=utf-8";
    public const string TypePrefix = "se.sip.notification.";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static string Structured(Guid id, string source, string tenantId, Guid unitId, string kind, Notice notice, DateTimeOffset time) =>
        JsonSerializer.Serialize(new Envelope(
            "1.0", id.ToString(), source, TypePrefix + kind, time.ToUniversalTime(), "application/json", Templates.Ref(notice.CaseReference),
            new Data(kind, tenantId, unitId, notice.CaseId, Templates.Ref(notice.CaseReference), notice.Link.ToString(), notice.DueAt?.ToUniversalTime())), Json);

    private sealed record Envelope(
        [property: JsonPropertyName("specversion")] string SpecVersion,
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("source")] string Source,
        [property: JsonPropertyName("type")] string Type,
        [property: JsonPropertyName("time")] DateTimeOffset Time,
        [property: JsonPropertyName("datacontenttype")] string DataContentType,
        [property: JsonPropertyName("subject")] string Subject,
        [property: JsonPropertyName("data")] Data Data);

    private sealed record Data(string Kind, string TenantId, Guid UnitId, Guid CaseId, string CaseReference, string Link, DateTimeOffset? DueAt);
}
