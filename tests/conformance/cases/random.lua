-- conformance cases for the tensor entry points of the generator
-- (runtime/random.c). The runner reseeds before each call, so a device run
-- must draw the CPU's stream in the tensor's logical element order.
local ffi = require 'ffi'
local C = require('torch')._core.C

-- a valid generator state (seed 42) as a ByteTensor on T's device
local function state(T)
   local host = T.out('byte')
   if T.device ~= C.NL_CPU then host = ffi.new('nl_tensor'); C.nl_tensor_init(host, C.NL_BYTE, C.NL_CPU) end
   C.nl_random_manual_seed(42)
   assert(C.nl_random_get_state(host) == 0)
   if T.device == C.NL_CPU then return host end
   local t = T.out('byte')
   assert(C.nl_tensor_resize_as(t, host) == 0 and C.nl_copy(t, host) == 0)
   return t
end

-- probabilities in (0, 1) on T's device
local function probs(T, sizes)
   local p = T(sizes)
   assert(C.nl_unary(p, p, C.NL_U_ABS, 0, 0) == 0)
   return p
end

return {
   random_get_state = function(T) return { T.out('byte') } end,
   random_set_state = function(T) return { state(T) } end,
   random_fill = function(T) return { T{3, 4}, C.NL_RNG_UNIFORM, -1, 2 } end,
   ['random_fill#normal_float'] = function(T) return { T({5, 3}, 'float'), C.NL_RNG_NORMAL, 0.5, 2 } end,
   ['random_fill#random_int'] = function(T) return { T({4, 3}, 'int'), C.NL_RNG_RANDOM2, -3, 7 } end,
   ['random_fill#random_byte'] = function(T) return { T({9}, 'byte'), C.NL_RNG_RANDOM, 0, 0 } end,
   ['random_fill#geometric_long'] = function(T) return { T({2, 5}, 'long'), C.NL_RNG_GEOMETRIC, 0.3, 0 } end,
   ['random_fill#lognormal'] = function(T) return { T{6}, C.NL_RNG_LOGNORMAL, 1, 2 } end,
   ['random_fill#empty'] = function(T) return { T{0}, C.NL_RNG_UNIFORM, 0, 1 } end,
   random_bernoulli_tensor = function(T) return { T{3, 4}, probs(T, {3, 4}) } end,
   ['random_bernoulli_tensor#float_result'] = function(T) return { T({2, 5}, 'float'), probs(T, {2, 5}) } end,
   random_randperm = function(T) return { T.out('long'), 7 } end,
   ['random_randperm#view_double'] = function(T) return { T{6}, 6 } end,
}
