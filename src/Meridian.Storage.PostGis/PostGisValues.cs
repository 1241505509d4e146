using System.Globalization;
using Meridian.Storage.Writing;
using NpgsqlTypes;

namespace Meridian.Storage.PostGis;

/// <summary>Port values (long, double, string, bool, DateOnly, DateTimeOffset) in the binary type of the column they go to.</summary>
internal static class PostGisValues
{
    public static (object Value, NpgsqlDbType Type) For(PostGisColumn column, object value)
    {
        try
        {
            return (column.PgType, value) switch
            {
                ("int2", long v) => (checked((short)v), NpgsqlDbType.Smallint),
                ("int4", long v) => (checked((int)v), NpgsqlDbType.Integer),
                // The value's own box where it already is the column's type.
                ("int8", long) => (value, NpgsqlDbType.Bigint),
                ("float8", double) => (value, NpgsqlDbType.Double),
                ("float4", long or double) => (Convert.ToSingle(value, CultureInfo.InvariantCulture), NpgsqlDbType.Real),
                ("float8", long or double) => (Convert.ToDouble(value, CultureInfo.InvariantCulture), NpgsqlDbType.Double),
                ("numeric", long or double) => (Convert.ToDecimal(value, CultureInfo.InvariantCulture), NpgsqlDbType.Numeric),
                ("text", string v) => (v, NpgsqlDbType.Text),
                ("varchar", string v) => (v, NpgsqlDbType.Varchar),
                ("bpchar", string v) => (v, NpgsqlDbType.Char),
                ("uuid", string v) => (Guid.TryParse(v, out var guid) ? guid : throw Refused(column, $"'{v}' is not a UUID"), NpgsqlDbType.Uuid),
                ("json", string v) => (v, NpgsqlDbType.Json),
                ("jsonb", string v) => (v, NpgsqlDbType.Jsonb),
                ("bool", bool v) => (v, NpgsqlDbType.Boolean),
                ("date", DateOnly v) => (v, NpgsqlDbType.Date),
                ("timestamptz", DateTimeOffset v) => (v.ToUniversalTime(), NpgsqlDbType.TimestampTz),
                // A timestamp without time zone holds UTC wall-clock time, as the reads assume.
                ("timestamp", DateTimeOffset v) => (DateTime.SpecifyKind(v.UtcDateTime, DateTimeKind.Unspecified), NpgsqlDbType.Timestamp),
                _ => throw CannotTake(column, value),
            };
        }
        catch (OverflowException e)
        {
            throw Refused(column, $"{value} is out of the range of {column.PgType}", e);
        }
    }

    /// <summary>The error for a value of a type the column does not take.</summary>
    public static InvalidFeatureException CannotTake(PostGisColumn column, object value) =>
        Refused(column, $"it cannot take a {value.GetType().Name}");

    private static InvalidFeatureException Refused(PostGisColumn column, string reason, Exception? inner = null) =>
        new($"Column '{column.Name}' ({column.PgType}): {reason}.", inner);
}
