-- Busted helper: loaded once before the specs. Puts the source tree on
-- package.path and preloads torch (busted re-requires modules per spec
-- file; the FFI declarations must be made only once, see the loader).
local root = (debug.getinfo(1, 'S').source:match('^@(.*)/tests/[^/]*$')) or '.'
package.path = root .. '/lua/?.lua;' .. root .. '/lua/?/init.lua;' .. root .. '/bindings/?.lua;' .. package.path
NNLUA_ROOT = root
-- Torch7's recorded fixtures live beside the checkout (../shared); an
-- environment variable can point elsewhere.
NNLUA_FIXTURES = os.getenv('NNLUA_FIXTURES')
for _, cand in ipairs { root .. '/../shared/fixtures', '/work/shared/fixtures' } do
   if NNLUA_FIXTURES then break end
   local f = io.open(cand .. '/README.md', 'rb')
   if f then
      f:close()
      NNLUA_FIXTURES = cand
   end
end
NNLUA_FIXTURES = NNLUA_FIXTURES or (root .. '/../shared/fixtures')
require 'torch'

-- Shared helpers for specs
local spec = {}
package.loaded['tests.spec_util'] = spec

-- True when every element of a and b (tensors or numbers) agrees within
-- abs + rel*|b|.
function spec.close(a, b, abs, rel)
   abs, rel = abs or 1e-12, rel or 0
   if type(a) == 'number' then return math.abs(a - b) <= abs + rel * math.abs(b) end
   if a:nElement() ~= b:nElement() then return false end
   local x, y = a:double():contiguous():view(-1), b:double():contiguous():view(-1)
   for i = 1, x:nElement() do
      local u, v = x[i], y[i]
      if not (math.abs(u - v) <= abs + rel * math.abs(v)) and not (u ~= u and v ~= v) then return false end
   end
   return true
end

-- Runs the nnlua program on code; returns output and exit status.
function spec.run_nnlua(args)
   local p = io.popen(root .. '/' .. (os.getenv('NNLUA_BUILD') or 'build') .. '/nnlua ' .. args .. ' 2>&1; echo "rc=$?"')
   local out = p:read('*a')
   p:close()
   local rc = tonumber(out:match('rc=(%d+)%s*$'))
   return out:gsub('rc=%d+%s*$', ''), rc
end

-- The same with environment variable assignments before the program
-- (e.g. 'NNLUA_TH_PRINT=1').
function spec.run_nnlua_env(envs, args)
   local p = io.popen(envs .. ' ' .. root .. '/' .. (os.getenv('NNLUA_BUILD') or 'build') .. '/nnlua ' .. args .. ' 2>&1; echo "rc=$?"')
   local out = p:read('*a')
   p:close()
   local rc = tonumber(out:match('rc=(%d+)%s*$'))
   return out:gsub('rc=%d+%s*$', ''), rc
end

return spec
