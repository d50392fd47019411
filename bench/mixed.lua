-- Nine petition page views for every signature, as on a day the petition is shared widely.
dofile("bench/counting.lua")
counter = 0

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
