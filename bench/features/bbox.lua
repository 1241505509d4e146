-- wrk script for bench/features/run.sh: GET /collections/{id}/items with a random small bbox.
--
-- Usage: wrk ... -s bbox.lua http://host:port -- COLLECTION LIMIT BOX_MILLIDEGREES [SEED [MODE [CATEGORY]]]
--
-- MODE "bbox" (the default) asks with the bbox parameter; MODE "cql2" asks the same box as a CQL2 filter with an
-- attribute comparison: filter=category < CATEGORY AND S_INTERSECTS(geom, BBOX(...)).
-- Each request asks for a BOX x BOX degree square whose lower-left corner is uniform over
-- lon -180..180-BOX, lat -80..80-BOX in whole millidegrees (the same distribution as the pgbench
-- script). Every wrk thread has its own deterministic random stream (SEED * 1000 + thread number).
-- done() prints one machine-readable line that run.sh parses:
--   WRKRESULT requests=.. duration_us=.. bytes=.. p50_us=.. p90_us=.. p99_us=.. max_us=.. mean_us=.. connect_errors=..
--             read_errors=.. write_errors=.. status_errors=.. timeouts=..

local thread_count = 0

function setup(thread)
    thread_count = thread_count + 1
    thread:set("thread_number", thread_count)
end

function init(args)
    collection = args[1] or "bench_points"
    limit = tonumber(args[2] or "100")
    box = tonumber(args[3] or "3000")
    local seed = tonumber(args[4] or "42")
    math.randomseed(seed * 1000 + (thread_number or 0))
    mode = args[5] or "bbox"
    category = tonumber(args[6] or "5")
    headers = { ["Accept"] = "application/geo+json" }
end

local function urlencode(text)
    return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function request()
    local x0 = math.random(-180000, 180000 - box)
    local y0 = math.random(-80000, 80000 - box)
    local bbox = string.format("%.3f,%.3f,%.3f,%.3f", x0 / 1000, y0 / 1000, (x0 + box) / 1000, (y0 + box) / 1000)
    local query = "bbox=" .. bbox
    if mode == "cql2" then
        query = "filter=" .. urlencode(string.format("category < %d AND S_INTERSECTS(geom, BBOX(%s))", category, bbox))
    end
    local path = string.format("/collections/%s/items?%s&limit=%d", collection, query, limit)
    return wrk.format("GET", path, headers)
end

dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "../lib/wrk-result.lua")
