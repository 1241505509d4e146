using Meridian.Storage;
using Meridian.Storage.GeoPackage;
using Meridian.Storage.Querying;
using Microsoft.Extensions.Logging.Abstractions;

namespace Meridian.Testing;

/// <summary>
/// The OGC CQL2 test dataset (ne110m4cql2.gpkg: 177 countries, 243 places, 13 rivers), opened in place or
/// copied through the store port into another store, so that every store answers the same conformance cases.
/// </summary>
public static class Cql2Dataset
{
    public const string Countries = "ne_110m_admin_0_countries";
    public const string Places = "ne_110m_populated_places_simple";
    public const string Rivers = "ne_110m_rivers_lake_centerlines";

    public static string FilePath => TestData.Path("naturalearth/cql2/ne110m4cql2.gpkg");

    /// <summary>The dataset's GeoPackage as a store (read only by the tests).</summary>
    public static GeoPackageStore Open() => GeoPackageStore.Open(FilePath, NullLogger.Instance);

    /// <summary>Loads every layer of the dataset into <paramref name="target"/> under the same ids and schemas.</summary>
    public static async Task CopyToAsync(IWritableFeatureStore target)
    {
        foreach (var collection in await Open().GetCollectionsAsync(CancellationToken.None))
            await target.LoadAsync(collection.Schema, ReadAll(collection), CancellationToken.None);
    }

    private static async IAsyncEnumerable<FeatureRecord> ReadAll(IFeatureCollection collection)
    {
        await using var reader = await collection.QueryAsync(new FeatureQuery { Limit = 100_000 }, CancellationToken.None);
        while (await reader.ReadAsync(CancellationToken.None))
        {
            var values = collection.Schema.Properties.Select((p, i) => KeyValuePair.Create(p.Name, reader.GetValue(i))).ToDictionary();
            yield return new FeatureRecord(reader.Id, reader.ReadGeometry(), values);
        }
    }
}
