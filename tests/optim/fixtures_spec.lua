-- Torch7's own optim trajectories (../shared/fixtures/torch7/optim_runs.lua):
-- each run starts from x0, calls optim[name](feval, x, config) `steps`
-- times with one table as config and state, and must reproduce x and the
-- returned f list after every call within 1e-10.
require 'optim'

local runs = dofile(NNLUA_FIXTURES .. '/torch7/optim_runs.lua')

-- quad(x) = 0.5 x'Ax - b'x;  rosen(x) = sum 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2
local problems = {
   quad = function()
      local A = torch.DoubleTensor { { 4, 1, 0 }, { 1, 3, 0.5 }, { 0, 0.5, 2 } }
      local b = torch.DoubleTensor { 1, -2, 0.5 }
      local g = torch.DoubleTensor(3)
      return function(x)
         g:mv(A, x):add(-1, b)
         return 0.5 * x:dot(torch.mv(A, x)) - b:dot(x), g
      end
   end,
   rosen = function()
      local g
      return function(x)
         local n = x:size(1)
         g = g or torch.DoubleTensor(n)
         g:zero()
         local f = 0
         for i = 1, n - 1 do
            local a, c = x[i], x[i + 1]
            f = f + 100 * (c - a * a) ^ 2 + (1 - a) ^ 2
            g[i] = g[i] - 400 * a * (c - a * a) - 2 * (1 - a)
            g[i + 1] = g[i + 1] + 200 * (c - a * a)
         end
         return f, g
      end
   end,
}

local function config_of(run)
   local c = {}
   for k, v in pairs(run.config) do
      if k == 'lineSearch' then c[k] = optim[v]
      elseif type(v) == 'table' then c[k] = torch.DoubleTensor(v)
      else c[k] = v end
   end
   return c
end

local function describe_config(cfg)
   local keys = {}
   for k in pairs(cfg) do keys[#keys + 1] = k end
   table.sort(keys)
   local parts = {}
   for _, k in ipairs(keys) do
      local v = cfg[k]
      parts[#parts + 1] = k .. '=' .. (type(v) == 'table' and '{' .. table.concat(v, ',') .. '}' or tostring(v))
   end
   return table.concat(parts, ' ')
end

describe('optim against Torch7 trajectories', function()
   for r, run in ipairs(runs) do
      it(string.format('#%d %s on %s (%s)', r, run.name, run.problem, describe_config(run.config)), function()
         local feval = problems[run.problem]()
         local config = config_of(run)
         local x = torch.DoubleTensor(run.x0)
         for s = 1, run.steps do
            local xr, fs = optim[run.name](feval, x, config)
            assert.are.equal(x, xr)
            local want = run.f[s]
            assert.are.equal(#want, #fs, string.format('step %d: %d f values, Torch7 %d', s, #fs, #want))
            for k = 1, #want do
               assert(math.abs(fs[k] - want[k]) <= 1e-10 * math.max(1, math.abs(want[k])),
                  string.format('step %d f[%d] = %.17g, Torch7 %.17g', s, k, fs[k], want[k]))
            end
            for k = 1, #run.x[s] do
               assert(math.abs(x[k] - run.x[s][k]) <= 1e-10,
                  string.format('step %d x[%d] = %.17g, Torch7 %.17g', s, k, x[k], run.x[s][k]))
            end
         end
      end)
   end
end)
