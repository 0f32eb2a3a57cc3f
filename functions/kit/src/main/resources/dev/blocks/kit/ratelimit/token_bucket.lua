-- Token bucket. Capacity limit + burst tokens, refilled continuously at limit tokens per window.
-- State: hash {v = tokens scaled by window (one token = window units), t = ms of the last refill}.
-- A missing key is a full bucket.
ALG.tb = { keys = 1 }

local function tb_tokens(key, r, now)
  local cap = (r.limit + r.burst) * r.window
  local s = redis.call('HMGET', key, 'v', 't')
  if not s[1] then
    return cap, now
  end
  local tokens, last = tonumber(s[1]), tonumber(s[2])
  if now > last then
    if now - last >= cdiv(cap - tokens, r.limit) then
      tokens = cap
    else
      tokens = tokens + (now - last) * r.limit
    end
    last = now
  end
  return math.min(tokens, cap), last
end

local function tb_store(key, r, now, tokens, last)
  local cap = (r.limit + r.burst) * r.window
  local reset = now + cdiv(cap - tokens, r.limit)
  if tokens >= cap then
    redis.call('DEL', key)
  else
    redis.call('HSET', key, 'v', int(tokens), 't', int(last))
    expire_at(key, reset, now)
  end
  return reset
end

function ALG.tb.check(keys, r, now, cost)
  local cap = (r.limit + r.burst) * r.window
  local tokens, last = tb_tokens(keys[1], r, now)
  local need = cost * r.window
  local o = {
    ok = need <= tokens,
    remaining = fdiv(tokens, r.window),
    reset = now + cdiv(cap - tokens, r.limit),
    retry = 0
  }
  if not o.ok then
    if cost > r.limit + r.burst then o.retry = -1 else o.retry = cdiv(need - tokens, r.limit) end
  end
  o.commit = function()
    local left = tokens - need
    return fdiv(left, r.window), tb_store(keys[1], r, now, left, last), 0
  end
  return o
end

function ALG.tb.refund(keys, r, now, cost, at, receipt)
  local cap = (r.limit + r.burst) * r.window
  local tokens, last = tb_tokens(keys[1], r, now)
  tb_store(keys[1], r, now, math.min(cap, tokens + cost * r.window), last)
end
