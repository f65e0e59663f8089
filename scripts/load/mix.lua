-- wrk script for scripts/load.sh: requests cycle through the paths in $LOAD_PATHS (space-separated), every
-- response's status is counted, and the summary prints the status counts and latency percentiles.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for p in string.gmatch(os.getenv("LOAD_PATHS") or "/", "%S+") do
    table.insert(paths, p)
  end
  i = 0
  ok, limited, unavailable, other = 0, 0, 0, 0
end

-- As a browser asks: every browser accepts gzip, and the server keeps pages and images compressed.
-- LOAD_GZIP=off asks for the uncompressed bytes (a client that cannot decompress).
local headers = {}
if os.getenv("LOAD_GZIP") ~= "off" then headers["Accept-Encoding"] = "gzip" end

function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], headers)
end

function response(status, headers, body)
  if status < 400 then ok = ok + 1
  elseif status == 429 then limited = limited + 1
  elseif status == 503 then unavailable = unavailable + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local t = {ok = 0, limited = 0, unavailable = 0, other = 0}
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + (thread:get(k) or 0) end
  end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    "RESULT requests=%d ok=%d 429=%d 503=%d other=%d socket_errors=%d p50_ms=%.1f p99_ms=%.1f rps=%.0f\n",
    summary.requests, t.ok, t.limited, t.unavailable, t.other, errors,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6)))
end
