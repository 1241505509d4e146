using System.Text.Json;
using System.Text.Json.Nodes;
using Meridian.Hosting.Catalog;
using Meridian.Processing.Library;
using Meridian.Processing.Processes;
using Meridian.Storage;
using Meridian.Storage.Caching;
using Meridian.Storage.GeoPackage;
using Meridian.Storage.Jobs;
using Meridian.Storage.Objects;
using Meridian.Storage.PostGis;
using Meridian.Storage.Querying;
using Meridian.Storage.Schema;
using Meridian.Storage.Spatial;
using Meridian.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Meridian.Processing.Tests.Library;

/// <summary>
/// The process library over a real store (a GeoPackage directory, or a PostGIS database) and a local object store,
/// wired as the host wires it: collections are read through the catalog and created in the same store.
/// </summary>
internal sealed class ProcessHarness : IAsyncDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly IAsyncDisposable? _owned;

    private ProcessHarness(Func<string, IWritableFeatureStore> store)
    {
        Store = store(_directory.Path);
        _owned = Store as IAsyncDisposable;
        Objects = new LocalObjectStore(Path.Combine(_directory.Path, "objects"));
        var catalog = new CollectionCatalog([Store], NullLogger<CollectionCatalog>.Instance);
        Io = new ProcessIo(new FeatureInputs(catalog, Objects), new FeatureOutputs(new CollectionHome(Store), catalog, Objects, new InMemoryCollectionVersions()));
    }

    public IWritableFeatureStore Store { get; }

    public LocalObjectStore Objects { get; }

    public ProcessIo Io { get; }

    public static ProcessHarness Inline() => GeoPackage();

    public static ProcessHarness GeoPackage() =>
        new(path => new GeoPackageDirectoryStore(Path.Combine(path, "features"), NullLogger.Instance));

    public static ProcessHarness PostGis(PostGisTestDatabase database) =>
        new(_ => new PostGisFeatureStore(new PostGisStoreOptions { ConnectionString = database.ConnectionString }, NullLogger<PostGisFeatureStore>.Instance));

    /// <summary>A store of either kind, by name, for theories that run on both.</summary>
    public static ProcessHarness For(string store, PostGisTestDatabase database) => store == "postgis" ? PostGis(database) : GeoPackage();

    public T Create<T>() where T : FeatureProcess => (T)Activator.CreateInstance(typeof(T), Io)!;

    /// <summary>Runs the process and returns its results document as clients read it: written out as JSON text and parsed.</summary>
    public static async Task<JsonObject> RunAsync(IProcess process, string inputs, string? jobId = null)
    {
        var results = await process.ExecuteAsync(new ProcessExecution(JsonNode.Parse(inputs)!.AsObject(), jobId, new Progress<JobProgress>()), CancellationToken.None);
        return JsonNode.Parse(results.ToJsonString())!.AsObject();
    }

    /// <summary>The geometries of an inline result, in order.</summary>
    public static List<Geometry> Geometries(JsonObject results, string output = FeatureProcess.ResultName) =>
        results[output]!["features"]!.AsArray().Select(f => GeoJson.Parse(f!["geometry"]!.ToJsonString())!).ToList();

    public static List<JsonObject> Properties(JsonObject results) =>
        results[FeatureProcess.ResultName]!["features"]!.AsArray().Select(f => f!["properties"]!.AsObject()).ToList();

    /// <summary>A FeatureCollection of these WKT geometries, each with the properties given (JSON object text) or none.</summary>
    public static string Features(params (string Wkt, string Properties)[] features)
    {
        var reader = new WKTReader();
        var collection = new JsonArray(features.Select((f, i) => (JsonNode)new JsonObject
        {
            ["type"] = "Feature",
            ["id"] = (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["geometry"] = JsonNode.Parse(JsonSerializer.Serialize(reader.Read(f.Wkt), GeoJson.Options)),
            ["properties"] = JsonNode.Parse(f.Properties),
        }).ToArray());
        return new JsonObject { ["type"] = "FeatureCollection", ["features"] = collection }.ToJsonString();
    }

    public static string Features(params string[] wkts) => Features(wkts.Select(w => (w, "{}")).ToArray());

    /// <summary>Loads WKT features with a "name" (text) and "value" (number) property into a new collection of the store.</summary>
    public async Task LoadAsync(string id, GeometryKind kind, params (string Wkt, string Name, double Value)[] features)
    {
        var schema = new CollectionSchema(id, id, null, kind, 4326, FeatureIdKind.Integer,
            [new PropertySchema("name", PropertyType.String), new PropertySchema("value", PropertyType.Number)], null);
        var reader = new WKTReader();
        var records = features.Select(f => new FeatureRecord(null, reader.Read(f.Wkt),
            new Dictionary<string, object?> { ["name"] = f.Name, ["value"] = f.Value })).ToAsyncEnumerable();
        await Store.LoadAsync(schema, records, CancellationToken.None);
    }

    /// <summary>Every feature of a collection of the store, in id order: its geometry and properties.</summary>
    public async Task<List<(Geometry Geometry, Dictionary<string, object?> Properties)>> ReadAsync(string id)
    {
        var collection = (await Store.GetCollectionsAsync(CancellationToken.None)).Single(c => c.Schema.Id == id);
        var features = new List<(Geometry, Dictionary<string, object?>)>();
        await using var reader = await collection.QueryAsync(new FeatureQuery { Limit = int.MaxValue }, CancellationToken.None);
        while (await reader.ReadAsync(CancellationToken.None))
        {
            var properties = collection.Schema.Properties.Select((p, i) => (p.Name, Value: reader.GetValue(i))).ToDictionary(p => p.Name, p => p.Value);
            features.Add((reader.ReadGeometry()!, properties));
        }
        return features;
    }

    public async ValueTask DisposeAsync()
    {
        if (_owned is not null) await _owned.DisposeAsync();
        _directory.Dispose();
    }
}

/// <summary>Geometry comparisons with a tolerance: the same type, and a discrete Hausdorff distance (densified) within it.</summary>
internal static class GeometryAssert
{
    public static void Near(string expectedWkt, Geometry actual, double tolerance)
    {
        var expected = new WKTReader().Read(expectedWkt);
        Assert.True(expected.OgcGeometryType == actual.OgcGeometryType, $"Expected a {expected.GeometryType}, got {actual.AsText()}");
        var distance = NetTopologySuite.Algorithm.Distance.DiscreteHausdorffDistance.Distance(expected.Normalized(), actual.Normalized(), 0.1);
        Assert.True(distance <= tolerance, $"Hausdorff distance {distance} > {tolerance}: expected {expectedWkt}, got {actual.AsText()}");
    }
}
