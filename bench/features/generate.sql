-- Deterministic benchmark data for Meridian's features benchmark (bench/features/run.sh).
--
-- bench_points   : 1,000,000 points, uniform over lon -180..180, lat -80..80
--                  (57,600 square degrees -> ~17.4 points per square degree)
-- bench_polygons :   100,000 small polygons (even id: square, odd id: hexagon), centres uniform over the
--                  same area (~1.74 per square degree), half-width 0.005..0.025 degrees.
--
-- Determinism: setseed() fixes random(); the generating queries run without parallel workers so random()
-- is evaluated in generate_series order. Coordinates are rounded to 6 decimals and values to 3 decimals so
-- that every producer (PostGIS, GeoPackage/.NET) prints the same shortest round-trip numbers.
-- Run with: psql -v ON_ERROR_STOP=1 -f generate.sql
\set ON_ERROR_STOP on
SET max_parallel_workers_per_gather = 0;
SET TimeZone = 'UTC';
-- Meridian keeps its own tables (jobs) in a schema named after it: with a database user of the same name,
-- "$user" would come first in the default search_path and a second run would put these tables there.
SET search_path = public;
CREATE EXTENSION IF NOT EXISTS postgis;

DROP TABLE IF EXISTS bench_points;
DROP TABLE IF EXISTS bench_polygons;

CREATE TABLE bench_points (
    id       bigint PRIMARY KEY,
    geom     geometry(Point, 4326) NOT NULL,
    name     text NOT NULL,
    category int NOT NULL,
    value    double precision NOT NULL,
    observed timestamptz NOT NULL
);

CREATE TABLE bench_polygons (
    id       bigint PRIMARY KEY,
    geom     geometry(Polygon, 4326) NOT NULL,
    name     text NOT NULL,
    category int NOT NULL,
    value    double precision NOT NULL,
    observed timestamptz NOT NULL
);

SELECT setseed(0.4242);

INSERT INTO bench_points (id, geom, name, category, value, observed)
SELECT r.g,
       ST_SetSRID(ST_MakePoint(round(r.rx::numeric, 6)::float8, round(r.ry::numeric, 6)::float8), 4326),
       'point ' || r.g,
       r.rc,
       round(r.rv::numeric, 3)::float8,
       timestamptz '2020-01-01 00:00:00+00' + r.rt * interval '1 second'
FROM (
    SELECT g,
           random() * 360 - 180              AS rx,
           random() * 160 - 80               AS ry,
           floor(random() * 10)::int         AS rc,
           random() * 1000                   AS rv,
           floor(random() * 126230400)::int  AS rt   -- 4 years of seconds
    FROM generate_series(1, 1000000) AS g
    OFFSET 0                                          -- keep the subquery (and its random() order) intact
) AS r
ORDER BY r.g;

SELECT setseed(0.1717);

INSERT INTO bench_polygons (id, geom, name, category, value, observed)
SELECT p.g,
       CASE WHEN p.g % 2 = 0 THEN
           -- square
           ST_MakeEnvelope(round((p.cx - p.r)::numeric, 6)::float8, round((p.cy - p.r)::numeric, 6)::float8,
                           round((p.cx + p.r)::numeric, 6)::float8, round((p.cy + p.r)::numeric, 6)::float8, 4326)
       ELSE
           -- hexagon, vertices counter-clockwise from angle 0, ring closed on the first vertex
           ST_SetSRID(ST_MakePolygon(ST_MakeLine(ARRAY(
               SELECT ST_MakePoint(round((p.cx + p.r * cos(radians(60 * (k % 6))))::numeric, 6)::float8,
                                   round((p.cy + p.r * sin(radians(60 * (k % 6))))::numeric, 6)::float8)
               FROM generate_series(0, 6) AS k
               ORDER BY k))), 4326)
       END,
       'polygon ' || p.g,
       p.rc,
       round(p.rv::numeric, 3)::float8,
       timestamptz '2020-01-01 00:00:00+00' + p.rt * interval '1 second'
FROM (
    SELECT g,
           random() * (360 - 0.06) - 179.97    AS cx,
           random() * (160 - 0.06) - 79.97     AS cy,
           0.005 + random() * 0.02             AS r,
           floor(random() * 10)::int           AS rc,
           random() * 1000                     AS rv,
           floor(random() * 126230400)::int    AS rt
    FROM generate_series(1, 100000) AS g
    OFFSET 0
) AS p
ORDER BY p.g;

CREATE INDEX bench_points_geom_idx ON bench_points USING gist (geom);
CREATE INDEX bench_polygons_geom_idx ON bench_polygons USING gist (geom);
VACUUM (FREEZE, ANALYZE) bench_points;
VACUUM (FREEZE, ANALYZE) bench_polygons;

-- A fingerprint of the data, printed by run.sh so that runs can be compared.
SELECT 'points' AS t, count(*) AS n,
       md5(string_agg(id || ' ' || ST_AsText(geom) || ' ' || category || ' ' || value || ' ' || observed, ',' ORDER BY id)) AS fingerprint
FROM bench_points
UNION ALL
SELECT 'polygons', count(*),
       md5(string_agg(id || ' ' || ST_AsText(geom) || ' ' || category || ' ' || value || ' ' || observed, ',' ORDER BY id))
FROM bench_polygons;
