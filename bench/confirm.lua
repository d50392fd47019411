-- Presses the confirm button once for each link in the file named by VIGIL_BENCH_LINKS,
-- spread over the threads, and counts the answers that acknowledge it (303).
local threads = {}
local thread_count = 0
acknowledged = 0
others = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
  table.insert(threads, thread)
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = os.getenv("VIGIL_BENCH_COOKIE")
  wrk.body = "csrf=" .. os.getenv("VIGIL_BENCH_TOKEN")
  local count = tonumber(os.getenv("VIGIL_BENCH_THREADS") or "2")
  links = {}
  local line_number = 0
  for line in io.lines(os.getenv("VIGIL_BENCH_LINKS")) do
    line_number = line_number + 1
    if line_number % count == thread_id % count then table.insert(links, line) end
  end
  next_link = 1
end

function request()
  local link = links[next_link]
  if link == nil then
    -- Every link of this thread was pressed; keep the connection busy with a harmless read.
    return wrk.format("GET", "/healthz")
  end
  next_link = next_link + 1
  return wrk.format(nil, link)
end

function response(status, headers, body)
  if status == 303 then acknowledged = acknowledged + 1 elseif status ~= 200 then others = others + 1 end
end

function done(summary, latency, requests)
  local total, bad = 0, 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("acknowledged")
    bad = bad + thread:get("others")
  end
  io.write(string.format("ACKNOWLEDGED %d OTHER %d\n", total, bad))
end
