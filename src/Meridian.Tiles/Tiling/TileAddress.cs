using System.Globalization;
using Meridian.Hosting.Problems;

namespace Meridian.Tiles.Tiling;

/// <summary>One tile of a tile matrix set: its matrix (zoom level), row (from the top) and column (from the left).</summary>
public readonly record struct TileAddress(int Zoom, long Row, long Col)
{
    /// <summary>
    /// Reads the path values of a tile request. Something that is no integer is a 400 naming the parameter; an
    /// integer outside the set (a tile matrix it does not have, a row or column past its matrix, negatives, numbers
    /// of any size) is a 404, as OGC API - Tiles /req/core/tc-error allows: that tile does not exist.
    /// </summary>
    public static TileAddress Parse(TileMatrixSet set, string tileMatrix, string tileRow, string tileCol)
    {
        var zoom = Integer("tileMatrix", tileMatrix);
        var row = Integer("tileRow", tileRow);
        var col = Integer("tileCol", tileCol);
        if (zoom is not { } z || z < set.MinZoom || z > set.MaxZoom)
            throw ProblemException.NotFound($"{set.Id} has tile matrices {set.MinZoom} to {set.MaxZoom}, not '{tileMatrix}'.");
        var level = (int)z;
        if (row is not { } r || r < 0 || r >= set.MatrixHeight(level))
            throw ProblemException.NotFound($"Tile matrix {level} of {set.Id} has rows 0 to {set.MatrixHeight(level) - 1}, not '{tileRow}'.");
        if (col is not { } c || c < 0 || c >= set.MatrixWidth(level))
            throw ProblemException.NotFound($"Tile matrix {level} of {set.Id} has columns 0 to {set.MatrixWidth(level) - 1}, not '{tileCol}'.");
        return new TileAddress(level, r, c);
    }

    /// <summary>The value, or null for an integer too large for any tile matrix; a 400 for anything that is no integer.</summary>
    private static long? Integer(string name, string text)
    {
        var digits = text.StartsWith('-') ? text.AsSpan(1) : text.AsSpan();
        if (digits.IsEmpty || digits.ContainsAnyExceptInRange('0', '9'))
        {
            var shown = text.Length > 40 ? text[..40] + "…" : text;
            throw ProblemException.InvalidParameter(name, $"'{shown}' is not an integer.");
        }
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
