-- wrk script for bench/tiles/run.sh: GET one vector tile at a random address.
--
-- Usage: wrk ... -s tiles.lua http://host:port -- COLLECTION ZMIN ZMAX SEED [REPEAT [ACCEPT_ENCODING]]
--
-- z is uniform in ZMIN..ZMAX, x and y uniform in 0..2^z-1 (the same distribution as the pgbench script).
-- With REPEAT > 0 every thread cycles through its first REPEAT addresses (a hot set, to measure cached tiles).
-- ACCEPT_ENCODING, when given, is sent as the Accept-Encoding header (as browsers and GDAL send one); none by default.
-- done() prints the same machine-readable WRKRESULT line as bench/features/bbox.lua.

local thread_count = 0

function setup(thread)
    thread_count = thread_count + 1
    thread:set("thread_number", thread_count)
end

function init(args)
    collection = args[1]
    zmin = tonumber(args[2])
    zmax = tonumber(args[3])
    math.randomseed(tonumber(args[4]) * 1000 + (thread_number or 0))
    repeat_count = tonumber(args[5] or "0")
    paths = {}
    for i = 1, math.max(repeat_count, 1) do paths[i] = random_path() end
    counter = 0
    headers = { ["Accept"] = "application/vnd.mapbox-vector-tile" }
    if args[6] and args[6] ~= "" then headers["Accept-Encoding"] = args[6] end
end

function random_path()
    local z = math.random(zmin, zmax)
    local n = 2 ^ z
    return string.format("/collections/%s/tiles/WebMercatorQuad/%d/%d/%d", collection, z, math.random(0, n - 1), math.random(0, n - 1))
end

function request()
    local path
    if repeat_count > 0 then
        counter = counter % repeat_count + 1
        path = paths[counter]
    else
        path = random_path()
    end
    return wrk.format("GET", path, headers)
end

dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "../lib/wrk-result.lua")
