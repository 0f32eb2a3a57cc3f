-- Fixed window. Windows are aligned to the epoch (window k covers [k * window, (k + 1) * window)), so every
-- process agrees on the boundaries; at most limit units pass per window, but up to 2 * limit can pass across
-- one boundary (the reason the sliding algorithms exist).
-- State: hash {w = window index, c = units admitted in it}.
ALG.fw = { keys = 1 }

local function fw_count(key, r, now)
  local k = fdiv(now, r.window)
  local s = redis.call('HMGET', key, 'w', 'c')
  if s[1] and tonumber(s[1]) == k then
    return k, tonumber(s[2])
  end
  return k, 0
end

function ALG.fw.check(keys, r, now, cost)
  local k, count = fw_count(keys[1], r, now)
  local window_end = (k + 1) * r.window
  local o = { ok = count + cost <= r.limit, remaining = r.limit - count, reset = now, retry = 0 }
  if count > 0 then o.reset = window_end end
  if not o.ok then
    if cost > r.limit then o.retry = -1 else o.retry = window_end - now end
  end
  o.commit = function()
    redis.call('HSET', keys[1], 'w', int(k), 'c', int(count + cost))
    expire_at(keys[1], window_end, now)
    return r.limit - count - cost, window_end, 0
  end
  return o
end

function ALG.fw.refund(keys, r, now, cost, at, receipt)
  local k, count = fw_count(keys[1], r, now)
  if k == fdiv(at, r.window) and count > 0 then
    redis.call('HSET', keys[1], 'c', int(math.max(0, count - cost)))
  end
end
