-- th's print (nnlua.pretty): the recorded th_print fixture, nested, cyclic
-- and deep tables, tensors, storages and modules inside tables, plain values.
local spec = require 'tests.spec_util'
local pretty = require 'nnlua.pretty'
require 'nn'

local function read(path)
   local f = assert(io.open(path, 'rb'))
   local s = f:read('*a')
   f:close()
   return s
end

describe('print as th', function()
   local fixture = NNLUA_FIXTURES .. '/torch7/th_print.lua'
   local expected = read(NNLUA_FIXTURES .. '/torch7/th_print.expected')

   it('th_print.lua prints exactly th_print.expected with NNLUA_TH_PRINT=1', function()
      local out, rc = spec.run_nnlua_env('NNLUA_TH_PRINT=1', fixture)
      assert.are.equal(0, rc)
      assert.are.equal(expected, out)
   end)

   it('th_print.lua prints the same by default, less th\'s trailing tab after plain values', function()
      local out, rc = spec.run_nnlua(fixture)
      assert.are.equal(0, rc)
      assert.are.equal((expected:gsub('\t\n', '\n')), out)
   end)

   it('lays out nested tables with th\'s indentation, keys in a stable order', function()
      assert.are.equal('{\n  1 : 10\n  2 : "b"\n  x : \n    {\n      y : true\n    }\n  z : 2.5\n}\n',
         pretty.format({ 10, 'b', z = 2.5, x = { y = true } }))
      assert.are.equal('{}\n', pretty.format({}))
      -- an empty nested table, as th, is {...}
      assert.are.equal('{\n  e : {...}\n}\n', pretty.format({ e = {} }))
   end)

   it('bounds depth at th\'s five levels and marks cycles', function()
      local deep = { a = { b = { c = { d = { e = { f = 1 } } } } } }
      local s = pretty.format(deep)
      assert.are.equal(5, select(2, s:gsub('{\n', '')))
      assert.matches('                  e : {...}\n', s, 1, true)
      local c = { name = 'loop' }
      c.self = c
      s = pretty.format(c)
      assert.are.equal('{\n  name : "loop"\n  self : <cycle: ' .. tostring(c) .. '>\n}\n', s)
      -- a table reached twice without a cycle prints twice
      local shared = { 1 }
      assert.are.equal('{\n  a : \n    {\n      1 : 1\n    }\n  b : \n    {\n      1 : 1\n    }\n}\n',
         pretty.format({ a = shared, b = shared }))
   end)

   it('shows tensors and storages in tables by size, objects with __tostring through it', function()
      assert.are.equal('{\n  e : DoubleTensor - empty\n  f : FloatTensor - size: 2x3x4\n  l : LongStorage - size: 3\n}\n',
         pretty.format({ f = torch.FloatTensor(2, 3, 4), l = torch.LongStorage(3), e = torch.Tensor() }))
      local t = torch.Tensor { 1, 2 }
      assert.are.equal(tostring(t) .. '\n', pretty.format(t))
      local m = nn.Linear(2, 3)
      assert.are.equal('nn.Linear(2 -> 3)\n', pretty.format(m))
      assert.are.equal('a\tnn.Linear(2 -> 3)\nb\n', pretty.format('a', m, 'b'))
   end)

   it('prints plain values tab-separated, nil included, and a blank line for print()', function()
      assert.are.equal('plain\t1\tnil\ttrue\n', pretty.format('plain', 1, nil, true))
      assert.are.equal('x\t{\n  k : 1\n}\ny\n', pretty.format('x', { k = 1 }, 'y'))
      assert.are.equal('\n', pretty.format())
      assert.are.equal('nil\n', pretty.format(nil))
      local old = pretty.th_exact
      pretty.th_exact = true
      local a, b = pretty.format('plain', 1), pretty.format()
      pretty.th_exact = old
      assert.are.equal('plain\t1\t\n', a)
      assert.are.equal('', b)
   end)

   it('gives the REPL one value without the newline, to a chosen depth', function()
      assert.are.equal('str', pretty.value('str'))
      assert.are.equal('{\n  a : {...}\n}', pretty.value({ a = { b = 1 } }, 1))
   end)

   it('is print in scripts and -e code', function()
      local out = spec.run_nnlua([[-e "print({lr = 0.5, sizes = {3, 4}})"]])
      assert.are.equal('{\n  lr : 0.5\n  sizes : \n    {\n      1 : 3\n      2 : 4\n    }\n}\n', out)
   end)
end)
