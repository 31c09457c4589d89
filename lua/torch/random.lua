-- torch.random: Torch7's random numbers on runtime/random.c (one global
-- MT19937 generator; same seed, same streams as Torch7).
--
--   torch.manualSeed(s), torch.seed(), torch.initialSeed()
--   torch.getRNGState([res]) -> ByteTensor, torch.setRNGState(state)
--   torch.uniform([a, b]), normal([mean, std]), exponential([lambda]),
--   cauchy([median, sigma]), logNormal([mean, std]), geometric(p),
--   bernoulli([p]), random([[a,] b])          one number
--   t:uniform(...), ..., t:random(...), t:bernoulli(p or tensor)   fill t
--   torch.rand / randn([res,] sizes), torch.randperm([res,] n)
--
-- The generator is not thread-safe: use it from the Lua thread only.
local ffi = require 'ffi'
local torch = require 'torch'
local core = torch._core
local C, check, raise = core.C, core.check, core.raise
local TensorBase = core.TensorBase
local isTensor, new = core.isTensor, core.new

local out = ffi.new('double[1]')

-- A number argument (or its default when nil); messages name fn.
local function num(fn, x, default, what)
   if x == nil and default ~= nil then return default end
   if type(x) ~= 'number' then
      raise(string.format('%s: %s should be a number, got %s', fn, what, torch.type(x)))
   end
   return x
end

-- Seeding and state -----------------------------------------------------------

function torch.manualSeed(seed)
   seed = num('torch.manualSeed', seed, nil, 'the seed')
   if seed % 1 ~= 0 then raise('torch.manualSeed: the seed should be an integer, got ' .. tostring(seed)) end
   check(C.nl_random_manual_seed(seed))
end

function torch.seed() return tonumber(C.nl_random_seed()) end
function torch.initialSeed() return tonumber(C.nl_random_initial_seed()) end

function torch.getRNGState(res)
   if res ~= nil and not (isTensor(res) and res._dtype == C.NL_BYTE
                          and C.nl_supports(res, 'nl_random_get_state') ~= 0) then
      raise('torch.getRNGState: expected a torch.ByteTensor to fill or nothing, got ' .. torch.type(res))
   end
   res = res or new(C.NL_BYTE, 0)
   check(C.nl_random_get_state(res))
   return res
end

function torch.setRNGState(state)
   if not isTensor(state) then
      raise('torch.setRNGState: expected a torch.ByteTensor made by torch.getRNGState, got ' .. torch.type(state))
   end
   check(C.nl_random_set_state(state))
   return state
end

-- Distributions: name, C constant, defaults, parameter names ------------------

local dists = {
   { 'uniform', C.NL_RNG_UNIFORM, { 0, 1 }, { 'the lower bound', 'the upper bound' } },
   { 'normal', C.NL_RNG_NORMAL, { 0, 1 }, { 'the mean', 'the standard deviation' } },
   { 'cauchy', C.NL_RNG_CAUCHY, { 0, 1 }, { 'the median', 'sigma' } },
   { 'logNormal', C.NL_RNG_LOGNORMAL, { 1, 2 }, { 'the mean', 'the standard deviation' } },
   { 'exponential', C.NL_RNG_EXPONENTIAL, { 1 }, { 'the rate lambda' } },
   { 'geometric', C.NL_RNG_GEOMETRIC, {}, { 'the probability p' } },
   { 'bernoulli', C.NL_RNG_BERNOULLI, { 0.5 }, { 'the probability p' } },
}

for _, d in ipairs(dists) do
   local name, code, defaults, what = d[1], d[2], d[3], d[4]
   local nparams = #what

   local function params(fn, a, b)
      a = num(fn, a, defaults[1], what[1])
      if nparams == 2 then b = num(fn, b, defaults[2], what[2]) else b = 0 end
      return a, b
   end

   local method = function(t, a, b)
      if not isTensor(t) then raise(string.format('%s: expected a tensor as self, got %s', name, torch.type(t))) end
      if name == 'bernoulli' and isTensor(a) then
         local p = a
         if not (p._dtype == C.NL_FLOAT or p._dtype == C.NL_DOUBLE)
            or C.nl_supports(p, 'nl_random_bernoulli_tensor') == 0 then
            raise('bernoulli: probabilities should be a torch.FloatTensor or torch.DoubleTensor, got ' .. torch.typename(p))
         end
         if p._dtype ~= C.NL_DOUBLE then
            -- as doubles on p's own device
            local d = new(C.NL_DOUBLE, p._device)
            check(C.nl_tensor_resize_as(d, p))
            check(C.nl_copy(d, p))
            p = d
         end
         check(C.nl_random_bernoulli_tensor(t, p))
         return t
      end
      a, b = params(name, a, b)
      check(C.nl_random_fill(t, code, a, b))
      return t
   end
   TensorBase[name] = method

   -- torch.name(a, b): one number; torch.name(t, a, b): fills t (Torch7's dispatch)
   torch[name] = function(a, b, c)
      if isTensor(a) then return method(a, b, c) end
      a, b = params('torch.' .. name, a, b)
      check(C.nl_random_draw(out, code, a, b))
      return out[0]
   end
end

-- random: integers. () the generator's 32-bit draw (a tensor: the dtype's
-- positive range), (b) in [1, b], (a, b) in [a, b].
local function random_args(fn, a, b)
   if a == nil and b == nil then return C.NL_RNG_RANDOM, 0, 0 end
   a = num(fn, a, nil, b == nil and 'the upper bound' or 'the lower bound')
   if b == nil then return C.NL_RNG_RANDOM1, 0, a end
   b = num(fn, b, nil, 'the upper bound')
   return C.NL_RNG_RANDOM2, a, b
end

function TensorBase.random(t, a, b)
   if not isTensor(t) then raise('random: expected a tensor as self, got ' .. torch.type(t)) end
   local code
   code, a, b = random_args('random', a, b)
   check(C.nl_random_fill(t, code, a, b))
   return t
end

function torch.random(a, b, c)
   if isTensor(a) then return TensorBase.random(a, b, c) end
   local code
   code, a, b = random_args('torch.random', a, b)
   check(C.nl_random_draw(out, code, a, b))
   return out[0]
end

-- rand, randn, randperm -------------------------------------------------------

-- Resizes res; a failure names fn. An allocation failure is retried once
-- after a collection (as core.alloc_call).
local function resize(fn, res, nd, buf)
   local rc = C.nl_tensor_resize(res, nd, buf)
   if rc ~= 0 and ffi.string(C.nl_last_error()):find('allocate') then
      core.collect()
      rc = C.nl_tensor_resize(res, nd, buf)
   end
   if rc ~= 0 then raise(fn .. ': ' .. ffi.string(C.nl_last_error())) end
   if C.nl_mem_should_collect() ~= 0 then core.collect() end
   return res
end

-- ([res,] sizes..., [typename]) -> res, resized
local function result_and_sizes(fn, float_only, a1, ...)
   local args = { a1, ... }
   local n = select('#', ...) + 1
   while n > 0 and args[n] == nil do n = n - 1 end
   local res, first = nil, 1
   if isTensor(args[1]) then res, first = args[1], 2 end
   local dtype = core.default_dtype
   if type(args[n]) == 'string' and n >= first then
      local ty = core.type_of_name[args[n]]
      if not ty or ty[2] ~= 0 then raise(string.format('%s: unknown tensor type %s', fn, args[n])) end
      dtype = ty[1]
      n = n - 1
   end
   res = res or new(dtype, 0)
   if float_only and res._dtype ~= C.NL_FLOAT and res._dtype ~= C.NL_DOUBLE then
      raise(string.format('%s: expected a torch.FloatTensor or torch.DoubleTensor, got %s', fn, torch.typename(res)))
   end
   local nd, buf = core.parse_sizes(fn, unpack(args, first, n))
   if nd == 0 then raise(fn .. ': expected sizes (numbers, a table or a LongStorage)') end
   return resize(fn, res, nd, buf)
end

function torch.rand(...)
   local res = result_and_sizes('torch.rand', true, ...)
   check(C.nl_random_fill(res, C.NL_RNG_UNIFORM, 0, 1))
   return res
end

function torch.randn(...)
   local res = result_and_sizes('torch.randn', true, ...)
   check(C.nl_random_fill(res, C.NL_RNG_NORMAL, 0, 1))
   return res
end

-- t:rand(sizes) / t:randn(sizes): resize t and fill it (Torch7's method forms)
function TensorBase.rand(t, ...) return torch.rand(t, ...) end
function TensorBase.randn(t, ...) return torch.randn(t, ...) end

function torch.randperm(a, b, c)
   local res, n = nil, a
   if isTensor(a) then res, n = a, b
   elseif type(b) == 'string' then
      local ty = core.type_of_name[b]
      if not ty or ty[2] ~= 0 then raise('torch.randperm: unknown tensor type ' .. b) end
      res = new(ty[1], 0)
   end
   if type(c) == 'string' and isTensor(a) then raise('torch.randperm: a result tensor and a type name are exclusive') end
   n = num('torch.randperm', n, nil, 'n')
   if n % 1 ~= 0 then raise('torch.randperm: n should be an integer, got ' .. tostring(n)) end
   res = res or new(core.default_dtype, 0)
   if n >= 1 then
      core.sizebuf[0] = n
      resize('torch.randperm', res, 1, core.sizebuf)
   end
   check(C.nl_random_randperm(res, n))
   return res
end
function TensorBase.randperm(t, n) return torch.randperm(t, n) end

return true
