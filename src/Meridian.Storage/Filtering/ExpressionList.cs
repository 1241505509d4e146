using System.Collections;
using System.Runtime.CompilerServices;

namespace Meridian.Storage.Filtering;

/// <summary>An immutable list of expressions that compares by its items, so that the nodes holding it do too.</summary>
[CollectionBuilder(typeof(ExpressionList), nameof(Create))]
public sealed class ExpressionList : IReadOnlyList<Expression>, IEquatable<ExpressionList>
{
    private readonly Expression[] _items;

    private ExpressionList(Expression[] items) => _items = items;

    public static ExpressionList Empty { get; } = new([]);

    public static ExpressionList Create(ReadOnlySpan<Expression> items) =>
        items.IsEmpty ? Empty : new ExpressionList(items.ToArray());

    public static ExpressionList From(IEnumerable<Expression> items) => Create(items.ToArray());

    public int Count => _items.Length;

    public Expression this[int index] => _items[index];

    public ReadOnlySpan<Expression> AsSpan() => _items;

    public IEnumerator<Expression> GetEnumerator() => ((IEnumerable<Expression>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public bool Equals(ExpressionList? other) =>
        other is not null && _items.AsSpan().SequenceEqual(other._items);

    public override bool Equals(object? obj) => Equals(obj as ExpressionList);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items) hash.Add(item);
        return hash.ToHashCode();
    }

    public override string ToString() => string.Join(", ", _items.Select(i => i.ToString()));
}
