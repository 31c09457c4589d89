-- torch.TensorLapack: Torch7's LAPACK functions (gesv, gels, inverse,
-- symeig, eig, svd, potrf, potrs, potri, qr) as torch.* functions and
-- methods, on runtime/linalg.c (CPU, float and double).
--
-- Argument forms follow Torch7's cwrap declarations: the result tensors
-- come first and are all given or all left out, then the inputs, then the
-- character options with their defaults:
--   X, LU = torch.gesv([resb, resa,] B, A)
--   e, V = torch.symeig([rese, resv,] A [, 'N'|'V' [, 'U'|'L']])
-- A method call passes self as the first argument (A:inverse() inverts A,
-- res:inverse(A) writes A's inverse into res), as in Torch7.
local torch = require 'torch'
local core = torch._core
local C, check, raise = core.C, core.check, core.raise
local TensorBase = core.TensorBase
local isTensor, new = core.isTensor, core.new

local function arg_types(n, ...)
   local s = {}
   for i = 1, n do
      local x = select(i, ...)
      s[#s + 1] = isTensor(x) and torch.typename(x):gsub('^torch%.', '') or type(x)
   end
   while s[#s] == 'nil' do s[#s] = nil end
   return table.concat(s, ' ')
end

-- def(name, cfn, results, inputs, options): results and inputs are lists
-- of names (for the help text); options a list of {allowed, default}.
local function def(name, cfn, results, inputs, options)
   local nres, nin = #results, #inputs
   local help = string.format('[%s,] %s', table.concat(results, ', '), table.concat(inputs, ', '))
   for _, o in ipairs(options) do help = help .. string.format(" [, '%s']", o[1]:gsub('.', "%0'|'"):sub(1, -4)) end
   local fname = 'torch.' .. name
   local function bad(n, ...)
      raise(string.format('%s: invalid arguments: %s; expected %s', fname, arg_types(n, ...), help))
   end
   local f = function(...)
      local n = select('#', ...)
      local args = { ... }
      local nt = 0
      while nt < n and isTensor(args[nt + 1]) do nt = nt + 1 end
      local res, ins = {}, {}
      if nt == nres + nin then
         for i = 1, nres do res[i] = args[i] end
         for i = 1, nin do ins[i] = args[nres + i] end
      elseif nt == nin then
         for i = 1, nin do ins[i] = args[i] end
         for i = 1, nres do res[i] = new(ins[1]._dtype, ins[1]._device) end
      else
         bad(n, ...)
      end
      local opts = {}
      for i = 1, #options do
         local v = args[nt + i]
         if v == nil then
            v = options[i][2]
         elseif type(v) ~= 'string' or #v ~= 1 then
            bad(n, ...)
         end
         opts[i] = v:upper():byte()
      end
      for i = nt + #options + 1, n do
         if args[i] ~= nil then bad(n, ...) end
      end
      local cargs = {}
      for i = 1, nres do cargs[#cargs + 1] = res[i] end
      for i = 1, nin do cargs[#cargs + 1] = ins[i] end
      for i = 1, #options do cargs[#cargs + 1] = opts[i] end
      check(C[cfn](unpack(cargs, 1, nres + nin + #options)))
      return unpack(res, 1, nres)
   end
   torch[name] = f
   TensorBase[name] = f
end

def('gesv', 'nl_gesv', { 'resb', 'resa' }, { 'B', 'A' }, {})
def('gels', 'nl_gels', { 'resb', 'resa' }, { 'B', 'A' }, {})
def('inverse', 'nl_inverse', { 'res' }, { 'A' }, {})
def('symeig', 'nl_symeig', { 'rese', 'resv' }, { 'A' }, { { 'NV', 'N' }, { 'UL', 'U' } })
def('eig', 'nl_eig', { 'rese', 'resv' }, { 'A' }, { { 'NV', 'N' } })
def('svd', 'nl_svd', { 'resu', 'ress', 'resv' }, { 'A' }, { { 'SA', 'S' } })
def('potrf', 'nl_potrf', { 'res' }, { 'A' }, { { 'UL', 'U' } })
def('potrs', 'nl_potrs', { 'res' }, { 'B', 'chol' }, { { 'UL', 'U' } })
def('potri', 'nl_potri', { 'res' }, { 'chol' }, { { 'UL', 'U' } })
def('qr', 'nl_qr', { 'q', 'r' }, { 'A' }, {})

return TensorBase
