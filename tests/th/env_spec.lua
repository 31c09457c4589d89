-- th's environment in the nnlua program: globals before the script runs,
-- Penlight's lapp, require of local files from another folder, one clear
-- line for packages nnlua does not provide, sys.COLORS when piped.
local spec = require 'tests.spec_util'
local paths = require 'paths'

local function write(path, s)
   local f = assert(io.open(path, 'wb'))
   f:write(s)
   f:close()
end

local exe = paths.concat(NNLUA_ROOT, (os.getenv('NNLUA_BUILD') or 'build') .. '/nnlua')

-- runs nnlua from folder dir; output (stdout and stderr) and status
local function run_in(dir, args)
   local p = io.popen('cd ' .. dir .. ' && ' .. exe .. ' ' .. args .. ' 2>&1; echo "rc=$?"')
   local out = p:read('*a')
   p:close()
   local rc = tonumber(out:match('rc=(%d+)%s*$'))
   return (out:gsub('rc=%d+%s*$', '')), rc
end

describe('th environment', function()
   local d
   before_each(function()
      d = os.tmpname()
      os.remove(d)
      assert(paths.mkdir(d))
   end)
   after_each(function() paths.rmall(d, 'yes') end)

   it('has torch, paths, sys, xlua, Penlight and table.unpack before the script runs', function()
      write(d .. '/g.lua', [[
print(type(torch.Tensor), type(paths.concat), type(sys.clock), type(xlua.progress), type(lapp), type(stringx.split))
print(table.unpack({1, 2, 3}))
print(table.pack(1, nil, 3).n)
print(("%5.2f|%s") % {3.14159, 'a'})
print(rawget(_G, 'nn') == nil)
]])
      local out, rc = run_in(d, 'g.lua')
      assert.are.equal(0, rc)
      assert.are.equal('table\tfunction\tfunction\tfunction\ttable\tfunction\n1\t2\t3\n3\n 3.14|a\ntrue\n', out)
      out, rc = run_in(d, [[-e "print(type(sys.tic), type(xlua.OptionParser))"]])
      assert.are.equal('function\tfunction\n', out)
   end)

   it("makes paths a global once torch is required", function()
      local out = run_in(d, [[-e "print(rawget(_G, 'paths') == package.loaded.paths and package.loaded.torch ~= nil)"]])
      assert.are.equal('true\n', out)
   end)

   it('parses a command line with lapp as th scripts did', function()
      write(d .. '/l.lua', [[
local opt = lapp [=[
Training
   -r,--learningRate (default 0.05) learning rate
   -b,--batchSize    (default 10)   batch size
   -s,--save         (default "logs") folder
   --cuda                            use CUDA
]=]
print(opt.learningRate, opt.batchSize, opt.save, opt.cuda)
]])
      local out, rc = run_in(d, 'l.lua -r 0.5 --save out')
      assert.are.equal(0, rc)
      assert.are.equal('0.5\t10\tout\tfalse\n', out)
      out, rc = run_in(d, 'l.lua --cuda -b 32')
      assert.are.equal('0.05\t32\tlogs\ttrue\n', out)
   end)

   it('finds ./x.lua, ./x/init.lua, x.lua by name and ./rel files from another folder', function()
      assert(paths.mkdir(d .. '/prog/lib'))
      assert(paths.mkdir(d .. '/work/pkg'))
      write(d .. '/prog/lib/helper.lua', "return { here = paths.thisfile() }")
      write(d .. '/prog/sibling.lua', "return 'sibling ' .. select('#', ...)")
      write(d .. '/work/x.lua', "return 'x from the current folder'")
      write(d .. '/work/pkg/init.lua', "return 'pkg/init.lua'")
      write(d .. '/work/y.lua', "return 'y.lua by name'")
      write(d .. '/prog/main.lua', [[
local h = require './lib/helper'
print(h.here)
print(require('./lib/helper') == h)
print(require 'x')
print(require 'pkg')
print(require 'y.lua')
print(dofile 'sibling.lua')
print(paths.dofile('sibling.lua'))
print(paths.thisfile('data.t7'))
print(require('./lib/net').weight:size(1))
]])
      require 'nn'
      torch.save(d .. '/prog/lib/net.net', nn.Linear(2, 7))
      local out, rc = run_in(d .. '/work', '../prog/main.lua')
      assert.are.equal(0, rc)
      local real = paths.concat(d)
      assert.are.equal(table.concat({
         real .. '/prog/lib/helper.lua', 'true', 'x from the current folder', 'pkg/init.lua', 'y.lua by name',
         'sibling 0', 'sibling 0', real .. '/prog/data.t7', '7', '' }, '\n'), out)
   end)

   it('says in one line which packages nnlua does not provide and what to use', function()
      local out, rc = run_in(d, [[-e "require 'threads'"]])
      assert.are.equal(1, rc)
      assert.are.equal("nnlua: (command line):1: module 'threads' is not provided by nnlua: tensor operations " ..
         'already use every core (OpenMP); load data in the main loop', out:match('^[^\n]*'))
      assert.is_nil(out:find('no file', 1, true))
      out = run_in(d, [[-e "print(pcall(require, 'qtwidget'))"]])
      assert.are.equal("false\tmodule 'qtwidget' is not provided by nnlua: there is no Qt window system: " ..
         'image.display and gnuplot write PNG files and say where\n', out)
      out = run_in(d, [[-e "print(select(2, pcall(require, 'fbcunn')))"]])
      assert.matches("^module 'fbcunn' is not provided by nnlua: use the nn modules, on the GPU", out)
      -- an unknown name keeps Lua's own message (where it looked)
      out = run_in(d, [[-e "print(select(2, pcall(require, 'nosuchpkg')))"]])
      assert.matches("^module 'nosuchpkg' not found:", out)
      -- trepl and env just work
      out = run_in(d, [[-e "print(type(require 'trepl'), require('env') ~= nil)"]])
      assert.are.equal('function\ttrue\n', out)
   end)

   it("has th's setprintlevel, import and who", function()
      local out, rc = run_in(d, [[-e "x_user = 5; who(); setprintlevel(2); print({a = {b = {c = 1}}}); import 'math'; print(floor(2.5)); setprintlevel(0); print(type(print))"]])
      assert.are.equal(0, rc)
      assert.are.equal('== User Variables ==\n[x_user] = number\n==\n{\n  a : \n    {\n      b : {...}\n    }\n}\n2\nfunction\n', out)
   end)

   it('gives empty sys.COLORS when stdout is a pipe', function()
      local out = run_in(d, [[-e "print('[' .. sys.COLORS.red .. sys.COLORS.none .. ']', #sys.ANSI_COLORS.red)"]])
      assert.are.equal('[]\t7\n', out)
   end)
end)
