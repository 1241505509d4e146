using System.Buffers;
using System.Text.Json;
using Meridian.Features.Formats;
using Meridian.Hosting.Http;
using Meridian.Storage;
using Meridian.Storage.Schema;

namespace Meridian.Features.Api.Transactions;

/// <summary>
/// The strong entity tag of a feature: the hash of its GeoJSON (type, id, geometry, properties) as GET writes it.
/// Links are left out because they depend on the address the client used, not on the feature; so a tag read
/// through one host name is still good for a conditional write through another.
/// </summary>
public static class FeatureTag
{
    public static string Of(IFeatureReader reader, CollectionSchema schema)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer)) FeatureJson.WriteFeature(writer, reader, schema);
        return EntityTag.Of(buffer.WrittenSpan);
    }
}
