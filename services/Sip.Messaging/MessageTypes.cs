using System.Collections.Frozen;
using System.Text.Json;
using Sip.Contracts;
using Sip.ServiceDefaults;

namespace Sip.Messaging;

/// <summary>Every event in the contracts assembly, by its stable name (the full type name).</summary>
public static class MessageTypes
{
    public static readonly JsonSerializerOptions Json = CreateJson();

    private static readonly FrozenDictionary<string, Type> ByName = typeof(IIntegrationEvent).Assembly.GetTypes()
        .Where(t => t is { IsAbstract: false, IsClass: true } && typeof(IIntegrationEvent).IsAssignableFrom(t))
        .ToFrozenDictionary(t => NameOf(t));

    public static string NameOf(Type type) => type.FullName ?? type.Name;

    public static Type? Resolve(string name) => ByName.GetValueOrDefault(name);

    private static JsonSerializerOptions CreateJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Extensions.ConfigureJson(options);
        return options;
    }
}
