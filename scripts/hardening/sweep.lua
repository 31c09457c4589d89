-- Bad-input sweep (issue: hardening). Calls every tensor method, every
-- torch.* function, every nn module and criterion with generated bad
-- arguments: wrong dimensions, mismatched sizes, wrong dtypes, non-tensor
-- arguments, NaN/Inf, empty tensors, huge sizes. Each call must return or
-- raise a Lua error; a crash kills this process, which the spec that runs
-- it (tests/hardening/sweep_spec.lua) counts as a failure.
--
-- usage: nnlua scripts/hardening/sweep.lua PART NPARTS
-- prints: `sweep: C calls, E errors, R returned, U unnamed` and, for each
-- error whose message does not name the function or module, a line
-- `unnamed: <function>: <message>`.
require 'nn'
local ok_optim = pcall(require, 'optim')
local part, nparts = tonumber(arg[1] or 1), tonumber(arg[2] or 1)

if torch.manualSeed then torch.manualSeed(1) end
local tmpdir = os.tmpname()
os.remove(tmpdir)
os.execute('mkdir -p ' .. tmpdir)

-- Functions that touch files, processes or the whole state are skipped:
-- they are not tensor math, and some take arbitrary strings as paths.
local skip = {
   save = true, load = true, DiskFile = true, PipeFile = true, MemoryFile = true, serialize = true,
   deserialize = true, setdefaulttensortype = true, setnumthreads = true, manualSeed = true,
   setRNGState = true, seed = true, class = true, include = true, Tester = true, CmdLine = true,
   setheaptracking = true, test = true, factory = true, newmetatable = true, apply = true, map = true,
   map2 = true, __gc = true, Timer = true, getRNGState = true, initialSeed = true,
}

local function values()
   local big = 1e12
   return {
      { nil },
      { 'a' },
      { {} },
      { -1 },
      { 0 },
      { big },
      { 0 / 0 },
      { 1 / 0 },
      { torch.Tensor() },
      { torch.Tensor(3) },
      { torch.Tensor(2, 3) },
      { torch.Tensor(4, 5):t() },
      { torch.FloatTensor(2, 3) },
      { torch.ByteTensor(2, 3):fill(1) },
      { torch.LongTensor { 100 } },
      { torch.LongTensor { 0 } },
      { torch.Tensor(2, 3), torch.Tensor(3, 2) },
      { torch.Tensor(2, 3), torch.FloatTensor(2, 3) },
      { 1, torch.Tensor(7) },
      { 3, 2, 1 },
      { 1, big },
      { big, 1 },
      { -1, -1 },
      { 9, 1 },
      { torch.Tensor(3):fill(0 / 0) },
      { torch.Tensor(2, 2), 'x', torch.Tensor(2, 2) },
   }
end

local function receivers()
   return {
      torch.Tensor(3, 4):fill(1),
      torch.FloatTensor(5):fill(2),
      torch.Tensor(),
      torch.ByteTensor(2, 2):fill(1),
      torch.LongTensor(3):fill(1),
      torch.Tensor(4, 3):t(),
   }
end

local calls, errors, returned, unnamed = 0, 0, 0, 0
local unnamed_lines = {}
local job = 0

local aliases = { new = { 'constructor', 'resize' }, viewAs = { 'view' }, expandAs = { 'expand' }, typeAs = { 'type' },
   resizeAs = { 'resize' } }
local function names(msg, fname, extra)
   local m = msg:lower()
   for _, a in ipairs(aliases[fname] or {}) do if m:find(a, 1, true) then return true end end
   if m:find(fname:lower(), 1, true) then return true end
   for _, e in ipairs(extra or {}) do if m:find(e:lower(), 1, true) then return true end end
   return false
end

local function try(label, fname, extra, f, ...)
   job = job + 1
   if job % nparts ~= part - 1 then return end
   calls = calls + 1
   if os.getenv('SWEEP_TRACE') then io.stderr:write(label, '\n') io.stderr:flush() end
   local ok, err = pcall(f, ...)
   if ok then returned = returned + 1 return end
   errors = errors + 1
   err = tostring(err)
   if not names(err, fname, extra) then
      unnamed = unnamed + 1
      unnamed_lines[#unnamed_lines + 1] = 'unnamed: ' .. label .. ': ' .. err:gsub('\n.*', '')
   end
end

-- tensor methods
local methods = {}
for k, v in pairs(torch._core.TensorBase) do
   if type(v) == 'function' and type(k) == 'string' and not k:match('^_') and not skip[k] then methods[#methods + 1] = k end
end
table.sort(methods)
for _, m in ipairs(methods) do
   for ri, r0 in ipairs(receivers()) do
      for vi, args in ipairs(values()) do
         local r = r0:clone()
         try(string.format('%s:%s #%d/%d', torch.type(r), m, ri, vi), m, nil, function() return r[m](r, unpack(args, 1, 3)) end)
      end
   end
end

-- torch.* functions
local fns = {}
for k, v in pairs(torch) do
   if type(v) == 'function' and type(k) == 'string' and not k:match('^_') and not skip[k] then fns[#fns + 1] = k end
end
table.sort(fns)
for _, f in ipairs(fns) do
   for vi, args in ipairs(values()) do
      try(string.format('torch.%s #%d', f, vi), f, nil, function() return torch[f](unpack(args, 1, 3)) end)
   end
end

-- nn modules and criterions, built from the Torch7 fixture's constructors
local fixture = (os.getenv('NNLUA_FIXTURES') or (arg[0]:match('^(.*)/scripts/') or '.') .. '/../shared/fixtures')
   .. '/torch7/nn_modules.lua'
local okf, cases = pcall(dofile, fixture)
if not okf then cases = {} end
-- classes the fixture has no case for: containers, table modules and the
-- modules nnlua has beyond Torch7's recording
for _, ctor in ipairs {
   'nn.CAddTable()', 'nn.CSubTable()', 'nn.CMulTable()', 'nn.CDivTable()', 'nn.CMaxTable()', 'nn.CMinTable()',
   'nn.Concat(1):add(nn.Linear(7, 3)):add(nn.Linear(7, 2))', 'nn.ConcatTable():add(nn.Linear(7, 3)):add(nn.Identity())',
   'nn.CriterionTable(nn.MSECriterion())', 'nn.FlattenTable()', 'nn.Identity()', 'nn.JoinTable(1)', 'nn.JoinTable(2, 2)',
   'nn.MapTable(nn.Linear(7, 3))', 'nn.MultiCriterion():add(nn.MSECriterion()):add(nn.AbsCriterion(), 0.5)',
   'nn.NarrowTable(1, 2)', 'nn.Parallel(1, 1):add(nn.Linear(7, 3)):add(nn.Linear(7, 3))',
   'nn.ParallelCriterion():add(nn.MSECriterion()):add(nn.AbsCriterion())',
   'nn.ParallelTable():add(nn.Linear(7, 3)):add(nn.Linear(7, 3))', 'nn.SelectTable(2)', 'nn.SplitTable(1)',
   'nn.Sequential():add(nn.Linear(7, 3)):add(nn.Tanh())', 'nn.SpatialAdaptiveAveragePooling(2, 2)',
   'nn.SpatialConvolutionLocal(2, 3, 5, 5, 3, 3)', 'nn.SpatialLPPooling(2, 2, 2, 2)',
   'nn.SpatialMaxUnpooling(nn.SpatialMaxPooling(2, 2))', 'nn.SpatialSoftMax()', 'nn.VolumetricAveragePooling(2, 2, 2)',
   'nn.SpatialFullConvolution(2, 3, 3, 3, 2, 2, 1, 1, 1, 1)', 'nn.SpatialDilatedConvolution(2, 3, 3, 3, 1, 1, 1, 1, 2, 2)',
   'nn.SpatialDropout(0.3)', 'nn.SpatialUpSamplingNearest(2)',
} do cases[#cases + 1] = { ctor = ctor } end
do
   for _, c in ipairs(cases) do
      local okc, m = pcall(loadstring('return ' .. c.ctor))
      if okc and m then
         local tname = torch.typename(m) or c.ctor
         local short = tname:gsub('^nn%.', '')
         local bad = {
            torch.Tensor(),
            torch.Tensor(7),
            torch.Tensor(2, 7),
            torch.Tensor(1, 2, 3, 4, 5, 6),
            torch.FloatTensor(4, 5),
            torch.Tensor(3, 4):fill(0 / 0),
            'x',
            { torch.Tensor(2) },
         }
         for bi, input in ipairs(bad) do
            local mm = m:clone()
            if torch.isTypeOf(mm, 'nn.Criterion') then
               try(string.format('%s:forward #%d', tname, bi), short, { 'nn.' }, function() return mm:forward(input, torch.Tensor(3)) end)
               try(string.format('%s:backward #%d', tname, bi), short, { 'nn.' }, function() return mm:backward(input, 'y') end)
            else
               try(string.format('%s:forward #%d', tname, bi), short, { 'nn.' }, function() return mm:forward(input) end)
               try(string.format('%s:backward #%d', tname, bi), short, { 'nn.' }, function() return mm:backward(input, torch.Tensor(5)) end)
            end
         end
      end
   end
end

os.execute('rm -rf ' .. tmpdir)
for _, l in ipairs(unnamed_lines) do print(l) end
print(string.format('sweep: %d calls, %d errors, %d returned, %d unnamed', calls, errors, returned, unnamed))
