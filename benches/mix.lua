-- wrk script for benches/mix.sh: a mix of reads, writes and sign-ins, chosen per request.
--
--   wrk ... -s benches/mix.lua URL -- TARGETS LOGINS [READ_SHARE WRITE_SHARE]
--
-- TARGETS: lines "ACCESS_TOKEN PERSON_ID" (a mentor's token and a person of their caseload).
-- LOGINS:  lines holding a JSON sign-in body ({"email":...,"password":...}).
-- Shares default to 0.80 reads (feed, goals, profile in equal parts), 0.15 writes (a goal
-- created for the person) and the rest sign-ins.
--
-- done() prints "mix KEY VALUE" lines for mix.sh to read: throughput, latency percentiles
-- (microseconds), requests sent by kind, responses by status and wrk's socket errors.

local threads = {}
local next_id = 1

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local targets, logins = {}, {}
local read_share, write_share
local json = { ["Content-Type"] = "application/json" }
local reads = { "feed", "goals", "profile" }
local serial = 0
shown = 0
statuses = {}
sent = { feed = 0, goals = 0, profile = 0, write = 0, login = 0 }

function init(args)
  for line in io.lines(args[1]) do
    local token, person = line:match("^(%S+)%s+(%S+)$")
    if token then
      targets[#targets + 1] = {
        person = person,
        read = { ["Authorization"] = "Bearer " .. token },
        write = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" },
      }
    end
  end
  for line in io.lines(args[2]) do
    if #line > 0 then logins[#logins + 1] = line end
  end
  read_share = tonumber(args[3]) or 0.80
  write_share = tonumber(args[4]) or 0.15
  math.randomseed(os.time() * 1000 + id)
end

function request()
  local r = math.random()
  local t = targets[math.random(#targets)]
  if r < read_share then
    local kind = reads[math.random(#reads)]
    sent[kind] = sent[kind] + 1
    return wrk.format("GET", "/v1/people/" .. t.person .. "/" .. kind, t.read)
  elseif r < read_share + write_share then
    sent.write = sent.write + 1
    serial = serial + 1
    local body = string.format('{"title":"Bench goal %d-%d in my own words"}', id, serial)
    return wrk.format("POST", "/v1/people/" .. t.person .. "/goals", t.write, body)
  else
    sent.login = sent.login + 1
    return wrk.format("POST", "/v1/auth/login", json, logins[math.random(#logins)])
  end
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 300 and shown < 3 then
    shown = shown + 1
    io.stderr:write("mix: error response " .. status .. ": " .. (body or ""):sub(1, 300) .. "\n")
  end
end

function done(summary, latency, requests)
  local by_status, by_kind = {}, {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      by_status[status] = (by_status[status] or 0) + n
    end
    for kind, n in pairs(thread:get("sent")) do
      by_kind[kind] = (by_kind[kind] or 0) + n
    end
  end
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format("mix requests %d\n", summary.requests))
  io.write(string.format("mix seconds %.2f\n", secs))
  io.write(string.format("mix rps %.1f\n", summary.requests / secs))
  for _, p in ipairs({ 50, 90, 95, 99, 99.9 }) do
    io.write(string.format("mix p%s %d\n", p, latency:percentile(p)))
  end
  io.write(string.format("mix max %d\n", latency.max))
  for kind, n in pairs(by_kind) do
    io.write(string.format("mix sent_%s %d\n", kind, n))
  end
  for status, n in pairs(by_status) do
    io.write(string.format("mix status_%d %d\n", status, n))
  end
  io.write(string.format("mix socket_errors %d\n", e.connect + e.read + e.write + e.timeout))
  io.write(string.format("mix socket_detail connect=%d,read=%d,write=%d,timeout=%d\n",
    e.connect, e.read, e.write, e.timeout))
  io.write(string.format("mix non2xx %d\n", e.status))
end
