-- The conformance harness (in the spirit of ggml's test-backend-ops): every
-- entry point of bindings/nnlua.h that takes a tensor, derived from the
-- header itself by scripts/gen-ops.lua (so a new function cannot be missed),
-- is run with the cases of tests/conformance/cases/*.lua on the CPU and on
-- every registered backend, contiguous and strided, and every tensor and
-- out-box argument is compared after the call. In CI the backend is the
-- stand-in of tests/standin/ (host memory presented as device NL_TESTDEV,
-- each call counted, computed through the CPU kernels): it shows that every
-- entry point reaches the backend layer for a non-CPU tensor. On a machine
-- with a GPU the CUDA backend runs the same cases. Prints, per backend,
--   BACKEND: N of M entry points
local ffi = require 'ffi'
local torch = require 'torch'
local loader = require 'nnlua_loader'
local C = torch._core.C
local builder = dofile(NNLUA_ROOT .. '/tests/conformance/builder.lua')
local genops = dofile(NNLUA_ROOT .. '/scripts/gen-ops.lua')

local function header_ops()
   local f = assert(io.open(NNLUA_ROOT .. '/bindings/nnlua.h'))
   local ops = genops.parse(f:read('*a'))
   f:close()
   return ops
end

local function load_cases()
   local cases, owner = {}, {}
   local p = io.popen('ls "' .. NNLUA_ROOT .. '/tests/conformance/cases/"*.lua 2>/dev/null')
   for file in p:lines() do
      for key, fn in pairs(dofile(file)) do
         assert(not cases[key], ('conformance case %s defined twice (%s and %s)'):format(key, owner[key] or '?', file))
         cases[key], owner[key] = fn, file
      end
   end
   p:close()
   return cases
end

ffi.cdef [[
int nl_standin_init(void);
int64_t nl_standin_calls(int op);
]]

-- the backends to check: the stand-in always, CUDA where a device works
local function backends()
   local list = {}
   local ok, S = pcall(ffi.load, loader.libdir .. '/libnnlua_standin.so')
   assert(ok, 'the stand-in backend library was not built: ' .. tostring(S))
   assert(S.nl_standin_init() == 0, ffi.string(C.nl_last_error()))
   list[#list + 1] = { name = 'standin', device = C.NL_TESTDEV, lib = S, tol = 0 }
   -- CUDA draws from its own generator (Philox, cuda/random.cu), not the
   -- CPU's stream: its random fills are compared by size here, by their
   -- distributions in tests/cuda/cuentry_spec.lua
   if loader.cuda() then
      list[#list + 1] = { name = 'cuda', device = C.NL_CUDA, tol = 1e-4,
                          own_stream = { random_fill = true, random_bernoulli_tensor = true, random_randperm = true },
                          -- cases whose results are draws (RReLU's training noise, L1HingeEmbedding's
                          -- +-1 at ties): compared by size
                          own_stream_cases = { rrelu_forward = true, ['rrelu_forward#alias'] = true,
                                               ['l1hinge_backward#alias'] = true } }
   end
   return list
end

local UNSERVED = {}   -- error value: the backend has no kernel for the call

local function is_tensor(x) return type(x) == 'cdata' and x ~= nil and ffi.istype('nl_tensor', x) end
local function is_box(x) return type(x) == 'cdata' and ffi.istype('double[?]', x) end

-- call entry point name with the case's arguments built by T; returns rc,
-- message and the values to compare (host tensors, box contents)
local function run(name, fn, T, nargs)
   local args = fn(T)
   local call = {}
   for i = 1, nargs do
      local a = args[i]
      if type(a) == 'table' and a.list then call[i] = a.list else call[i] = a end
   end
   C.nl_random_manual_seed(1234)
   local rc = C[name](unpack(call, 1, nargs))
   local msg = rc ~= 0 and ffi.string(C.nl_last_error()) or nil
   local vals = {}
   for i = 1, nargs do
      local a = args[i]
      if is_tensor(a) then vals[i] = builder.to_host(a)
      elseif is_box(a) then
         local n = ffi.sizeof(a) / 8
         vals[i] = {}
         for j = 0, n - 1 do vals[i][j + 1] = a[j] end
      elseif type(a) == 'table' and a.items then
         vals[i] = {}
         for j, t in ipairs(a.items) do vals[i][j] = builder.to_host(t) end
      end
   end
   return rc, msg, vals
end

local function same_number(u, v, tol)
   if u ~= u and v ~= v then return true end
   if u == v then return true end
   return math.abs(u - v) <= tol * (1 + math.abs(v))
end

-- nil when equal, else what differs
-- Sorts of keys with ties: the CPU puts equal keys in the order of
-- Torch7's quicksort, a GPU sort in its own (stable) order. For these cases
-- a real backend's indices are checked for what they promise: values =
-- src gathered at indices along dim, each index used once per slice.
-- tie_cases[key](args) returns the dimension (0-based) the case sorts.
local tie_cases = {
   ['sort#int'] = function(a) return a[4] end,
   ['topk#smallest'] = function(a) return a[5] end,
}
local function tie_check(v, dim)
   local values, indices, src = v[1], v[2], v[3]
   local nd = indices._ndim
   local n = tonumber(C.nl_tensor_numel(indices))
   local pv, pi, ps = ffi.cast('double *', C.nl_tensor_data(values)), ffi.cast('double *', C.nl_tensor_data(indices)),
      ffi.cast('double *', C.nl_tensor_data(src))
   local seen = {}
   for f = 0, n - 1 do
      -- coordinates of f in indices (row-major), then the source offset
      local rem, off, slice, mul = f, 0, 0, 1
      local coord = {}
      for d = nd - 1, 0, -1 do
         coord[d] = rem % tonumber(indices._size[d])
         rem = math.floor(rem / tonumber(indices._size[d]))
      end
      local idx = pi[f] - 1
      for d = nd - 1, 0, -1 do
         local c = d == dim and idx or coord[d]
         off = off + c * mul
         mul = mul * tonumber(src._size[d])
         if d ~= dim then slice = slice * 1000 + coord[d] end
      end
      if idx < 0 or idx >= tonumber(src._size[dim]) then return ('argument 2 (indices): element %d: index %d out of range'):format(f + 1, idx + 1) end
      if ps[off] ~= pv[f] then
         return ('argument 2 (indices): element %d: index %d holds %.17g, the value is %.17g'):format(f + 1, idx + 1, ps[off], pv[f])
      end
      local k = slice .. ':' .. idx
      if seen[k] then return ('argument 2 (indices): index %d used twice in one slice'):format(idx + 1) end
      seen[k] = true
   end
   return nil
end

local function compare(a, b, tol, where)
   if type(a) == 'table' and type(b) == 'table' then
      if #a ~= #b then return where .. ': lengths differ' end
      for i = 1, #a do
         local d
         if type(a[i]) == 'number' then
            if not same_number(a[i], b[i], tol) then d = ('%s[%d]: %s vs %s'):format(where, i, a[i], b[i]) end
         else d = compare(a[i], b[i], tol, where .. '[' .. i .. ']') end
         if d then return d end
      end
      return nil
   end
   if (a == nil) ~= (b == nil) then return where .. ': one side missing' end
   if a == nil then return nil end
   if a._ndim ~= b._ndim then return ('%s: %d vs %d dimensions'):format(where, a._ndim, b._ndim) end
   for d = 0, a._ndim - 1 do
      if a._size[d] ~= b._size[d] then return ('%s: size %d differs'):format(where, d + 1) end
   end
   local n = tonumber(C.nl_tensor_numel(a))
   if a._ndim == 0 then n = 0 end
   local pa, pb = ffi.cast('double *', C.nl_tensor_data(a)), ffi.cast('double *', C.nl_tensor_data(b))
   for i = 0, n - 1 do
      if not same_number(pa[i], pb[i], tol) then
         return ('%s: element %d: %.17g on the device vs %.17g on the CPU'):format(where, i + 1, pa[i], pb[i])
      end
   end
   return nil
end

describe('conformance harness', function()
   local ops = header_ops()
   local cases = load_cases()
   local list = backends()
   local by_name = {}
   for i, op in ipairs(ops) do
      by_name[op.short] = op
      op.index = i - 1
   end

   it('derives the same entry points from the header as the library was built with', function()
      assert.are.equal(#ops, C.nl_op_count())
      for i, op in ipairs(ops) do assert.are.equal(op.name, ffi.string(C.nl_op_name(i - 1))) end
      assert.is_true(#ops > 100)
   end)

   it('has cases only for entry points of the header', function()
      for key in pairs(cases) do
         local name = key:match('^[^#]+')
         assert(by_name[name], 'conformance case for ' .. key .. ': no entry point nl_' .. name .. ' in nnlua.h')
      end
   end)

   -- the CUDA line without a device: what libnnlua_cuda's table serves,
   -- read from the library without initialising a device (not run here)
   local has_cuda = false
   for _, be in ipairs(list) do has_cuda = has_cuda or be.name == 'cuda' end
   if not has_cuda then
      it('states the CUDA library\'s coverage without a device', function()
         local _, why = loader.cuda()
         local path = loader.libdir .. '/libnnlua_cuda.so'
         local ok, CU = pcall(ffi.load, path)
         if not ok then
            pending('cuda: libnnlua_cuda.so not loadable here (' .. tostring(why or CU) .. ')')
            return
         end
         pcall(ffi.cdef, 'int nl_cuda_op_dtypes(int op);')
         local n, none = 0, {}
         for _, op in ipairs(ops) do
            local mask = CU.nl_cuda_op_dtypes(op.index)
            assert(mask >= 0 and mask < 2 ^ C.NL_NUM_DTYPES, 'nl_cuda_op_dtypes(' .. op.short .. '): ' .. mask)
            if mask ~= 0 then n = n + 1 else none[#none + 1] = op.short end
         end
         -- copy and fill are the least a backend serves
         assert.is_true(CU.nl_cuda_op_dtypes(by_name.copy.index) ~= 0)
         assert.are.equal(0, CU.nl_cuda_op_dtypes(#ops))
         print(('cuda: %d of %d entry points served by libnnlua_cuda (not run: %s)'):format(n, #ops,
            tostring(why or 'no CUDA device')))
         if #none > 0 then print('  not served: ' .. table.concat(none, ' ')) end
      end)
   end

   for _, be in ipairs(list) do
      it('runs every case on ' .. be.name .. ' as on the CPU', function()
         local covered, failures, missing = {}, {}, {}
         local keys = {}
         for key in pairs(cases) do keys[#keys + 1] = key end
         table.sort(keys)
         for _, key in ipairs(keys) do
            local short = key:match('^[^#]+')
            local op = by_name[short]
            local nargs = #op.args
            for _, variant in ipairs { 'contig', 'strided' } do
               local where = ('%s (%s, %s)'):format(key, variant, be.name)
               local ok, err = pcall(function()
                  local rc0, msg0, v0 = run(op.name, cases[key], builder.new(C.NL_CPU, variant), nargs)
                  if rc0 ~= 0 then error('the case is not a valid call on the CPU: ' .. msg0, 0) end
                  local before = be.lib and tonumber(be.lib.nl_standin_calls(op.index))
                  local rc1, msg1, v1 = run(op.name, cases[key], builder.new(be.device, variant), nargs)
                  if rc1 ~= 0 then
                     -- a real backend may lack an entry (the gate says so by
                     -- name); the stand-in serves every one
                     if not be.lib and msg1:find('not available on', 1, true) then error(UNSERVED, 0) end
                     error('failed on the backend: ' .. msg1, 0)
                  end
                  -- an empty call may finish in the front function (nothing to compute)
                  if be.lib and not key:find('#empty') then
                     local after = tonumber(be.lib.nl_standin_calls(op.index))
                     if after <= before then error('the call did not reach the backend layer', 0) end
                  end
                  local drawn = be.own_stream and be.own_stream[short] or be.own_stream_cases and be.own_stream_cases[key]
                  local tol = drawn and math.huge or be.tol
                  local ties = not be.lib and tie_cases[key]
                  for i = 1, nargs do
                     local d
                     if ties and i == 2 then
                        d = tie_check(v1, ties(cases[key](builder.new(C.NL_CPU, variant))))
                     else
                        d = compare(v1[i], v0[i], tol, 'argument ' .. i .. ' (' .. op.args[i] .. ')')
                     end
                     if d then error(d, 0) end
                  end
               end)
               -- inputs that cannot be placed on a real backend (a dtype
               -- it has no kernels for) are as an entry it does not serve
               if not ok and not be.lib and tostring(err):find('not available on', 1, true) then err = UNSERVED end
               if ok then covered[short] = true
               elseif err ~= UNSERVED then failures[#failures + 1] = where .. ': ' .. tostring(err) end
            end
         end
         for _, op in ipairs(ops) do
            if not covered[op.short] then missing[#missing + 1] = op.short end
         end
         local n = 0
         for _ in pairs(covered) do n = n + 1 end
         print(('%s: %d of %d entry points'):format(be.name, n, #ops))
         if #missing > 0 and #missing <= 60 then print('  not covered: ' .. table.concat(missing, ' ')) end
         assert(#failures == 0, table.concat(failures, '\n'))
         -- the stand-in serves every entry point: one that no case reaches
         -- is a function added to the header without a conformance case
         if be.name == 'standin' then
            assert(#missing == 0, 'entry points without a passing conformance case: ' .. table.concat(missing, ' '))
         end
      end)
   end
end)
