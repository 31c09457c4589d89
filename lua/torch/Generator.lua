-- torch.Generator: random number generators of their own, as Torch7's.
-- A generator holds an MT19937 state (a ByteTensor of runtime/random.c's
-- state); a call given one swaps it in for the default generator's state,
-- draws, keeps the advanced state and puts the default one back, so the
-- default stream is untouched. Every random function takes a generator
-- first (after the result tensor, for those that take one):
--   local g = torch.Generator(); torch.manualSeed(g, 123); torch.rand(g, 3)
local torch = require 'torch'
local core = torch._core
local C, check, raise = core.C, core.check, core.raise
local TensorBase, isTensor = core.TensorBase, core.isTensor

local Generator = torch.class('torch.Generator')

local function isGenerator(x) return torch.typename(x) == 'torch.Generator' end
torch.isGenerator = isGenerator

local unpack = unpack or table.unpack
local function pack(...) return { n = select('#', ...), ... } end

-- Runs f(...) on g's state; the default generator's state is restored even
-- when f raises.
local function with_gen(g, f, ...)
   local saved = torch.getRNGState()
   check(C.nl_random_set_state(g._state))
   local r = pack(pcall(f, ...))
   check(C.nl_random_get_state(g._state))
   check(C.nl_random_set_state(saved))
   if not r[1] then error(r[2], 0) end
   return unpack(r, 2, r.n)
end

-- A new generator is seeded from the clock, as torch.seed() does.
function Generator:__init()
   self._state = torch.ByteTensor()
   local saved = torch.getRNGState()
   self._initialSeed = tonumber(C.nl_random_seed())
   check(C.nl_random_get_state(self._state))
   check(C.nl_random_set_state(saved))
end

function Generator:__tostring__() return 'torch.Generator' end

-- Saved as Torch7 saves one: the raw bytes of its state (THGenerator's
-- layout, which the runtime's state shares; the initial seed is its first
-- 8 bytes), so generators move between Torch7 and nnlua files.
function Generator:write(file)
   local n = self._state:nElement()
   local bytes = torch.ByteStorage(n)
   torch.ByteTensor(bytes):copy(self._state)
   file:writeByte(bytes)
end

function Generator:read(file)
   local probe = torch.ByteTensor()
   check(C.nl_random_get_state(probe))
   local n = probe:nElement()
   local bytes = file:readByte(n)
   if not bytes then return end
   self._state = torch.ByteTensor(bytes)
   -- the_initial_seed: a little-endian 64-bit integer
   local seed = 0
   for i = 8, 1, -1 do seed = seed * 256 + bytes[i] end
   self._initialSeed = seed
   -- the runtime checks the state (as setRNGState does)
   with_gen(self, function() end)
end

-- torch.f(g, ...) / torch.f(res, g, ...): the generator form of f
local function generator_form(name, res_first)
   local f = torch[name]
   torch[name] = function(a1, a2, ...)
      if isGenerator(a1) then return with_gen(a1, f, a2, ...) end
      if res_first and isGenerator(a2) and isTensor(a1) then return with_gen(a2, f, a1, ...) end
      return f(a1, a2, ...)
   end
end

for _, name in ipairs { 'uniform', 'normal', 'exponential', 'cauchy', 'logNormal', 'geometric', 'bernoulli', 'random' } do
   generator_form(name, true)
   -- t:f(g, ...)
   local m = TensorBase[name]
   TensorBase[name] = function(t, a1, ...)
      if isGenerator(a1) then return with_gen(a1, m, t, ...) end
      return m(t, a1, ...)
   end
end
for _, name in ipairs { 'rand', 'randn', 'randperm', 'multinomial' } do
   generator_form(name, true)
end

local manualSeed, seed, getRNGState, setRNGState = torch.manualSeed, torch.seed, torch.getRNGState, torch.setRNGState
local initialSeed = torch.initialSeed

function torch.manualSeed(a1, a2)
   if isGenerator(a1) then
      with_gen(a1, manualSeed, a2)
      a1._initialSeed = a2
      return
   end
   return manualSeed(a1)
end

function torch.seed(g)
   if isGenerator(g) then
      local s = with_gen(g, seed)
      g._initialSeed = s
      return s
   end
   return seed()
end

function torch.initialSeed(g)
   if isGenerator(g) then return g._initialSeed end
   return initialSeed()
end

-- getRNGState([g] [, res]) -> a copy of the state; setRNGState([g,] state)
function torch.getRNGState(a1, a2)
   if isGenerator(a1) then
      local res = a2 or torch.ByteTensor()
      if not isTensor(res) or res._dtype ~= C.NL_BYTE then
         raise('torch.getRNGState: expected a torch.ByteTensor to fill or nothing, got ' .. torch.type(res))
      end
      return res:resize(a1._state:size()):copy(a1._state)
   end
   return getRNGState(a1)
end

function torch.setRNGState(a1, a2)
   if isGenerator(a1) then
      -- validated by the runtime on the default generator, then kept
      with_gen(a1, setRNGState, a2)
      return a2
   end
   return setRNGState(a1)
end

return Generator
