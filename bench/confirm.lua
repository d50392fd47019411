-- Presses the confirm button once for each link in the file named by VIGIL_BENCH_LINKS,
-- the links shared out between the threads.
dofile("bench/counting.lua")

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
