-- One request against N rules, atomically: every rule is checked before anything is written, and the request
-- is recorded in the rules only when every enforced (non-shadow) rule lets it through. A shadow rule is
-- checked and reported but never blocks; it records the request only when it would itself have let it
-- through, so its counters show what enforcing it would do.
--
-- KEYS: the keys of each rule in order (1 per rule, 2 for sliding_log).
-- ARGV: mode ('d' decide, 'r' refund), now in ms or '' for the server clock (tests pin time with it),
--       cost, reservation time ('' when deciding), then per rule: algorithm, limit, window ms, burst,
--       shadow (1 or 0), receipt (refund only, else 0).
-- Reply (decide): now, 1 if admitted, then per rule: allowed, remaining, reset ms, retry-after ms (-1: never,
--       the cost exceeds what the rule ever holds), receipt (sliding_log: last member added, else 0).
-- Reply (refund): now. A refund gives back what a decide call reserved when another hash slot refused.

-- Redis 6.2 refuses writes after TIME unless the script replicates its effects rather than itself.
redis.replicate_commands()

local now
if ARGV[2] ~= '' then
  now = tonumber(ARGV[2])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local cost = tonumber(ARGV[3])

local rules, next_key = {}, 1
for a = 5, #ARGV, 6 do
  local alg = ALG[ARGV[a]]
  if not alg then
    return redis.error_reply('ERR unknown rate-limit algorithm ' .. tostring(ARGV[a]))
  end
  local r = {
    alg = alg,
    limit = tonumber(ARGV[a + 1]),
    window = tonumber(ARGV[a + 2]),
    burst = tonumber(ARGV[a + 3]),
    shadow = ARGV[a + 4] == '1',
    receipt = tonumber(ARGV[a + 5]),
    keys = {}
  }
  for i = 1, alg.keys do
    r.keys[i] = KEYS[next_key]
    next_key = next_key + 1
  end
  rules[#rules + 1] = r
end

if ARGV[1] == 'r' then
  local at = tonumber(ARGV[4])
  for _, r in ipairs(rules) do
    r.alg.refund(r.keys, r, now, cost, at, r.receipt)
  end
  return { now }
end

local checked, admitted = {}, true
for i, r in ipairs(rules) do
  checked[i] = r.alg.check(r.keys, r, now, cost)
  if not checked[i].ok and not r.shadow then
    admitted = false
  end
end

local reply = { now, admitted and 1 or 0 }
for i, r in ipairs(rules) do
  local o = checked[i]
  local remaining, reset, receipt = o.remaining, o.reset, 0
  if admitted and o.ok then
    remaining, reset, receipt = o.commit()
  end
  reply[#reply + 1] = o.ok and 1 or 0
  reply[#reply + 1] = remaining
  reply[#reply + 1] = reset
  reply[#reply + 1] = o.retry
  reply[#reply + 1] = receipt
end
return reply
