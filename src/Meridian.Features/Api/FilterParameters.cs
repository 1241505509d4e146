using Meridian.Features.Cql2;
using Meridian.Hosting.Problems;
using Meridian.Storage.Filtering;
using Meridian.Storage.Schema;
using Microsoft.AspNetCore.Http;

namespace Meridian.Features.Api;

/// <summary>
/// <c>filter</c>, <c>filter-lang</c> and <c>filter-crs</c> (OGC API - Features Part 3): the filter parsed in its
/// language and bound to the collection's queryables. Every error is a 400 naming the parameter and, for the
/// filter itself, the position in it.
/// </summary>
public static class FilterParameters
{
    public const string Filter = "filter";
    public const string Language = "filter-lang";
    public const string Crs = "filter-crs";
    public const string Text = "cql2-text";
    public const string Json = "cql2-json";

    public static IReadOnlyList<string> Names { get; } = [Filter, Language, Crs];

    /// <summary>The bound filter, or null when there is no <c>filter</c> parameter.</summary>
    public static Filter? Parse(IQueryCollection query, CollectionSchema schema)
    {
        var language = query.TryGetValue(Language, out var lang) ? lang.ToString() : Text;
        if (language is not (Text or Json))
            throw ProblemException.InvalidParameter(Language, $"filter-lang '{language}' is not supported: use {Text} (the default) or {Json}.");
        var options = new Cql2ParserOptions { Crs = CrsParameters.Parse(query, Crs) };
        if (!query.TryGetValue(Filter, out var text)) return null;
        try
        {
            var expression = language == Json ? Cql2JsonParser.Parse(text.ToString(), options) : Cql2TextParser.Parse(text.ToString(), options);
            return BinderFor(schema).Bind(expression);
        }
        catch (Cql2Exception e)
        {
            throw e.ToProblem(Filter);
        }
    }

    /// <summary>The binder for a collection: its properties, and its geometry as <c>geometry</c> or by its own name.</summary>
    public static Cql2Binder BinderFor(CollectionSchema schema) =>
        new(schema, new Cql2BinderOptions { GeometryAliases = [schema.GeometryName] });
}
