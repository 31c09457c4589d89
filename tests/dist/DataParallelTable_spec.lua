-- nn.DataParallelTable: on CPU tensors (and one GPU) it is the plain
-- module: the same outputs, input gradients and parameter gradients as the
-- module alone; cunn's API (add once with GPU ids, threads, syncParameters,
-- type, tostring) and its errors. Replicas on several GPUs are pending:
-- this machine has fewer than 2.
require 'nn'

local function mlp(seed)
   torch.manualSeed(seed)
   return nn.Sequential():add(nn.Linear(4, 6)):add(nn.Tanh()):add(nn.Linear(6, 2))
end

describe('nn.DataParallelTable on the CPU', function()
   it('forwards and backwards as the plain module', function()
      local plain, inner = mlp(3), mlp(3)
      local dpt = nn.DataParallelTable(1):add(inner, { 1, 2 })
      local x = torch.randn(5, 4)
      local go = torch.randn(5, 2)
      local y1, y2 = plain:forward(x), dpt:forward(x)
      assert.are.same(y1:totable(), y2:totable())
      plain:zeroGradParameters()
      dpt:zeroGradParameters()
      local g1, g2 = plain:backward(x, go), dpt:backward(x, go)
      assert.are.same(g1:totable(), g2:totable())
      local _, gp1 = plain:getParameters()
      local _, gp2 = dpt:getParameters()
      assert.are.equal(4 * 6 + 6 + 6 * 2 + 2, gp2:nElement())
      assert.are.same(gp1:totable(), gp2:totable())
      assert.is_true(gp2:abs():sum() > 0)
      -- updateGradInput and accGradParameters with a scale, one by one
      dpt:zeroGradParameters()
      dpt:forward(x)
      assert.are.same(g1:totable(), dpt:updateGradInput(x, go):totable())
      dpt:accGradParameters(x, go, 2)
      assert.is_true((gp2 - gp1 * 2):abs():max() < 1e-12)
   end)

   it('syncParameters, threads and training modes keep the module\'s parameters', function()
      local dpt = nn.DataParallelTable(1):add(mlp(4), 1)
      local called = 0
      assert.are.equal(dpt, dpt:threads(function(i) called = called + i end))
      assert.are.equal(1, called)
      local p = dpt:getParameters():clone()
      assert.are.equal(dpt, dpt:syncParameters())
      dpt:evaluate()
      assert.is_false(dpt:get(1).train)
      dpt:training()
      assert.is_true(dpt:get(1).train)
      assert.are.same(p:totable(), dpt:getParameters():totable())
   end)

   it(':type converts the replica', function()
      local dpt = nn.DataParallelTable(1):add(mlp(5), { 1 })
      dpt:type('torch.FloatTensor')
      assert.are.equal('torch.FloatTensor', torch.type(dpt:get(1):get(1).weight))
      assert.are.equal('torch.FloatTensor', torch.type(dpt:forward(torch.randn(2, 4):float())))
   end)

   it('prints as cunn does', function()
      local m = nn.Linear(4, 2)
      local dpt = nn.DataParallelTable(1):add(m, { 1, 2 })
      assert.are.equal('DataParallelTable: 2 x ' .. tostring(m), tostring(dpt))
   end)

   it('raises for bad arguments, naming the method', function()
      assert.has_error(function() nn.DataParallelTable('x') end,
         'nn.DataParallelTable: dimension should be a positive integer (the batch dimension), got x')
      local dpt = nn.DataParallelTable(1)
      assert.has_error(function() dpt:forward(torch.randn(2, 4)) end,
         'nn.DataParallelTable:updateOutput: no module (call dpt:add(module, gpus) first)')
      assert.has_error(function() dpt:add(nn.Linear(4, 2), 'gpu') end,
         'nn.DataParallelTable:add: expected a table of GPU ids, e.g. {1, 2}, got string')
      assert.has_error(function() dpt:add(nn.Linear(4, 2), { 0 }) end,
         'nn.DataParallelTable:add: GPU ids are positive integers, got 0')
      dpt:add(nn.Linear(4, 2), { 1 })
      assert.has_error(function() dpt:add(nn.Linear(4, 2), { 2 }) end,
         'nn.DataParallelTable:add: add should only be called once with a table of GPU assignments')
   end)
end)

describe('nn.DataParallelTable on GPUs', function()
   local count, why = 0, nil
   local ok, cutorch = pcall(require, 'cutorch')
   if ok then count = cutorch.getDeviceCount() else why = tostring(cutorch) end

   it('with one GPU is the plain module on CUDA tensors', function()
      if count < 1 then return pending('no CUDA device: ' .. tostring(why)) end
      require 'cunn'
      local plain, dpt = mlp(6):cuda(), nn.DataParallelTable(1):add(mlp(6), { 1 }):cuda()
      local x = torch.randn(3, 4):cuda()
      assert.are.same(plain:forward(x):float():totable(), dpt:forward(x):float():totable())
   end)

   it('replicates on two GPUs with NCCL', function()
      if count < 2 then return pending('fewer than 2 GPUs (' .. count .. ' here)') end
      return pending('replicas on several GPUs of one process need cutorch beyond device 1 (not in this version)')
   end)
end)
