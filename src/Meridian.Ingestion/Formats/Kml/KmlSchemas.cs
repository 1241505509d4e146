using System.Globalization;
using System.Xml.Linq;

namespace Meridian.Ingestion.Formats.Kml;

/// <summary>The field types KML Schemas declare (GDAL writes them), so that SchemaData values are typed as declared.</summary>
internal sealed class KmlSchemas
{
    private readonly Dictionary<string, Dictionary<string, string>> _types = new(StringComparer.Ordinal);

    public void Add(XElement schema)
    {
        var fields = schema.Elements().Where(e => e.Name.LocalName == "SimpleField")
            .Select(f => (Name: (string?)f.Attribute("name"), Type: (string?)f.Attribute("type")))
            .Where(f => f.Name is not null && f.Type is not null)
            .DistinctBy(f => f.Name)
            .ToDictionary(f => f.Name!, f => f.Type!, StringComparer.Ordinal);
        // SchemaData refers to a schema by "#id"; old files by its name.
        foreach (var key in new[] { (string?)schema.Attribute("id"), (string?)schema.Attribute("name") })
        {
            if (key is not null) _types[key] = fields;
        }
    }

    /// <summary>A SimpleData value typed by its schema's declaration; text when undeclared or unparsable.</summary>
    public object? Value(string? schemaUrl, string field, string text)
    {
        var key = schemaUrl is null ? null : schemaUrl[(schemaUrl.LastIndexOf('#') + 1)..];
        if (text.Length == 0) return null;
        if (key is null || !_types.TryGetValue(key, out var fields) || !fields.TryGetValue(field, out var type)) return text;
        return type switch
        {
            "int" or "uint" or "short" or "ushort" when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
            "float" or "double" when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
            "bool" when text is "1" or "true" => true,
            "bool" when text is "0" or "false" => false,
            _ => text,
        };
    }
}
