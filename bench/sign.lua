-- Signs the petition with a new address on every request, with the browser's cookie and
-- form token.
dofile("bench/counting.lua")
counter = 0

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
