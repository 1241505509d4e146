using Meridian.Storage.Schema;
using static Meridian.Storage.Sql;

namespace Meridian.Storage.GeoPackage;

/// <summary>The DDL of the GeoPackage 1.3 core tables, feature tables and the R-tree extension.</summary>
internal static class GeoPackageDdl
{
    /// <summary>'GPKG' as the SQLite application_id, and user_version 10300 for GeoPackage 1.3.</summary>
    public const string Pragmas = "PRAGMA application_id = 1196444487; PRAGMA user_version = 10300;";

    public const string CoreTables = """
        CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
          srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
          organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
        CREATE TABLE IF NOT EXISTS gpkg_contents (
          table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
          description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
          CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
        CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
          table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
          srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
          CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
          CONSTRAINT uk_gc_table_name UNIQUE (table_name),
          CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
          CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
        CREATE TABLE IF NOT EXISTS gpkg_extensions (
          table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL,
          CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
        INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES
          ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
          ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
          ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
        """;

    public const string WebMercatorSrs = """
        INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES ('WGS 84 / Pseudo-Mercator', 3857, 'EPSG', 3857,
          'PROJCS["WGS 84 / Pseudo-Mercator",GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]],PROJECTION["Mercator_1SP"],PARAMETER["central_meridian",0],PARAMETER["scale_factor",1],PARAMETER["false_easting",0],PARAMETER["false_northing",0],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],EXTENSION["PROJ4","+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs"],AUTHORITY["EPSG","3857"]]',
          'Web Mercator');
        """;

    public static string CreateFeatureTable(CollectionSchema schema, string geometryColumn)
    {
        var columns = schema.Properties.Select(p => $"{Quote(p.Name)} {ColumnType(p)}{(p.Nullable ? "" : " NOT NULL")}");
        return $"CREATE TABLE {Quote(schema.Id)} (fid INTEGER PRIMARY KEY AUTOINCREMENT, {Quote(geometryColumn)} {schema.GeometryType.ToSqlName()}"
            + string.Concat(columns.Select(c => ", " + c)) + ");";
    }

    /// <summary>A column's declared type; TEXT(n) records a maximum length, as GeoPackage allows (SQLite does not enforce it).</summary>
    public static string ColumnType(PropertySchema property) => property.Type switch
    {
        PropertyType.String when property.MaxLength is { } length => $"TEXT({length.ToString(System.Globalization.CultureInfo.InvariantCulture)})",
        PropertyType.Integer => "INTEGER",
        PropertyType.Number => "REAL",
        PropertyType.Boolean => "BOOLEAN",
        PropertyType.Date => "DATE",
        PropertyType.DateTime => "DATETIME",
        _ => "TEXT",
    };

    /// <summary>The R-tree table and the triggers of the GeoPackage rtree extension (1.3 form, as GDAL writes it).</summary>
    public static string CreateRTree(string table, string column)
    {
        var t = Quote(table);
        var c = Quote(column);
        var rtreeName = RTreeName(table, column);
        var r = Quote(rtreeName);
        var values = $"(NEW.fid, ST_MinX(NEW.{c}), ST_MaxX(NEW.{c}), ST_MinY(NEW.{c}), ST_MaxY(NEW.{c}))";
        return $"""
            CREATE VIRTUAL TABLE {r} USING rtree(id, minx, maxx, miny, maxy);
            CREATE TRIGGER {Quote(rtreeName + "_insert")} AFTER INSERT ON {t}
              WHEN (NEW.{c} NOT NULL AND NOT ST_IsEmpty(NEW.{c}))
              BEGIN INSERT OR REPLACE INTO {r} VALUES {values}; END;
            CREATE TRIGGER {Quote(rtreeName + "_update1")} AFTER UPDATE OF {c} ON {t}
              WHEN OLD.fid = NEW.fid AND (NEW.{c} NOTNULL AND NOT ST_IsEmpty(NEW.{c}))
              BEGIN INSERT OR REPLACE INTO {r} VALUES {values}; END;
            CREATE TRIGGER {Quote(rtreeName + "_update2")} AFTER UPDATE OF {c} ON {t}
              WHEN OLD.fid = NEW.fid AND (NEW.{c} ISNULL OR ST_IsEmpty(NEW.{c}))
              BEGIN DELETE FROM {r} WHERE id = OLD.fid; END;
            CREATE TRIGGER {Quote(rtreeName + "_update3")} AFTER UPDATE ON {t}
              WHEN OLD.fid != NEW.fid AND (NEW.{c} NOTNULL AND NOT ST_IsEmpty(NEW.{c}))
              BEGIN DELETE FROM {r} WHERE id = OLD.fid; INSERT OR REPLACE INTO {r} VALUES {values}; END;
            CREATE TRIGGER {Quote(rtreeName + "_update4")} AFTER UPDATE ON {t}
              WHEN OLD.fid != NEW.fid AND (NEW.{c} ISNULL OR ST_IsEmpty(NEW.{c}))
              BEGIN DELETE FROM {r} WHERE id IN (OLD.fid, NEW.fid); END;
            CREATE TRIGGER {Quote(rtreeName + "_delete")} AFTER DELETE ON {t}
              WHEN OLD.{c} NOT NULL
              BEGIN DELETE FROM {r} WHERE id = OLD.fid; END;
            """;
    }

    /// <summary>Indexes every feature of a table filled before its R-tree existed, in one statement.</summary>
    public static string FillRTree(string table, string column)
    {
        var c = Quote(column);
        return $"INSERT INTO {Quote(RTreeName(table, column))} SELECT fid, ST_MinX({c}), ST_MaxX({c}), ST_MinY({c}), ST_MaxY({c}) "
            + $"FROM {Quote(table)} WHERE {c} NOT NULL AND NOT ST_IsEmpty({c})";
    }

    public static string RTreeName(string table, string column) => $"rtree_{table}_{column}";
}
