-- torch.Timer: Torch7's stopwatch. Starts running when created; time()
-- returns {real=, user=, sys=} seconds accumulated while running (wall
-- clock, and this process's user and system CPU time).
local ffi = require 'ffi'
local torch = require 'torch'
local core = torch._core
local C, check, raise = core.C, core.check, core.raise

local Timer = torch.class('torch.Timer')

local now_buf = ffi.new('double[3]')
local function now()
   check(C.nl_timer_now(now_buf, now_buf + 1, now_buf + 2))
   return now_buf[0], now_buf[1], now_buf[2]
end

local function self_check(self, fn)
   if torch.typename(self) ~= 'torch.Timer' then
      raise(string.format('torch.Timer:%s: expected a torch.Timer as self (use timer:%s())', fn, fn))
   end
end

function Timer:__init()
   self._total = { 0, 0, 0 }
   self._start = { now() }
   self._running = true
end

-- Zeroes the accumulated time; a running timer keeps running from now.
function Timer:reset()
   self_check(self, 'reset')
   self._total = { 0, 0, 0 }
   self._start = { now() }
   return self
end

function Timer:stop()
   self_check(self, 'stop')
   if self._running then
      local r, u, s = now()
      local t, st = self._total, self._start
      t[1], t[2], t[3] = t[1] + r - st[1], t[2] + u - st[2], t[3] + s - st[3]
      self._running = false
   end
   return self
end

function Timer:resume()
   self_check(self, 'resume')
   if not self._running then
      self._start = { now() }
      self._running = true
   end
   return self
end

function Timer:time()
   self_check(self, 'time')
   local t = self._total
   local real, user, sys = t[1], t[2], t[3]
   if self._running then
      local r, u, s = now()
      local st = self._start
      real, user, sys = real + r - st[1], user + u - st[2], sys + s - st[3]
   end
   return { real = real, user = user, sys = sys }
end

return Timer
