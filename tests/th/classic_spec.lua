-- A classic-style script, written as th users wrote them, run unchanged with
-- nnlua from another folder: torch.CmdLine then print(opt), a local module
-- required by name, sys timing, paths, a CSV file of results, xlua.progress.
local paths = require 'paths'

local function write(path, s)
   local f = assert(io.open(path, 'wb'))
   f:write(s)
   f:close()
end

local exe = paths.concat(NNLUA_ROOT, (os.getenv('NNLUA_BUILD') or 'build') .. '/nnlua')

describe('a classic script under nnlua', function()
   it('runs unchanged from another folder', function()
      local d = os.tmpname()
      os.remove(d)
      assert(paths.mkdir(d .. '/tutorial'))
      assert(paths.mkdir(d .. '/elsewhere'))
      finally(function() paths.rmall(d, 'yes') end)
      write(d .. '/tutorial/model.lua', [[
require 'nn'
local model = nn.Sequential()
model:add(nn.Linear(opt.inputs, 3))
model:add(nn.LogSoftMax())
return model
]])
      write(d .. '/tutorial/train.lua', [[
require 'torch'
require 'nn'
require 'csvigo'
cmd = torch.CmdLine()
cmd:option('-save', 'results', 'subdirectory to save/log experiments in')
cmd:option('-inputs', 4, 'input size')
cmd:option('-batchSize', 2, 'mini-batch size')
opt = cmd:parse(arg or {})
print(opt)
local model = dofile 'model.lua'
print(model)
torch.manualSeed(1)
local save = paths.concat(paths.dirname(paths.thisfile()), opt.save)
paths.mkdir(save)
local criterion = nn.ClassNLLCriterion()
local rows = {}
local t = sys.clock()
for i = 1, 4 do
   xlua.progress(i, 4)
   local x = torch.randn(opt.batchSize, opt.inputs)
   local y = torch.LongTensor(opt.batchSize):fill(1)
   rows[#rows + 1] = { i, criterion:forward(model:forward(x), y) > 0 and 'positive' or 'zero' }
end
csvigo.save { path = paths.concat(save, 'loss.csv'), data = rows, verbose = false }
print(sys.clock() - t >= 0, paths.filep(paths.concat(save, 'loss.csv')))
print(csvigo.load { path = paths.concat(save, 'loss.csv'), mode = 'raw', verbose = false }[4])
]])
      local p = io.popen('cd ' .. d .. '/elsewhere && ' .. exe .. ' ../tutorial/train.lua -inputs 5 2>&1; echo "rc=$?"')
      local out = p:read('*a')
      p:close()
      assert.matches('rc=0%s*$', out)
      out = out:gsub('rc=0%s*$', '')
      local lines = {}
      for l in out:gmatch('[^\n]*\n') do lines[#lines + 1] = l end
      assert.are.equal(table.concat({
         '{\n', '  batchSize : 2\n', '  inputs : 5\n', '  save : "results"\n', '}\n',
         'nn.Sequential {\n', '  [input -> (1) -> (2) -> output]\n', '  (1): nn.Linear(5 -> 3)\n', '  (2): nn.LogSoftMax\n', '}\n',
      }), table.concat(lines, '', 1, 10))
      -- the progress lines (output is a pipe), then the results
      assert.matches('^progress: 4/4 %(100%%%)', lines[#lines - 5])
      assert.are.equal('true\ttrue\n', lines[#lines - 4])
      assert.are.equal('{\n  1 : "4"\n  2 : "positive"\n}\n', table.concat(lines, '', #lines - 3))
      assert.is_true(paths.filep(d .. '/tutorial/results/loss.csv'))
   end)
end)
