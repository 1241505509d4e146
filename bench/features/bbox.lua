-- wrk script for bench/features/run.sh: GET /collections/{id}/items with a random small bbox.
--
-- Usage: wrk ... -s bbox.lua http://host:port -- COLLECTION LIMIT BOX_MILLIDEGREES [SEED]
--
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
    headers = { ["Accept"] = "application/geo+json" }
end

function request()
    local x0 = math.random(-180000, 180000 - box)
    local y0 = math.random(-80000, 80000 - box)
    local path = string.format("/collections/%s/items?bbox=%.3f,%.3f,%.3f,%.3f&limit=%d",
        collection, x0 / 1000, y0 / 1000, (x0 + box) / 1000, (y0 + box) / 1000, limit)
    return wrk.format("GET", path, headers)
end

function done(summary, latency, requests)
    io.write(string.format(
        "WRKRESULT requests=%d duration_us=%d bytes=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.0f " ..
        "connect_errors=%d read_errors=%d write_errors=%d status_errors=%d timeouts=%d\n",
        summary.requests, summary.duration, summary.bytes,
        latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
        summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
        summary.errors.timeout))
end
