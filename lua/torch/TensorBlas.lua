-- torch.TensorBlas: Torch7's matrix products (dot, mv, mm, bmm, addmv,
-- addmm, addbmm, baddbmm, addr, ger, cross) as methods and torch.*
-- functions, on runtime/blas.c.
--
-- Argument forms follow Torch7's cwrap declarations:
--   torch.addmm([res,] [beta,] M, [alpha,] A, B)   new result unless res
--   res:addmm([beta,] [M,] [alpha,] A, B)          M defaults to res
--   torch.mm([res,] A, B)   res:mm(A, B)
-- A single number before A and B with no M is alpha (as cwrap resolves it:
-- gradWeight:addmm(scale, gradOutput:t(), input) accumulates).
local ffi = require 'ffi'
local torch = require 'torch'
local core = torch._core
local C, check, raise = core.C, core.check, core.raise
local TensorBase = core.TensorBase
local isTensor, new = core.isTensor, core.new

local function tname(x) return torch.type(x) end

-- The types of an argument list, for messages ("number DoubleTensor ...").
local function arg_types(...)
   local s = {}
   for i = 1, select('#', ...) do
      local x = select(i, ...)
      s[#s + 1] = isTensor(x) and torch.typename(x):gsub('^torch%.', '') or type(x)
   end
   while s[#s] == 'nil' do s[#s] = nil end
   return table.concat(s, ' ')
end

-- The beta*M + alpha*A*B family. names: the help text of the arguments.
-- Returns res, beta, M, alpha, A, B. Takes at most seven arguments as
-- fixed parameters (one more is an error anyway): LuaJIT 2.1 compiles
-- neither select(i, ...) with a variable i nor, stably, `{ ... }` of five or
-- more values (its table-size guard failed on every call, growing a chain
-- of side traces until every trace was flushed, every few hundred steps of
-- a training loop; tests/torch/jit_spec.lua).
local function bad_add(fn, help, n, a1, a2, a3, a4, a5, a6, a7)
   local args = { a1, a2, a3, a4, a5, a6, a7 }
   raise(string.format('%s: invalid arguments: %s; expected %s', fn, arg_types(unpack(args, 1, n)), help))
end

local function parse_add(fn, help, is_method, n, a1, a2, a3, a4, a5, a6, a7)
   if n > 7 then bad_add(fn, help, 7, a1, a2, a3, a4, a5, a6, a7) end
   local args = { a1, a2, a3, a4, a5, a6, a7 }
   local ntensors = 0
   for i = 1, n do if isTensor(args[i]) then ntensors = ntensors + 1 end end
   local res, first = nil, 1
   if is_method then
      if not isTensor(a1) then
         raise(string.format('%s: expected a tensor as self, got %s', fn, tname(a1)))
      end
      res, first = a1, 2
      ntensors = ntensors - 1
   elseif ntensors == 4 and isTensor(a1) then
      res, first = a1, 2
      ntensors = 3
   end
   local beta, M, alpha = 1, nil, 1
   local i = first
   if type(args[i]) == 'number' then
      -- Torch7's cwrap: with two numbers the first is beta; a lone number
      -- is alpha (res:addmm(scale, A, B) accumulates scale*A*B), except in
      -- the documented form (v1, M, A, B)
      if type(args[i + 1]) == 'number' or (ntensors == 3 and isTensor(args[i + 1])) then
         beta, i = args[i], i + 1
      end
   end
   if ntensors == 3 then
      M = args[i]
      if not isTensor(M) then bad_add(fn, help, n, a1, a2, a3, a4, a5, a6, a7) end
      i = i + 1
   elseif ntensors == 2 and res then
      M = res
   else
      bad_add(fn, help, n, a1, a2, a3, a4, a5, a6, a7)
   end
   if type(args[i]) == 'number' then alpha, i = args[i], i + 1 end
   local A, B = args[i], args[i + 1]
   if not isTensor(A) or not isTensor(B) or i + 1 ~= n then bad_add(fn, help, n, a1, a2, a3, a4, a5, a6, a7) end
   if not res then res = new(M._dtype, M._device) end
   return res, beta, M, alpha, A, B
end

local function def_add(name, cfn, help)
   local mhelp = '[beta,] [M,] [alpha,] ' .. help
   local fhelp = '[res,] [beta,] M, [alpha,] ' .. help
   TensorBase[name] = function(...)
      local res, beta, M, alpha, A, B = parse_add(name, mhelp, true, select('#', ...), ...)
      check(C[cfn](res, beta, M, alpha, A, B))
      return res
   end
   torch[name] = function(...)
      local res, beta, M, alpha, A, B = parse_add('torch.' .. name, fhelp, false, select('#', ...), ...)
      check(C[cfn](res, beta, M, alpha, A, B))
      return res
   end
end

def_add('addmm', 'nl_addmm', 'A (matrix), B (matrix)')
def_add('addmv', 'nl_addmv', 'mat (matrix), vec (vector)')
def_add('addr', 'nl_addr', 'vec1 (vector), vec2 (vector)')
def_add('addbmm', 'nl_addbmm', 'batch1 (3D), batch2 (3D)')
def_add('baddbmm', 'nl_baddbmm', 'batch1 (3D), batch2 (3D)')

-- res = A op B: method res:mm(A, B); function torch.mm([res,] A, B).
local function def_product(name, cfn, help)
   TensorBase[name] = function(res, A, B, extra)
      if not isTensor(res) or not isTensor(A) or not isTensor(B) or extra ~= nil then
         raise(string.format('%s: invalid arguments: %s; expected res:%s(%s)', name, arg_types(res, A, B, extra),
            name, help))
      end
      check(C[cfn](res, A, B))
      return res
   end
   torch[name] = function(a1, a2, a3, extra)
      local res, A, B = a1, a2, a3
      if a3 == nil then res, A, B = nil, a1, a2 end
      if (res ~= nil and not isTensor(res)) or not isTensor(A) or not isTensor(B) or extra ~= nil then
         raise(string.format('torch.%s: invalid arguments: %s; expected [res,] %s', name, arg_types(a1, a2, a3, extra),
            help))
      end
      res = res or new(A._dtype, A._device)
      check(C[cfn](res, A, B))
      return res
   end
end

def_product('mm', 'nl_mm', 'A (matrix), B (matrix)')
def_product('mv', 'nl_mv', 'mat (matrix), vec (vector)')
def_product('bmm', 'nl_bmm', 'batch1 (3D), batch2 (3D)')
def_product('ger', 'nl_ger', 'vec1 (vector), vec2 (vector)')

local dotbuf = ffi.new('double[1]')
local function dot(a, b)
   if not isTensor(a) or not isTensor(b) then
      raise(string.format('dot: invalid arguments: %s; expected two tensors', arg_types(a, b)))
   end
   check(C.nl_dot(dotbuf, a, b))
   return dotbuf[0]
end
TensorBase.dot = dot
torch.dot = dot

-- cross([res,] a, b [, dim]); a:cross(b) returns a new tensor, as in Torch7.
local function cross(a1, a2, a3, a4)
   local res, a, b, dim
   if isTensor(a3) then res, a, b, dim = a1, a2, a3, a4
   else res, a, b, dim = nil, a1, a2, a3 end
   if not isTensor(a) or not isTensor(b) or (dim ~= nil and type(dim) ~= 'number') then
      raise(string.format('cross: invalid arguments: %s; expected [res,] a, b [, dim]', arg_types(a1, a2, a3, a4)))
   end
   res = res or new(a._dtype, a._device)
   check(C.nl_cross(res, a, b, dim and dim - 1 or -1))
   return res
end
TensorBase.cross = cross
torch.cross = cross

return TensorBase
