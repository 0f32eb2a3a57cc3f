-- Shared by every algorithm. The kit concatenates prelude.lua, the five algorithm files and decide.lua into
-- one script (one SHA, one EVALSHA per decision).
--
-- All arithmetic is on integers below 2^53, which Lua's doubles hold exactly; rule validation bounds
-- (limit + burst) * window in milliseconds accordingly. Times are milliseconds since the epoch. Token amounts
-- are scaled by the window length so that refilling `limit` tokens per `window` ms adds exactly `limit`
-- scaled units per ms: no fractions anywhere, so the plain Java model and the script agree to the unit.

local ALG = {}

-- floor(a / b) for integers, b > 0. The double quotient can round across an integer when a is large, so the
-- result is corrected by one step either way.
local function fdiv(a, b)
  local q = math.floor(a / b)
  if q * b > a then
    q = q - 1
  elseif (q + 1) * b <= a then
    q = q + 1
  end
  return q
end

local function cdiv(a, b)
  return -fdiv(-a, b)
end

-- Redis would print a large Lua number in exponent form; integers go over the wire as plain digits.
local function int(n)
  return string.format('%.0f', n)
end

-- A key lives exactly until its state is equivalent to a fresh one (its reset time), so expiry never forgets
-- anything that still counts. Absolute times keep a pinned test clock and the real one from disagreeing.
local function expire_at(key, at, now)
  if at > now then
    redis.call('PEXPIREAT', key, int(at))
  else
    redis.call('DEL', key)
  end
end
