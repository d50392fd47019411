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
  -- The campaign's four languages, each with a name in its own script, so that signing and
  -- the confirmation e-mails take the paths real signers take.
  signers = {
    { lang = "en", name = encode("Bench Signer") },
    { lang = "hy", name = encode("Անի Հակոբյան") },
    { lang = "fr", name = encode("Élise Martin") },
    { lang = "ru", name = encode("Анна Петросян") },
  }
end

-- Form encoding of UTF-8 text.
function encode(text)
  return (text:gsub("[^%w]", function(c) return c == " " and "+" or string.format("%%%02X", string.byte(c)) end))
end

function request()
  counter = counter + 1
  local signer = signers[(counter % #signers) + 1]
  local body = "csrf=" .. token .. "&lang=" .. signer.lang .. "&name=" .. signer.name
    .. "&country=" .. countries[(counter % #countries) + 1]
    .. "&email=" .. prefix .. "-" .. thread_id .. "-" .. counter .. "%40example.org"
  return wrk.format(nil, "/petitions/osce-moscow-mechanism/signatures", nil, body)
end
