-- Sliding-window counter. Epoch-aligned windows as in fixed_window, but a request at elapsed time e into
-- window k also counts the previous window's units weighted by the part of it still inside the sliding span:
--   used = prev * (window - e) / window + cur, and a request passes when used + cost <= limit.
-- Everything is scaled by window so the weight needs no fraction. A burst just before a boundary stays
-- counted just after it, so across a boundary at most limit * (1 + d / window) units pass within d ms.
-- State: hash {w = window index, c = units in window w, p = units in window w - 1}.
ALG.sw = { keys = 1 }

local function sw_counts(key, r, now)
  local k = fdiv(now, r.window)
  local s = redis.call('HMGET', key, 'w', 'c', 'p')
  if s[1] then
    local w = tonumber(s[1])
    if w == k then
      return k, tonumber(s[2]), tonumber(s[3])
    elseif w == k - 1 then
      return k, 0, tonumber(s[2])
    end
  end
  return k, 0, 0
end

-- Scaled units in use at now, and when the counter is back to zero.
local function sw_used(r, now, k, cur, prev)
  local used = prev * ((k + 1) * r.window - now) + cur * r.window
  local reset = now
  if cur > 0 then
    reset = (k + 2) * r.window
  elseif prev > 0 then
    reset = (k + 1) * r.window
  end
  return used, reset
end

-- Earliest ms offset into a window, with prev units weighted over it and cur units in it, at which cost more
-- units fit; window when they never fit inside it.
local function sw_fits_from(r, prev, cur, cost)
  local room = (r.limit - cur - cost) * r.window
  if room < 0 then
    return r.window
  end
  if prev == 0 then
    return 0
  end
  return math.max(0, r.window - fdiv(room, prev))
end

function ALG.sw.check(keys, r, now, cost)
  local k, cur, prev = sw_counts(keys[1], r, now)
  local used, reset = sw_used(r, now, k, cur, prev)
  local capacity = r.limit * r.window
  local o = {
    ok = used + cost * r.window <= capacity,
    remaining = math.max(0, fdiv(capacity - used, r.window)),
    reset = reset,
    retry = 0
  }
  if not o.ok then
    if cost > r.limit then
      o.retry = -1
    else
      local e = sw_fits_from(r, prev, cur, cost)
      if e < r.window then
        o.retry = k * r.window + e - now
      else
        o.retry = (k + 1) * r.window + sw_fits_from(r, cur, 0, cost) - now
      end
    end
  end
  o.commit = function()
    redis.call('HSET', keys[1], 'w', int(k), 'c', int(cur + cost), 'p', int(prev))
    local used_after, reset_after = sw_used(r, now, k, cur + cost, prev)
    expire_at(keys[1], reset_after, now)
    return math.max(0, fdiv(capacity - used_after, r.window)), reset_after, 0
  end
  return o
end

function ALG.sw.refund(keys, r, now, cost, at, receipt)
  local k, cur, prev = sw_counts(keys[1], r, now)
  local reserved = fdiv(at, r.window)
  if reserved == k and cur > 0 then
    redis.call('HSET', keys[1], 'w', int(k), 'c', int(math.max(0, cur - cost)), 'p', int(prev))
  elseif reserved == k - 1 and prev > 0 then
    redis.call('HSET', keys[1], 'w', int(k), 'c', int(cur), 'p', int(math.max(0, prev - cost)))
  end
end
