using Npgsql;

namespace Meridian.Storage.PostGis;

/// <summary>Adds positional parameters to a command and hands back their placeholders, so values never enter SQL text.</summary>
internal sealed class SqlParameters(NpgsqlCommand command)
{
    public string Add<T>(T value)
    {
        command.Parameters.Add(new NpgsqlParameter<T> { TypedValue = value });
        return "$" + command.Parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
