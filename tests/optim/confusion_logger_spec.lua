-- optim.ConfusionMatrix (counts, accuracies, Torch7's printed layout) and
-- optim.Logger (Torch7's text log, the PNG plot).
require 'optim'
local paths = require 'paths'

describe('optim.ConfusionMatrix', function()
   it('counts add and batchAdd (scores, classes, one-hot) with rows as targets', function()
      local c = optim.ConfusionMatrix(3)
      c:add(2, 1)                                       -- prediction 2, target 1
      c:add(torch.DoubleTensor { 0.1, 0.2, 0.7 }, 3)    -- scores: prediction 3
      c:add(torch.DoubleTensor { 0.9, 0, 0 }, torch.DoubleTensor { 0, 1, 0 })
      c:batchAdd(torch.DoubleTensor { { 5, 1, 0 }, { 0, 0, 2 } }, torch.LongTensor { 1, 2 })
      c:batchAdd(torch.LongTensor { 3, 3 }, torch.DoubleTensor { { 0, 0, 1 }, { 1, 0, 0 } })
      c:add(1, 0)                                       -- non-positive target: missing
      local want = { { 1, 1, 1 }, { 1, 0, 1 }, { 0, 0, 2 } }
      for t = 1, 3 do for p = 1, 3 do assert.are.equal(want[t][p], c.mat[t][p]) end end
      assert.are.equal('torch.LongTensor', torch.type(c.mat))
      c:updateValids()
      assert.is_true(math.abs(c.totalValid - 3 / 7) < 1e-12)
      assert.is_true(math.abs(c.valids[1] - 1 / 3) < 1e-7 and c.valids[2] == 0 and c.valids[3] == 1)
      assert.is_true(math.abs(c.averageValid - (1 / 3 + 0 + 1) / 3) < 1e-7)
      -- union: diag / (row + column - diag)
      assert.is_true(math.abs(c.unionvalids[3] - 2 / 4) < 1e-7)
      c:zero()
      assert.are.equal(0, c.mat:sum())
      assert.are.equal(0, c.totalValid)
   end)

   it('batchAdd on a non-contiguous score matrix equals add one by one', function()
      torch.manualSeed(3)
      local scores = torch.rand(10, 20):t()            -- 20 x 10, transposed
      local targets = torch.LongTensor(20):random(1, 10)
      local a, b = optim.ConfusionMatrix(10), optim.ConfusionMatrix(10)
      a:batchAdd(scores, targets)
      for i = 1, 20 do b:add(scores[i], targets[i]) end
      assert.are.equal(0, (a.mat - b.mat):abs():sum())
   end)

   it('prints Torch7\'s layout', function()
      local c = optim.ConfusionMatrix({ 'cat', 'dog' })
      c:add(1, 1); c:add(1, 1); c:add(2, 1); c:add(2, 2)
      local want = 'ConfusionMatrix:\n'
         .. '[[       2       1]   66.667% \t[class: cat]\n'
         .. ' [       0       1]]  100.000% \t[class: dog]\n'
         .. ' + average row correct: ' .. (((2 / 3 + 1) / 2) * 100) .. '% \n'
         .. ' + average rowUcol correct (VOC measure): ' .. (((2 / 3 + 1 / 2) / 2) * 100) .. '% \n'
         .. ' + global correct: 75%'
      local got = tostring(c)
      -- the valids are floats, as in Torch7: compare the averages loosely
      local head = got:match('^(.-) %+ average')
      assert.are.equal(want:match('^(.-) %+ average'), head)
      assert.is_truthy(got:find(' + global correct: 75%', 1, true))
      local avg = tonumber(got:match('average row correct: ([%d.]+)%%'))
      assert.is_true(math.abs(avg - 250 / 3) < 1e-4)
      -- without class names, and with wide counts
      local d = optim.ConfusionMatrix(2)
      for _ = 1, 3 do d:add(1, 1) end
      d.mat[2][2] = 123456789
      assert.are.equal('ConfusionMatrix:\n[[' .. ('%10d%10d'):format(3, 0) .. ']   100.000% \n [' .. ('%10d'):format(0) .. ' 123456789]]  100.000% \n',
         tostring(d):match('^(.-) %+'))
   end)

   it('rejects bad inputs', function()
      assert.has_error(function() optim.ConfusionMatrix('x') end,
         'optim.ConfusionMatrix: expected a number of classes or a table of class names')
      local c = optim.ConfusionMatrix(3)
      assert.has_error(function() c:add(4, 1) end, 'optim.ConfusionMatrix: prediction 4 is not a class index in 1..3')
      assert.has_error(function() c:batchAdd(torch.LongTensor { 1, 2 }, torch.LongTensor { 1 }) end,
         'optim.ConfusionMatrix:batchAdd: 2 predictions for 1 targets')
      assert.has_error(function() c:batchAdd(torch.LongTensor { 1, 5 }, torch.LongTensor { 1, 1 }) end,
         'optim.ConfusionMatrix:batchAdd: a prediction is outside 1..3')
      assert.has_error(function() c:batchAdd(torch.DoubleTensor(2, 2, 2), torch.LongTensor { 1, 1 }) end,
         'optim.ConfusionMatrix:batchAdd: predictions should be 1D or 2D, got 3D')
   end)
end)

local function tmpdir()
   local d = os.tmpname()
   os.remove(d)
   return d
end

local function read(path)
   local f = assert(io.open(path, 'rb'))
   local s = f:read('*a')
   f:close()
   return s
end

local function be32(s, i)
   local a, b, c, d = s:byte(i, i + 3)
   return ((a * 256 + b) * 256 + c) * 256 + d
end

describe('optim.Logger', function()
   it('writes Torch7\'s text log with setNames, creating the folder', function()
      local dir = tmpdir()
      local path = dir .. '/sub/train.log'
      local l = optim.Logger(path)
      l:setNames { 'train error', 'test error' }
      l:add { 0.5, 0.25 }
      l:add { 1234.5, -1e-7 }
      assert.are.equal('train error\ttest error\t\n 5.0000e-01\t 2.5000e-01\t\n 1.2345e+03\t-1.0000e-07\t\n', read(path))
      paths.rmall(dir, 'yes')
   end)

   it('writes named symbols (sorted) and strings', function()
      local dir = tmpdir()
      local l = optim.Logger(dir .. '/a.log')
      l:add { loss = 2, acc = 'x' }
      l:add { loss = 1, acc = 'y' }
      assert.are.equal('acc\tloss\t\nx\t 2.0000e+00\t\ny\t 1.0000e+00\t\n', read(dir .. '/a.log'))
      assert.are.same({ 2, 1 }, l.symbols.loss)
      paths.rmall(dir, 'yes')
   end)

   it('plots a PNG next to the log', function()
      local dir = tmpdir()
      local l = optim.Logger(dir .. '/p.log')
      l:setNames { 'a', 'b' }
      for i = 1, 20 do l:add { 1 / i, 2 / i } end
      l:style { '-', '+-' }
      local out = l:plot()
      assert.are.equal(dir .. '/p.log.png', out)
      local png = read(out)
      assert.are.equal('\137PNG\r\n\26\n', png:sub(1, 8))
      assert.are.equal('IHDR', png:sub(13, 16))
      assert.are.equal(640, be32(png, 17))
      assert.are.equal(400, be32(png, 21))
      assert.are.equal('IEND', png:sub(-8, -5))
      -- a second plot of one series, log scale, other size
      l:setlogscale(true)
      l.plotWidth, l.plotHeight = 320, 200
      l:plot('b')
      png = read(out)
      assert.are.equal(320, be32(png, 17))
      assert.are.equal(200, be32(png, 21))
      paths.rmall(dir, 'yes')
   end)

   it('draws the curve: pixels of the first colour exist', function()
      local pngmod = require 'optim.png'
      local c = pngmod.canvas(20, 10)
      c:line(0, 0, 19, 9, { 255, 0, 0 })
      local r, g, b = c:get(0, 0)
      assert.are.same({ 255, 0, 0 }, { r, g, b })
      r, g, b = c:get(19, 9)
      assert.are.same({ 255, 0, 0 }, { r, g, b })
      r, g, b = c:get(19, 0)
      assert.are.same({ 255, 255, 255 }, { r, g, b })
   end)

   it('rejects bad inputs', function()
      local dir = tmpdir()
      local l = optim.Logger(dir .. '/e.log')
      assert.has_error(function() l:add(3) end, 'optim.Logger:add: expected a table of values, got number')
      assert.has_error(function() l:add { x = {} } end, 'optim.Logger:add: can only log numbers and strings, got a table for x')
      l:add { x = 1 }
      assert.has_error(function() l:add { y = 1 } end, 'optim.Logger:add: unknown symbol y (not in the first add or setNames)')
      assert.has_error(function() l:style { x = 3 } end,
         'optim.Logger:style: style should be a string or a table of strings, got number')
      assert.has_error(function() l:plot('z') end, 'optim.Logger:plot: unknown symbol z')
      assert.has_error(function() optim.Logger(3) end, 'optim.Logger: expected a file name (a string), got number')
      paths.rmall(dir, 'yes')
   end)
end)
