using Npgsql;

namespace Meridian.Storage.PostGis;

/// <summary>Adds positional parameters to a command and hands back their placeholders, so values never enter SQL text.</summary>
internal sealed class SqlParameters(NpgsqlCommand command)
{
    public string Add<T>(T value)
    {
        command.Parameters.Add(new NpgsqlParameter<T> { TypedValue = value });
        return Placeholder;
    }

    /// <summary>A value typed by the column it goes to rather than by its CLR type (a long for an int2, text for a jsonb).</summary>
    public string Add(object value, NpgsqlTypes.NpgsqlDbType type)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = value, NpgsqlDbType = type });
        return Placeholder;
    }

    private string Placeholder => "$" + command.Parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
