-- The lecture snippets (shared/seeds 000-003) as written, with values
-- checked: modules by hand and through nn.Sequential, the SVHN 2-layer
-- net with its feval closure and optim.sgd, the Threshold net with
-- getParameters and gradtheta:zero(), nn.ReLU on torch.rand(5) - 0.5.
require 'nn'
require 'optim'

describe('lecture snippets', function()
   it('forward and backward by hand equal nn.Sequential', function()
      torch.manualSeed(3)
      local m1, m2 = nn.Linear(4, 3), nn.Tanh()
      local input = torch.randn(4)
      local hid = m1:forward(input)
      local out = m2:forward(hid):clone()
      local outg = torch.randn(3)
      local hidg = m2:backward(hid, outg)
      local ing = m1:backward(input, hidg):clone()
      local model = nn.Sequential()
      model:add(m1)
      model:add(m2)
      assert.are.same(out:totable(), model:forward(input):totable())
      assert.are.same(ing:totable(), model:backward(input, outg):totable())
      -- and against the formulas: out = tanh(W in + b)
      local ref = torch.tanh(torch.mv(m1.weight, input):add(m1.bias))
      assert.is_true((ref - out):abs():max() < 1e-12)
   end)

   it('nn.ReLU on torch.rand(5) - 0.5', function()
      torch.manualSeed(5)
      local x = torch.rand(5) - 0.5
      local y = nn.ReLU():forward(x)
      for i = 1, 5 do assert.are.equal(math.max(x[i], 0), y[i]) end
   end)

   it('the Threshold net with getParameters and gradtheta:zero()', function()
      torch.manualSeed(7)
      local ninput, nhidden, noutput = 6, 5, 3
      local net = nn.Sequential()
      net:add(nn.Linear(ninput, nhidden))
      net:add(nn.Threshold())
      net:add(nn.Linear(nhidden, noutput))
      net:add(nn.LogSoftMax())
      local cost = nn.ClassNLLCriterion()
      local theta, gradtheta = net:getParameters()
      assert.are.equal(ninput * nhidden + nhidden + nhidden * noutput + noutput, theta:nElement())
      local input, target = torch.randn(ninput), 2
      local output = net:forward(input)
      local c = cost:forward(output, target)
      assert.is_true(math.abs(c + output[target]) < 1e-15)
      gradtheta:zero()
      local gradoutput = cost:backward(output, target)
      net:backward(input, gradoutput)
      -- the flat gradient is the modules' gradients
      assert.are.equal(net:get(3).gradBias[2], gradtheta[ninput * nhidden + nhidden + nhidden * noutput + 2])
      -- a step on theta moves the weights
      local before = net:get(1).weight[1][1]
      theta:add(-0.1, gradtheta)
      assert.is_true(math.abs(net:get(1).weight[1][1] - (before - 0.1 * gradtheta[1])) < 1e-15)
   end)

   it('the 2-layer net trains with the feval closure and optim.sgd', function()
      torch.manualSeed(9)
      local noutputs, nfeats, width, height = 10, 3, 4, 4
      local ninputs = nfeats * width * height
      local nhiddens = 20
      local model = nn.Sequential()
      model:add(nn.Reshape(ninputs))
      model:add(nn.Linear(ninputs, nhiddens))
      model:add(nn.Tanh())
      model:add(nn.Linear(nhiddens, noutputs))
      model:add(nn.LogSoftMax())
      local criterion = nn.ClassNLLCriterion()
      local parameters, gradParameters = model:getParameters()
      local optimState = { learningRate = 0.1 }
      -- a synthetic, learnable dataset: the class is the argmax of 10 features
      local N = 200
      local data = torch.randn(N, nfeats, width, height)
      local labels = torch.LongTensor(N)
      for i = 1, N do
         local _, k = data[i]:view(ninputs):narrow(1, 1, 10):max(1)
         labels[i] = k[1]
      end
      local function loss()
         local f = 0
         for i = 1, N do f = f + criterion:forward(model:forward(data[i]), labels[i]) end
         return f / N
      end
      local first = loss()
      local batchSize = 10
      for epoch = 1, 15 do
         for t = 1, N, batchSize do
            local inputs, targets = {}, {}
            for i = t, t + batchSize - 1 do
               inputs[#inputs + 1] = data[i]
               targets[#targets + 1] = labels[i]
            end
            local feval = function(x)
               parameters:copy(x)
               gradParameters:zero()
               local f = 0
               for i = 1, #inputs do
                  local output = model:forward(inputs[i])
                  local err = criterion:forward(output, targets[i])
                  f = f + err
                  local df_do = criterion:backward(output, targets[i])
                  model:backward(inputs[i], df_do)
               end
               gradParameters:div(#inputs)
               f = f / #inputs
               return f, gradParameters
            end
            optim.sgd(feval, parameters, optimState)
         end
      end
      local last = loss()
      assert.is_true(last < first * 0.5, string.format('loss went from %.3f to %.3f', first, last))
   end)
end)
