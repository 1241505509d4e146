using System.Xml;

namespace Meridian.Ingestion.Formats;

/// <summary>XML parsing for the XML formats (GPX, KML): no DTDs (no XXE, no entity expansion bombs), no resolver.</summary>
internal static class XmlInput
{
    public static XmlReader Open(Stream stream, bool async) => XmlReader.Create(stream, new XmlReaderSettings
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        Async = async,
        CloseInput = true,
    });

    /// <summary>The message for XML that cannot be parsed, with its line and position.</summary>
    public static SourceFormatException Malformed(string format, XmlException e) =>
        // Without a line, the exception comes from a library checking the content, not from the XML parser.
        e.LineNumber == 0
            ? new($"the {format} file is not valid {format}: {e.Message}", e)
            : new($"the {format} file is not well-formed XML (line {e.LineNumber}, position {e.LinePosition}): {e.Message}", e);
}
