-- Signs the petition with a new address on every request, with the browser's cookie and
-- form token, and counts the answers that acknowledge a signature (303).
counter = 0
acknowledged = 0
others = 0
local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
  table.insert(threads, thread)
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Cookie"] = os.getenv("VIGIL_BENCH_COOKIE")
  token = os.getenv("VIGIL_BENCH_TOKEN")
  prefix = os.getenv("VIGIL_BENCH_PREFIX") or "bench"
  countries = { "AM", "FR", "US", "RU", "DE", "LB", "CA", "GE", "AR", "IR" }
end

function request()
  counter = counter + 1
  local body = "csrf=" .. token .. "&lang=en&name=Bench+Signer&country=" .. countries[(counter % #countries) + 1]
    .. "&email=" .. prefix .. "-" .. thread_id .. "-" .. counter .. "%40example.org"
  return wrk.format(nil, "/petitions/osce-moscow-mechanism/signatures", nil, body)
end

function response(status, headers, body)
  if status == 303 then acknowledged = acknowledged + 1 else others = others + 1 end
end

function done(summary, latency, requests)
  local total, bad = 0, 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("acknowledged")
    bad = bad + thread:get("others")
  end
  io.write(string.format("ACKNOWLEDGED %d OTHER %d\n", total, bad))
end
