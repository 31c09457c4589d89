-- csvigo: round trips with quoting, the four load modes, queries, save
-- modes, separators, headers, errors (values as Torch7's csvigo gave them).
local csvigo = require 'csvigo'
local paths = require 'paths'

local function write(path, s)
   local f = assert(io.open(path, 'wb'))
   f:write(s)
   f:close()
end
local function read(path)
   local f = assert(io.open(path, 'rb'))
   local s = f:read('*a')
   f:close()
   return s
end

describe('csvigo', function()
   local d
   before_each(function()
      d = paths.tmpname()
      os.remove(d)
      paths.mkdir(d)
      write(d .. '/t.csv', 'name,age,note\r\nann,31,"says ""hi"", twice"\r\nbob,27,plain\r\ncid,31,\r\n')
   end)
   after_each(function() paths.rmall(d, 'yes') end)

   it('loads raw rows, unquoting fields and dropping \\r', function()
      local raw = csvigo.load { path = d .. '/t.csv', mode = 'raw', verbose = false }
      assert.are.same({ { 'name', 'age', 'note' }, { 'ann', '31', 'says "hi", twice' }, { 'bob', '27', 'plain' },
         { 'cid', '31', '' } }, raw)
   end)

   it('loads tidy columns with the header, or var_i names without one', function()
      local t = csvigo.load { path = d .. '/t.csv', verbose = false }
      assert.are.same({ name = { 'ann', 'bob', 'cid' }, age = { '31', '27', '31' }, note = { 'says "hi", twice', 'plain', '' } }, t)
      write(d .. '/n.csv', '1 2\n3   4\n')
      t = csvigo.load { path = d .. '/n.csv', separator = ' ', verbose = false }
      assert.are.same({ var_1 = { '1', '3' }, var_2 = { '2', '4' } }, t)
      local names
      names, t = csvigo.load { path = d .. '/t.csv', verbose = false, column_order = true }
      assert.are.same({ 'name', 'age', 'note' }, names)
      t = csvigo.load { path = d .. '/t.csv', verbose = false, header = false, skip = 1 }
      assert.are.same({ 'ann', 'bob', 'cid' }, t.var_1)
   end)

   it('answers queries', function()
      local q = csvigo.load { path = d .. '/t.csv', mode = 'query', verbose = false }
      assert.are.same({ name = { 'ann', 'cid' }, age = { '31', '31' }, note = { 'says "hi", twice', '' } },
         q('union', { age = 31 }))
      assert.are.same({ name = { 'ann', 'bob' }, age = { '31', '27' }, note = { 'says "hi", twice', 'plain' } },
         q('union', { name = { 'ann', 'bob' } }))
      assert.are.same({ name = { 'cid' }, age = { '31' }, note = { '' } }, q('inter', { age = '31', name = 'cid' }))
      assert.are.same({ 'name', 'age', 'note' }, q('vars'))
      assert.are.equal(3, #q('all').name)
      assert.has_error(function() q('bogus') end, "csvigo query: unknown query 'bogus' (all, vars, union, inter, help)")
   end)

   it('reads large files row by row', function()
      local l = csvigo.load { path = d .. '/t.csv', mode = 'large', verbose = false }
      assert.are.equal(4, l:size())
      assert.are.same({ 'ann', '31', 'says "hi", twice' }, l[2])
      assert.has_error(function() return l[5] end, 'csvigo large table: index 5 out of bounds 1..4')
   end)

   it('saves raw and tidy tables with quoting, and reads them back', function()
      local rows = { { 'a,b', 'c"d', 'plain' }, { 1, 2.5, '' } }
      csvigo.save { path = d .. '/r.csv', data = rows, verbose = false }
      assert.are.equal('"a,b","c""d",plain\n1,2.5,\n', read(d .. '/r.csv'))
      assert.are.same({ { 'a,b', 'c"d', 'plain' }, { '1', '2.5', '' } },
         csvigo.load { path = d .. '/r.csv', mode = 'raw', verbose = false })
      csvigo.save { path = d .. '/t2.csv', data = { y = { 1, 2 }, x = { 'p;q', 'r' } }, separator = ';', verbose = false }
      assert.are.equal('x;y\n"p;q";1\nr;2\n', read(d .. '/t2.csv'))
      csvigo.save { path = d .. '/t3.csv', data = { y = { 1, 2 }, x = { 3, 4 } }, column_order = { 'y', 'x' },
         header = false, verbose = false }
      assert.are.equal('1,3\n2,4\n', read(d .. '/t3.csv'))
      local q = csvigo.load { path = d .. '/t.csv', mode = 'query', verbose = false }
      csvigo.save { path = d .. '/q.csv', data = q, column_order = { 'name', 'age', 'note' }, verbose = false }
      assert.are.equal('name,age,note\nann,31,"says ""hi"", twice"\nbob,27,plain\ncid,31,\n', read(d .. '/q.csv'))
   end)

   it('prints Torch7\'s progress lines when verbose', function()
      local lines = {}
      local old = _G.print
      _G.print = function(...) lines[#lines + 1] = table.concat({ ... }, '\t') end
      local ok, err = pcall(csvigo.load, { path = d .. '/t.csv' })
      _G.print = old
      assert(ok, err)
      assert.are.same({ '<csv>\tparsing file: ' .. d .. '/t.csv', '<csv>\ttidying up entries', '<csv>\treturning tidy table' }, lines)
   end)

   it('says what is wrong', function()
      assert.has_error(function() csvigo.load { mode = 'raw' } end, 'csvigo.load: missing argument path (path to the file)')
      assert.has_error(function() csvigo.load { path = d .. '/t.csv', mode = 'fast', verbose = false } end,
         "csvigo.load: unknown mode 'fast' (expected raw, tidy, query or large)")
      assert.has_error(function() csvigo.load { path = d .. '/none.csv', verbose = false } end,
         'csvigo.load: ' .. d .. '/none.csv: No such file or directory')
      write(d .. '/bad.csv', 'a,"b\n')
      assert.has_error(function() csvigo.load { path = d .. '/bad.csv', mode = 'raw', verbose = false } end,
         'csvigo: unmatched \'"\' in line: a,"b')
      assert.has_error(function() csvigo.save { path = d .. '/x.csv', data = 3, verbose = false } end,
         'csvigo.save: data should be a table or a query function, got number')
   end)
end)
