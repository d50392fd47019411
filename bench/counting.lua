-- Shared by the write scenarios: gives each wrk thread a number, counts the answers that
-- acknowledge a write (303) and the errors (anything but 200 and 303), and prints the totals
-- in a line bench/run reads: "ACKNOWLEDGED <n> OTHER <n>".
local thread_count = 0
local threads = {}
acknowledged = 0
others = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
  table.insert(threads, thread)
end

function response(status, headers, body)
  if status == 303 then
    acknowledged = acknowledged + 1
  elseif status ~= 200 then
    others = others + 1
  end
end

function done(summary, latency, requests)
  local total, bad = 0, 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("acknowledged")
    bad = bad + thread:get("others")
  end
  io.write(string.format("ACKNOWLEDGED %d OTHER %d\n", total, bad))
end
