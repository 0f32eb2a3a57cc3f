-- Sliding log: exact. Every admitted unit is a member of a sorted set scored by its time; a request passes when
-- the units in (now - window, now] plus its cost fit in limit. Memory is one member per admitted unit, which is
-- why rules refuse a sliding_log limit above 100000.
-- Keys: the sorted set, and a sequence number that names members uniquely (both share the rule key's hash tag).
ALG.sl = { keys = 2 }

local function sl_newest_end(key, r)
  local newest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  return tonumber(newest[2]) + r.window
end

function ALG.sl.check(keys, r, now, cost)
  local since = now - r.window
  local count = redis.call('ZCOUNT', keys[1], '(' .. int(since), '+inf')
  local o = { ok = count + cost <= r.limit, remaining = r.limit - count, reset = now, retry = 0 }
  if count > 0 then o.reset = sl_newest_end(keys[1], r) end
  if not o.ok then
    if cost > r.limit then
      o.retry = -1
    else
      -- The request fits once the (count + cost - limit)-th oldest unit inside the window has left it.
      local before = redis.call('ZCOUNT', keys[1], '-inf', int(since))
      local leaving = redis.call('ZRANGE', keys[1], before + count + cost - r.limit - 1,
        before + count + cost - r.limit - 1, 'WITHSCORES')
      o.retry = tonumber(leaving[2]) + r.window - now
    end
  end
  o.commit = function()
    redis.call('ZREMRANGEBYSCORE', keys[1], '-inf', int(since))
    local last = redis.call('INCRBY', keys[2], cost)
    local args = {}
    for seq = last - cost + 1, last do
      args[#args + 1] = int(now)
      args[#args + 1] = int(seq)
      if #args >= 1000 then
        redis.call('ZADD', keys[1], unpack(args))
        args = {}
      end
    end
    if #args > 0 then redis.call('ZADD', keys[1], unpack(args)) end
    local reset = sl_newest_end(keys[1], r)
    expire_at(keys[1], reset, now)
    expire_at(keys[2], reset, now)
    return r.limit - count - cost, reset, last
  end
  return o
end

-- The receipt is the last member the reservation added; its cost members end there.
function ALG.sl.refund(keys, r, now, cost, at, receipt)
  local members = {}
  for seq = receipt - cost + 1, receipt do
    members[#members + 1] = int(seq)
    if #members >= 1000 then
      redis.call('ZREM', keys[1], unpack(members))
      members = {}
    end
  end
  if #members > 0 then redis.call('ZREM', keys[1], unpack(members)) end
end
