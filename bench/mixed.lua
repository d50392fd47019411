-- Nine petition page views for every signature, as on a day the petition is shared widely.
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
  wrk.headers["Cookie"] = os.getenv("VIGIL_BENCH_COOKIE")
  token = os.getenv("VIGIL_BENCH_TOKEN")
  prefix = os.getenv("VIGIL_BENCH_PREFIX") or "mixed"
  post_headers = {
    ["Cookie"] = wrk.headers["Cookie"],
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }
end

function request()
  counter = counter + 1
  if counter % 10 ~= 0 then
    return wrk.format("GET", "/petitions/osce-moscow-mechanism")
  end
  local body = "csrf=" .. token .. "&lang=en&name=Mixed+Signer&country=AM&email=" .. prefix .. "-" .. thread_id .. "-" .. counter .. "%40example.org"
  return wrk.format("POST", "/petitions/osce-moscow-mechanism/signatures", post_headers, body)
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
