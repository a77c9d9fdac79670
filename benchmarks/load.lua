-- Mixed routes for wrk (benchmarks/load.py writes the route file and reads the result).
--
--   wrk -t2 -c16 -d30s -s benchmarks/load.lua http://127.0.0.1:PORT -- ROUTES
--
-- ROUTES holds one route a line: a path (with its query string), optionally followed by
-- a tab and the Accept header to send. Each connection's next request is the thread's
-- next route, round robin; the threads start at different routes. At the end, done()
-- prints one JSON line: requests, duration, latency percentiles (microseconds), wrk's
-- error counts (status: answers with a status above 399) and every answer that was not a
-- 200, by status.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  requests = {}
  for line in io.lines(args[1]) do
    local path, accept = line:match("^([^\t]+)\t?(.*)$")
    if path then
      local headers = {}
      if accept ~= "" then headers["Accept"] = accept end
      table.insert(requests, wrk.format("GET", path, headers))
    end
  end
  if #requests == 0 then error("no routes in " .. args[1]) end
  -- each thread starts elsewhere in the list, so the routes are mixed from the start
  next_request = (id * math.floor(#requests / 2)) % #requests
  not_ok = {}
end

function request()
  next_request = next_request % #requests + 1
  return requests[next_request]
end

function response(status, headers, body)
  if status ~= 200 then
    local key = tostring(status)
    not_ok[key] = (not_ok[key] or 0) + 1
  end
end

function done(summary, latency, _)
  local statuses = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("not_ok")) do
      statuses[status] = (statuses[status] or 0) + n
    end
  end
  local counted = {}
  for status, n in pairs(statuses) do
    table.insert(counted, string.format('"%s": %d', status, n))
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "mean_us": %.1f, "p50_us": %d, '
      .. '"p90_us": %d, "p99_us": %d, "max_us": %d, "errors": {"connect": %d, "read": %d, '
      .. '"write": %d, "timeout": %d, "status": %d}, "statuses": {%s}}\n',
    summary.requests, summary.duration, summary.bytes, latency.mean,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    errors.connect, errors.read, errors.write, errors.timeout, errors.status,
    table.concat(counted, ", ")))
end
