using System.CommandLine;

namespace Meridian.Cli;

/// <summary>Options shared by the verbs that open stores; each maps onto a key of the options tree.</summary>
internal sealed class CommonOptions
{
    public Option<string?> Data { get; } = new("--data") { Description = "Directory of Meridian's embedded stores (default ./data). Setting: Meridian:Data." };

    public Option<string[]> GeoPackages { get; } = new("--gpkg") { Description = "Publish every layer of an existing GeoPackage file, in place (repeatable). Setting: Meridian:GeoPackages." };

    public Option<string?> Postgres { get; } = new("--postgres") { Description = "PostgreSQL+PostGIS database: an Npgsql connection string or a postgres:// URL. Setting: Meridian:PostGis:ConnectionString." };

    public Option<string?> Config { get; } = new("--config") { Description = "An extra JSON settings file, layered over appsettings.json." };

    public Option<string[]> Set { get; } = new("--set") { Description = "Set any setting, e.g. --set Features:MaxLimit=500 (repeatable)." };

    public void AddTo(Command command, bool withGeoPackages = true)
    {
        command.Options.Add(Data);
        if (withGeoPackages) command.Options.Add(GeoPackages);
        command.Options.Add(Postgres);
        command.Options.Add(Config);
        command.Options.Add(Set);
    }

    /// <summary>The command line as configuration keys; the last layer, so it wins over files and the environment.</summary>
    public Dictionary<string, string?> ToConfiguration(ParseResult parse)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        const string root = "Meridian:";
        if (parse.GetValue(Data) is { } data) values[root + "Data"] = data;
        var files = parse.GetValue(GeoPackages) ?? [];
        for (var i = 0; i < files.Length; i++) values[$"{root}GeoPackages:{i}"] = files[i];
        if (parse.GetValue(Postgres) is { } postgres) values[root + "PostGis:ConnectionString"] = postgres;
        foreach (var assignment in parse.GetValue(Set) ?? [])
        {
            var equals = assignment.IndexOf('=');
            if (equals <= 0) throw new Hosting.Configuration.OptionsException([$"--set '{assignment}': expected KEY=VALUE, e.g. Features:MaxLimit=500"]);
            values[root + assignment[..equals].Replace("__", ":").Replace('.', ':')] = assignment[(equals + 1)..];
        }
        return values;
    }
}
