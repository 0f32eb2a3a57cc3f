-- GCRA (generic cell rate algorithm: the leaky bucket as a meter). Each unit of cost moves the theoretical
-- arrival time (TAT) on by one emission interval, window / limit ms; a request passes when the TAT it would
-- leave is no further than (limit + burst) intervals ahead of now. With the same parameters it decides exactly
-- as the token bucket, but its whole state is one timestamp: one GET and one SET PXAT per admitted request.
-- State: string "<ms> <frac>": TAT = ms + frac / limit (frac in [0, limit)), so the interval needs no fraction.
ALG.gc = { keys = 1 }

-- How far the TAT is ahead of now, in units of 1/limit ms (equal to the token bucket's missing scaled tokens).
local function gc_debt(key, r, now)
  local s = redis.call('GET', key)
  if not s then
    return 0
  end
  local ms, frac = string.match(s, '^(%d+) (%d+)$')
  local debt = (tonumber(ms) - now) * r.limit + tonumber(frac)
  if debt < 0 then
    return 0
  end
  return math.min(debt, (r.limit + r.burst) * r.window)
end

local function gc_store(key, r, now, debt)
  local ahead = fdiv(debt, r.limit)
  local reset = now + cdiv(debt, r.limit)
  if debt <= 0 then
    redis.call('DEL', key)
  else
    redis.call('SET', key, int(now + ahead) .. ' ' .. int(debt - ahead * r.limit), 'PXAT', int(reset))
  end
  return reset
end

function ALG.gc.check(keys, r, now, cost)
  local cap = (r.limit + r.burst) * r.window
  local debt = gc_debt(keys[1], r, now)
  local need = cost * r.window
  local o = {
    ok = debt + need <= cap,
    remaining = fdiv(cap - debt, r.window),
    reset = now + cdiv(debt, r.limit),
    retry = 0
  }
  if not o.ok then
    if cost > r.limit + r.burst then o.retry = -1 else o.retry = cdiv(debt + need - cap, r.limit) end
  end
  o.commit = function()
    return fdiv(cap - debt - need, r.window), gc_store(keys[1], r, now, debt + need), 0
  end
  return o
end

function ALG.gc.refund(keys, r, now, cost, at, receipt)
  gc_store(keys[1], r, now, math.max(0, gc_debt(keys[1], r, now) - cost * r.window))
end
