-- torch.Tester and torch.TestSuite: Torch7's unit-test runner, so that
-- existing Torch7 test files run unchanged. Assertions count passes and
-- failures per test; run() prints one line per test ([PASS], [FAIL],
-- [ERROR], [SKIP]), a summary line, the failure messages, and raises an
-- error when anything failed (so a test script exits non-zero).
-- Tests run in name order (Torch7 used pairs order, which varies).
local ffi = require 'ffi'
local torch = require 'torch'
local core = torch._core
local C = core.C

local Tester = torch.class('torch.Tester')

local NCOLS = 80

function Tester:__init()
   self.errors = {}
   self.tests = {}
   self.warnings = {}
   self._warningCount = {}
   self.disabledTests = {}
   self._currentTestName = ''
   -- Torch7 compatibility: assertTensorEq compares elements only, so a
   -- 1x3 equals a 3 (with a warning)
   self._assertTensorEqIgnoresDims = true
   self.assertionPass, self.assertionFail = {}, {}
end

function Tester:setEarlyAbort(v) self.earlyAbort = v end
function Tester:setRethrowErrors(v) self.rethrow = v end
function Tester:setSummaryOnly(v) self.summaryOnly = v end

-- Where the assertion was called from, as Torch7 printed it: the last two
-- lines of the traceback from the first frame outside this file down to
-- the test runner's xpcall ("stack traceback:" and the test's line when
-- the test asserted directly); "at file:line" outside a test run.
local thisfile = debug.getinfo(1, 'S').source
local function caller_level()
   local i = 3
   while true do
      local info = debug.getinfo(i, 'Sl')
      if not info then return nil end
      if info.source ~= thisfile and info.what ~= 'C' then return i, info end
      i = i + 1
   end
end

function Tester:_describe(message)
   local name = self._currentTestName
   local level, info = caller_level()
   local where = ''
   if level then
      local tb = debug.traceback('tester', level - 1) or ''
      where = tb:match('.-\n([^\n]+\n[^\n]+)\n[^\n]+xpcall')
         or string.format('  at %s:%d', info.short_src, info.currentline or 0)
   end
   return (name ~= '' and name .. '\n' or '') .. message .. '\n' .. where
end

function Tester:_success()
   local name = self._currentTestName
   self.assertionPass[name] = (self.assertionPass[name] or 0) + 1
   return true
end

function Tester:_failure(message)
   if self.rethrow then error(message, 3) end
   local name = self._currentTestName
   self.assertionFail[name] = (self.assertionFail[name] or 0) + 1
   self.errors[#self.errors + 1] = self:_describe(message)
   return false
end

function Tester:_warning(message)
   local name = self._currentTestName
   self._warningCount[name] = (self._warningCount[name] or 0) + 1
   self.warnings[#self.warnings + 1] = self:_describe(message)
end

function Tester:_assert_sub(ok, message)
   if ok then return self:_success() end
   return self:_failure(message)
end

-- An optional message argument, as a prefix line.
local function message_of(message, ...)
   if select('#', ...) > 0 and (...) ~= nil then error('torch.Tester: Unexpected arguments: extra arguments to an assertion', 3) end
   if message == nil or message == '' then return '' end
   if type(message) ~= 'string' then error('torch.Tester: the message should be a string, got ' .. type(message), 3) end
   return message .. '\n'
end

-- A tolerance and a message, in either order (Torch7 accepts both).
local function tolerance_and_message(default, ...)
   local tol, msg
   for i = 1, select('#', ...) do
      local a = select(i, ...)
      if type(a) == 'string' then
         if msg then error('torch.Tester: two messages given', 3) end
         msg = a .. '\n'
      elseif type(a) == 'number' then
         if tol then error('torch.Tester: two tolerances given', 3) end
         if a < 0 then error('torch.Tester: the tolerance cannot be negative', 3) end
         tol = a
      elseif a ~= nil then
         error('torch.Tester: expected a tolerance or a message, got ' .. type(a), 3)
      end
   end
   return tol or default, msg or ''
end

-- Comparisons ------------------------------------------------------------

local check = {}

-- Largest |a - b| over the elements of two tensors with as many elements
-- (nan when either holds a nan there).
local function max_abs_diff(a, b)
   local function flat(t)
      local d = core.new(C.NL_DOUBLE, 0)
      core.resize_n(d, t._ndim, t._size)
      core.check(C.nl_copy(d, t))
      return d, ffi.cast('double *', C.nl_tensor_data(d))
   end
   local da, pa = flat(a)
   local db, pb = flat(b)
   local n = tonumber(C.nl_tensor_numel(da))
   local err = 0
   for i = 0, n - 1 do
      local d = math.abs(pa[i] - pb[i])
      if d ~= d then err = d break end
      if d > err then err = d end
   end
   -- the copies must outlive the loop over their raw pointers
   if da._ndim < 0 or db._ndim < 0 then error('unreachable') end
   return err
end

function check.sameFormatTensorsEq(ta, tb, tol, negate, storage)
   local err = max_abs_diff(ta, tb)
   local ok = err <= tol
   if negate then ok = not ok end
   if ok then return true end
   return false, string.format('%s%s violation: max diff=%s, tolerance=%s', storage and 'Storage' or 'Tensor',
      negate and 'NE(==)' or 'EQ(==)', tostring(err), tostring(tol))
end

function check.tensorsEq(ta, tb, tol, negate, ignoreDims)
   if not ignoreDims and ta:dim() ~= tb:dim() then return negate, 'The tensors have different dimensions' end
   if ta:type() ~= tb:type() then return negate, 'The tensors have different types' end
   if ta:dim() == 0 and tb:dim() == 0 then return not negate, 'Both tensors are empty' end
   local same
   if ignoreDims then same = ta:nElement() == tb:nElement() else same = ta:isSameSizeAs(tb) end
   if not same then return negate, 'The tensors have different sizes' end
   return check.sameFormatTensorsEq(ta, tb, tol, negate, false)
end

function check.storagesEq(sa, sb, tol, negate)
   if sa:size() ~= sb:size() then return negate, 'The storages have different sizes' end
   if torch.type(sa) ~= torch.type(sb) then return negate, 'The storages have different types' end
   if sa:size() == 0 then return not negate end
   local function view(s)
      local t = core.new(s._p._dtype, s._p._device)
      core.check(C.nl_tensor_set_storage(t, s._p, 0, 1, ffi.new('int64_t[1]', s:size()), nil))
      return t
   end
   return check.sameFormatTensorsEq(view(sa), view(sb), tol, negate, true)
end

function check.eq(got, expected, tol, negate)
   if type(got) ~= type(expected) then
      if negate then return true end
      return false, 'EQ failed: values have different types (first: ' .. type(got) .. ', second: ' .. type(expected) .. ')'
   end
   if type(got) == 'number' then
      local ok = math.abs(got - expected) <= tol
      if negate then ok = not ok end
      if ok then return true end
      local m = string.format(negate and 'NE failed: %s == %s' or 'EQ failed: %s ~= %s', tostring(got), tostring(expected))
      if tol > 0 then m = m .. ' with tolerance=' .. tostring(tol) end
      return false, m
   elseif type(expected) == 'table' then
      return check.tablesEq(got, expected, tol, negate)
   elseif torch.isTensor(got) and torch.isTensor(expected) then
      return check.tensorsEq(got, expected, tol, negate)
   elseif torch.isStorage(got) and torch.isStorage(expected) then
      return check.storagesEq(got, expected, tol, negate)
   end
   local ok = got == expected
   if negate then ok = not ok end
   if ok then return true end
   return false, string.format(negate and 'NE failed: %s (%s) == %s (%s)' or 'EQ failed: %s (%s) ~= %s (%s)',
      tostring(got), type(got), tostring(expected), type(expected))
end

-- Breadth-first, so the shallowest difference is the one reported.
function check.tablesEq(t1, t2, tol, negate)
   local queue, head = { { t1, t2, nil } }, 1
   while queue[head] do
      local a, b, where = queue[head][1], queue[head][2], queue[head][3]
      head = head + 1
      local function loc(k) return where and where .. '.' .. tostring(k) or tostring(k) end
      for k, v1 in pairs(a) do
         local v2 = b[k]
         if v2 == nil then
            return negate, string.format('Entry %s missing in second table (is %s in first)', loc(k), tostring(v1))
         end
         if type(v1) == 'table' and type(v2) == 'table' then
            queue[#queue + 1] = { v1, v2, loc(k) }
         else
            local ok, m = check.eq(v1, v2, tol, false)
            if not ok then return negate, 'At table location ' .. loc(k) .. ': ' .. m end
         end
      end
      for k, v2 in pairs(b) do
         if a[k] == nil then
            return negate, string.format('Entry %s missing in first table (is %s in second)', loc(k), tostring(v2))
         end
      end
   end
   return not negate, 'The tables are equal'
end
Tester._check = check

-- Assertions -------------------------------------------------------------

function Tester:assert(cond, ...)
   local m = message_of(...)
   if type(cond) ~= 'boolean' then
      self:_warning(' :assert should only be used for boolean conditions. To check for non-nil variables, '
         .. 'do this explicitly: Tester:assert(var ~= nil).')
   end
   return self:_assert_sub(cond, string.format('%sBOOL violation condition=%s', m, tostring(cond)))
end

local function compare(name, op, sym, failsym)
   Tester[name] = function(self, a, b, ...)
      local m = message_of(...)
      return self:_assert_sub(op(a, b), string.format('%s%s failed: %s %s %s', m, sym, tostring(a), failsym, tostring(b)))
   end
end
compare('assertlt', function(a, b) return a < b end, 'LT', '>=')
compare('assertgt', function(a, b) return a > b end, 'GT', '<=')
compare('assertle', function(a, b) return a <= b end, 'LE', '>')
compare('assertge', function(a, b) return a >= b end, 'GE', '<')
compare('asserteq', function(a, b) return a == b end, 'EQ', '~=')

function Tester:assertne(a, b, ...)
   local m = message_of(...)
   if type(a) == type(b) and (type(a) == 'table' or type(a) == 'userdata') then
      self:_warning(' :assertne should only be used to compare basic lua objects (numbers, booleans, etc). '
         .. 'Consider using either :assertGeneralNe or :assert(a ~= b).')
   end
   return self:_assert_sub(a ~= b, string.format('%sNE failed: %s == %s', m, tostring(a), tostring(b)))
end

function Tester:assertalmosteq(a, b, ...)
   local tol, m = tolerance_and_message(1e-16, ...)
   return self:_assert_sub(math.abs(a - b) <= tol,
      string.format('%sALMOST_EQ failed: %s ~= %s with tolerance=%s', m, tostring(a), tostring(b), tostring(tol)))
end

function Tester:_eqOrNeq(got, expected, negate, ...)
   local tol, m = tolerance_and_message(0, ...)
   local ok, sub = check.eq(got, expected, tol, negate)
   return self:_assert_sub(ok, m .. (sub or ''))
end
function Tester:assertGeneralEq(got, expected, ...) return self:_eqOrNeq(got, expected, false, ...) end
function Tester:assertGeneralNe(got, expected, ...) return self:_eqOrNeq(got, expected, true, ...) end
Tester.eq = Tester.assertGeneralEq
Tester.ne = Tester.assertGeneralNe

function Tester:_tensorEqOrNeq(ta, tb, negate, ...)
   if not torch.isTensor(ta) then error('torch.Tester: first argument should be a Tensor, got ' .. torch.type(ta), 3) end
   if not torch.isTensor(tb) then error('torch.Tester: Second argument should be a Tensor, got ' .. torch.type(tb), 3) end
   local tol, m = tolerance_and_message(0, ...)
   local ok, sub = check.tensorsEq(ta, tb, tol, negate, self._assertTensorEqIgnoresDims)
   if self._assertTensorEqIgnoresDims and not negate and ok and not ta:isSameSizeAs(tb) then
      self:_warning('Tensors have the same content but different dimensions. For backwards compatibility, they '
         .. 'are considered equal, but this may change in the future. Consider using :eq to check for equality instead.')
   end
   return self:_assert_sub(ok, m .. (sub or ''))
end
function Tester:assertTensorEq(ta, tb, ...) return self:_tensorEqOrNeq(ta, tb, false, ...) end
function Tester:assertTensorNe(ta, tb, ...) return self:_tensorEqOrNeq(ta, tb, true, ...) end

function Tester:_tableEqOrNeq(ta, tb, negate, ...)
   if type(ta) ~= 'table' then error('torch.Tester: first argument should be a Table, got ' .. torch.type(ta), 3) end
   if type(tb) ~= 'table' then error('torch.Tester: Second argument should be a Table, got ' .. torch.type(tb), 3) end
   return self:_eqOrNeq(ta, tb, negate, ...)
end
function Tester:assertTableEq(ta, tb, ...) return self:_tableEqOrNeq(ta, tb, false, ...) end
function Tester:assertTableNe(ta, tb, ...) return self:_tableEqOrNeq(ta, tb, true, ...) end

function Tester:assertErrorObj(f, errcomp, ...)
   local m = message_of(...)
   local ok, err = pcall(f)
   return self:_assert_sub(not ok and errcomp(err), string.format('%sERROR violation: err=%s', m, tostring(err)))
end
function Tester:assertError(f, ...)
   return self:assertErrorObj(f, function() return true end, ...)
end
function Tester:assertErrorMsg(f, msg, ...)
   return self:assertErrorObj(f, function(err) return err == msg end, ...)
end
function Tester:assertErrorPattern(f, pattern, ...)
   return self:assertErrorObj(f, function(err) return type(err) == 'string' and err:find(pattern) ~= nil end, ...)
end
function Tester:assertNoError(f, ...)
   local m = message_of(...)
   local ok, err = pcall(f)
   return self:_assert_sub(ok, string.format('%sERROR violation: err=%s', m, tostring(err)))
end

-- Registration and running ----------------------------------------------

-- add(fn, name), add(TestSuite) or add(table of named functions).
function Tester:add(f, name)
   if type(f) == 'table' then
      if name ~= nil then error('torch.Tester:add: a name is not allowed with a table of tests', 2) end
      if f.__isTestSuite then
         f = f.__tests
      else
         self:_warning('Should use TestSuite rather than plain lua table')
      end
      for k, v in pairs(f) do
         if type(v) == 'table' then error('torch.Tester:add: Nested sets of tests are not supported', 2) end
         self:add(v, k)
      end
      return self
   end
   if type(f) ~= 'function' then
      error('torch.Tester:add: expected a function or a table of functions, got ' .. torch.type(f), 2)
   end
   if name == '_setUp' then
      if self._setUp then error('torch.Tester:add: Only one set-up function allowed', 2) end
      self._setUp = f
   elseif name == '_tearDown' then
      if self._tearDown then error('torch.Tester:add: Only one tear-down function allowed', 2) end
      self._tearDown = f
   else
      name = name or 'unknown'
      if self.tests[name] ~= nil then error('Test with name ' .. name .. ' already exists!', 2) end
      self.tests[name] = f
   end
   return self
end

function Tester:disable(names)
   if type(names) == 'string' then names = { names } end
   if type(names) ~= 'table' then error('torch.Tester:disable: expected a name or a list of names', 2) end
   for _, n in ipairs(names) do
      if not self.tests[n] then error("Unrecognized test '" .. tostring(n) .. "'", 2) end
      self.disabledTests[n] = true
   end
   return self
end

-- The tests to run: all, or those whose names match the given patterns.
function Tester:_getTests(names)
   if names == nil then return self.tests end
   if type(names) == 'string' then names = { names } end
   if type(names) ~= 'table' then error('torch.Tester:run: expected a name or a list of names (or nothing)', 3) end
   local tests = {}
   for _, pattern in ipairs(names) do
      local found = false
      for n, f in pairs(self.tests) do
         if n:match(pattern) then tests[n], found = f, true end
      end
      if not found then error("Couldn't find test '" .. pattern .. "'", 3) end
   end
   return tests
end

local function plural(n, word) return n .. ' ' .. word .. (n == 1 and '' or 's') end

local function sorted_names(tests)
   local names = {}
   for n in pairs(tests) do names[#names + 1] = tostring(n) end
   table.sort(names)
   return names
end

function Tester:_pcall(f)
   local nerr = #self.errors
   local ok, result = xpcall(f, debug.traceback)
   if not ok then
      self.errors[#self.errors + 1] = self._currentTestName .. '\n Function call failed\n' .. tostring(result) .. '\n'
   end
   return ok, result, ok and nerr == #self.errors
end

function Tester:_run(tests)
   local names = sorted_names(tests)
   local ntests = #names
   local width = #tostring(ntests)
   local cfmt = '%' .. width .. 'u/' .. ntests .. ' '
   io.write('Running ' .. plural(ntests, 'test') .. '\n')
   for i, name in ipairs(names) do
      self._currentTestName = name
      local head = string.format(cfmt, i) .. name .. ' '
         .. string.rep('.', NCOLS - 6 - 2 - (width * 2 + 2) - #name) .. ' '
      io.write(head .. '[WAIT]')
      io.flush()
      local ok, pass, skip = true, true, self.disabledTests[name]
      if not skip then
         if self._setUp then self._setUp(name) end
         if self.rethrow then
            local nerr = #self.errors
            tests[name]()
            pass = nerr == #self.errors
         else
            local _
            ok, _, pass = self:_pcall(tests[name])
         end
         if self._tearDown then self._tearDown(name) end
      end
      io.write('\r' .. head)
      if skip then
         io.write('[SKIP]')
      elseif not ok then
         self.testError[name] = 1
         io.write('[ERROR]')
      elseif not pass then
         io.write('[FAIL]')
      else
         io.write('[PASS]')
         if (self._warningCount[name] or 0) > 0 then
            io.write('\n' .. string.rep(' ', NCOLS - 10) .. '[+warning]')
         end
      end
      io.write('\n')
      io.flush()
      if self.earlyAbort and i < ntests and (not ok or not pass) and not skip then
         io.write('Aborting on first error, not all tests have been executed\n')
         break
      end
      collectgarbage()
   end
end

function Tester:_report(tests)
   local ntests, nfail, nerr, nskip, nwarn, nasserts = 0, 0, 0, 0, 0, 0
   for name in pairs(tests) do
      ntests = ntests + 1
      nasserts = nasserts + self.assertionFail[name] + self.assertionPass[name]
      if self.assertionFail[name] > 0 then nfail = nfail + 1 end
      if self.testError[name] > 0 then nerr = nerr + 1 end
      if (self._warningCount[name] or 0) > 0 then nwarn = nwarn + 1 end
      if self.disabledTests[name] then nskip = nskip + 1 end
   end
   nwarn = nwarn + (self._warningCount[''] or 0)
   self.countasserts = nasserts
   io.write('Completed ' .. plural(nasserts, 'assert') .. ' in ' .. plural(ntests, 'test') .. ' with '
      .. plural(nfail, 'failure') .. ' and ' .. plural(nerr, 'error'))
   if nwarn > 0 then io.write(' and ' .. plural(nwarn, 'warning')) end
   if nskip > 0 then io.write(' and ' .. nskip .. ' disabled') end
   io.write('\n')
   if self.summaryOnly then return end
   local dashes = string.rep('-', NCOLS) .. '\n'
   local first = true
   local function section(text)
      if first then io.write(dashes) first = false end
      io.write(text .. '\n' .. dashes)
   end
   for _, e in ipairs(self.errors) do section(e) end
   for _, w in ipairs(self.warnings) do section(w) end
end

-- run([names]): runs the tests (all, or those matching the names), prints
-- the report, and raises when a test failed or raised.
function Tester:run(names)
   local tests = self:_getTests(names)
   self.assertionPass, self.assertionFail, self.testError = {}, {}, {}
   for name in pairs(tests) do
      self.assertionPass[name], self.assertionFail[name], self.testError[name] = 0, 0, 0
      self._warningCount[name] = 0
   end
   self:_run(tests)
   self:_report(tests)
   for name in pairs(tests) do
      if self.assertionFail[name] ~= 0 or self.testError[name] ~= 0 then
         error('An error was found while running tests!', 2)
      end
   end
   return 0
end

-- torch.TestSuite(): a table of tests that refuses duplicate names.
function torch.TestSuite()
   local tests = {}
   return setmetatable({ __tests = tests, __isTestSuite = true }, {
      __index = function(_, k) return tests[k] end,
      __newindex = function(_, name, f)
         if tests[name] ~= nil then error('Test ' .. tostring(name) .. ' is already defined.', 2) end
         if type(f) ~= 'function' then error("Only functions can be added to a TestSuite, got " .. type(f), 2) end
         tests[name] = f
      end,
   })
end

return Tester
