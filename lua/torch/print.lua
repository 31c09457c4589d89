-- torch.print: tostring() of tensors and storages, byte for byte as
-- Torch7 prints them (its Tensor.lua): one format for all the values
-- (integers as %Nd, fixed %N.4f with a common scale line such as
-- "0.001 *", or %N.4e when the magnitudes spread over more than four
-- decades), matrices split into "Columns a to b" blocks of at most 80
-- characters, and "(i,j,.,.) = " slices for 3 dimensions and more (the
-- first index running fastest, as in Torch7).
local ffi = require 'ffi'
local torch = require 'torch'
local core = torch._core
local C = core.C
local TensorBase, StorageBase = core.TensorBase, core.StorageBase

local floor, log10, concat, format = math.floor, math.log10, table.concat, string.format

-- Torch7's min/max of |x|: a nan anywhere makes both nan.
local function abs_min_max(p, n)
   local lo, hi = math.abs(p[0]), math.abs(p[0])
   for i = 0, n - 1 do
      local v = math.abs(p[i])
      if v ~= v then return v, v end
      if v < lo then lo = v end
      if v > hi then hi = v end
   end
   return lo, hi
end

-- Number of digits before the decimal point of |x| (1 for 0), Torch7's
-- floor(log10(x)) + 1.
local function exponent(x)
   if x == 0 then return 1 end
   return floor(log10(x)) + 1
end

-- The format, scale (nil when 1) and field width for n values at p.
local function print_format(p, n)
   if n == 0 then return '', nil, 0 end
   local int_mode = true
   for i = 0, n - 1 do
      local v = p[i]
      if v ~= math.ceil(v) then int_mode = false break end
   end
   local lo, hi = abs_min_max(p, n)
   local exp_min, exp_max = exponent(lo), exponent(hi)
   local fmt, scale, sz
   if int_mode then
      if exp_max > 9 then
         fmt, sz = '%11.4e', 11
      else
         sz = exp_max + 1
         fmt = '%' .. sz .. 'd'
      end
   elseif exp_max - exp_min > 4 then
      sz = 11
      if math.abs(exp_max) > 99 or math.abs(exp_min) > 99 then sz = 12 end
      fmt = '%' .. sz .. '.4e'
   elseif exp_max > 5 or exp_max < 0 then
      sz = 7
      scale = 10 ^ (exp_max - 1)
      fmt = '%7.4f'
   else
      sz = exp_max == 0 and 7 or exp_max + 6
      fmt = '%' .. tostring(sz) .. '.4f'
   end
   -- a nan width (nan values) ends up as Torch7's plain '%f'
   if fmt:sub(2, 4) == 'nan' then fmt = '%f' end
   if scale == 1 then scale = nil end
   return fmt, scale, sz
end

-- A contiguous double copy of t (any type, any device): header and pointer.
local function double_copy(t)
   local d = core.new(C.NL_DOUBLE, 0)
   core.resize_n(d, t._ndim, t._size)
   core.check(C.nl_copy(d, t))
   return d, ffi.cast('double *', C.nl_tensor_data(d))
end

-- Lines of a column vector of n values at p.
local function print_vector(strt, p, n, fmt, scale)
   if scale then
      strt[#strt + 1] = format('%g', scale) .. ' *\n'
      for i = 0, n - 1 do strt[#strt + 1] = format(fmt, p[i] / scale) .. '\n' end
   else
      for i = 0, n - 1 do strt[#strt + 1] = format(fmt, p[i]) .. '\n' end
   end
end

-- A rows x cols matrix at p (row-major), Torch7's Tensor__printMatrix.
local function print_matrix(strt, p, rows, cols, fmt, scale, sz, indent)
   scale = scale or 1
   indent = indent or ''
   strt[#strt + 1] = indent
   local per_line = floor((80 - #indent) / (sz + 1))
   local first = 1
   while first <= cols do
      local last
      if first + per_line - 1 <= cols then last = first + per_line - 1 else last = cols end
      if per_line < cols then
         if first ~= 1 then strt[#strt + 1] = '\n' end
         strt[#strt + 1] = 'Columns ' .. first .. ' to ' .. last .. '\n' .. indent
      end
      if scale ~= 1 then strt[#strt + 1] = format('%g', scale) .. ' *\n ' .. indent end
      for l = 1, rows do
         local row = p + (l - 1) * cols - 1
         for c = first, last do
            strt[#strt + 1] = format(fmt, row[c] / scale)
            if c == last then
               strt[#strt + 1] = '\n'
               if l ~= rows then strt[#strt + 1] = scale ~= 1 and indent .. ' ' or indent end
            else
               strt[#strt + 1] = ' '
            end
         end
      end
      first = last + 1
   end
end

local function size_str(t)
   local s = {}
   for i = 0, t._ndim - 1 do s[#s + 1] = tostring(tonumber(t._size[i])) end
   return concat(s, 'x')
end

function TensorBase.__tostring__(t)
   local name = torch.typename(t)
   if t._ndim == 0 then return '[' .. name .. ' with no dimension]\n' end
   local d, p = double_copy(t)
   local n = tonumber(C.nl_tensor_numel(d))
   local fmt, scale, sz = print_format(p, n)
   local strt = {}
   local nd = t._ndim
   if nd == 1 then
      print_vector(strt, p, n, fmt, scale)
   elseif nd == 2 then
      print_matrix(strt, p, tonumber(d._size[0]), tonumber(d._size[1]), fmt, scale, sz)
   elseif n > 0 then
      local rows, cols = tonumber(d._size[nd - 2]), tonumber(d._size[nd - 1])
      local counter = {}
      for i = 1, nd - 2 do counter[i] = 1 end
      counter[1] = 0
      local nslices = 0
      while true do
         -- next slice: the first index runs fastest
         local done = false
         for i = 1, nd - 2 do
            counter[i] = counter[i] + 1
            if counter[i] > tonumber(d._size[i - 1]) then
               if i == nd - 2 then done = true break end
               counter[i] = 1
            else
               break
            end
         end
         if done then break end
         if nslices > 0 then strt[#strt + 1] = '\n' end
         nslices = nslices + 1
         local off = 0
         strt[#strt + 1] = '('
         for i = 1, nd - 2 do
            off = off + (counter[i] - 1) * tonumber(d._stride[i - 1])
            strt[#strt + 1] = counter[i] .. ','
         end
         strt[#strt + 1] = '.,.) = \n'
         print_matrix(strt, p + off, rows, cols, fmt, scale, sz, ' ')
      end
   end
   strt[#strt + 1] = '[' .. name .. ' of size ' .. size_str(d) .. ']\n'
   return concat(strt)
end

function StorageBase.__tostring__(s)
   local n = s:size()
   local strt = {}
   if n > 0 then
      local t = core.new(s._p._dtype, s._p._device)
      core.check(C.nl_tensor_set_storage(t, s._p, 0, 1, ffi.new('int64_t[1]', n), nil))
      local d, p = double_copy(t)
      local fmt, scale = print_format(p, n)
      print_vector(strt, p, n, fmt, scale)
      if d._ndim ~= 1 then error('unreachable') end   -- keeps the copy alive until here
   end
   strt[#strt + 1] = '[' .. torch.typename(s) .. ' of size ' .. n .. ']\n'
   return concat(strt)
end

-- x:__tostring() as a method, as Torch7's metatables allowed
TensorBase.__tostring = function(t) return t:__tostring__() end
StorageBase.__tostring = function(s) return s:__tostring__() end

return true
