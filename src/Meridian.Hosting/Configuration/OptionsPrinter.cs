using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Meridian.Hosting.Configuration;

/// <summary>Renders the resolved options as JSON for <c>meridian config print</c>, with secrets masked.</summary>
public static class OptionsPrinter
{
    public const string Mask = "*****";

    public static string ToJson(MeridianOptions options) =>
        new JsonObject { [MeridianOptions.Section] = ToNode(options) }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        // Before IEnumerable: a dictionary (gateway routes and clusters, collection tenants) is an object by its keys.
        IDictionary map => new JsonObject(map.Keys.Cast<object>().Select(k => KeyValuePair.Create(k.ToString()!, ToNode(map[k])))),
        IEnumerable list => new JsonArray(list.Cast<object?>().Select(ToNode).ToArray()),
        _ when value.GetType().IsClass => ToObject(value),
        _ => JsonValue.Create(JsonSerializer.SerializeToElement(value)),
    };

    private static JsonObject ToObject(object value)
    {
        var node = new JsonObject();
        foreach (var property in value.GetType().GetProperties())
        {
            var v = property.GetValue(value);
            node[property.Name] = property.GetCustomAttribute<SecretAttribute>() is null ? ToNode(v) : v switch
            {
                string { Length: > 0 } => Mask,
                IEnumerable list and not string => new JsonArray(list.Cast<object?>().Select(_ => (JsonNode?)Mask).ToArray()),
                _ => ToNode(v),
            };
        }
        return node;
    }
}
