namespace Meridian.Storage.Filtering;

/// <summary>
/// One node of a CQL2 expression (OGC 21-065), the same for cql2-text and cql2-json. Nodes are immutable and
/// compare by structure: two nodes that differ only in <see cref="Position"/> are equal, so a filter parsed from
/// text equals the same filter parsed from JSON. <see cref="ToString"/> gives the node as canonical cql2-text.
/// </summary>
public abstract record Expression
{
    /// <summary>Where the node was written; <see cref="SourcePosition.None"/> for nodes built in code.</summary>
    public SourcePosition Position { get; init; }

    public virtual bool Equals(Expression? other) =>
        other is not null && EqualityContract == other.EqualityContract;

    public override int GetHashCode() => EqualityContract.GetHashCode();

    public sealed override string ToString() => Cql2TextFormatter.Format(this);
}

/// <summary>
/// Where a node or an error is in the filter: a character offset in cql2-text, or a JSON path such as
/// <c>$.args[1].args[0]</c> in cql2-json.
/// </summary>
public readonly record struct SourcePosition
{
    // Stored plus one, so that default(SourcePosition) is None rather than offset 0.
    private readonly int _offsetPlusOne;

    private SourcePosition(int offset, string? jsonPath)
    {
        _offsetPlusOne = offset + 1;
        JsonPath = jsonPath;
    }

    /// <summary>No position: a node built in code; the default value.</summary>
    public static SourcePosition None => default;

    /// <summary>The zero-based character offset in cql2-text, or -1.</summary>
    public int Offset => _offsetPlusOne - 1;

    /// <summary>The JSON path of the node in cql2-json, or null.</summary>
    public string? JsonPath { get; }

    public static SourcePosition AtOffset(int offset) => new(offset, null);

    public static SourcePosition AtPath(string jsonPath) => new(-1, jsonPath);

    public bool IsNone => Offset < 0 && JsonPath is null;

    /// <summary>"12" for text, "$.args[0]" for JSON, "?" when unknown: what follows "at" in an error message.</summary>
    public override string ToString() => JsonPath ?? (Offset >= 0 ? Offset.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?");
}
