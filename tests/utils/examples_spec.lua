-- The example scripts run end to end on a slice of Fashion-MNIST (child
-- processes, a few seconds in all): each exits 0 and prints its result,
-- and the results beat chance (10%) by a margin.
local spec = require 'tests.spec_util'
local data = require 'nnlua.data'

local have = io.open(data.default_dir .. '/train-images-idx3-ubyte.gz') or io.open(data.default_dir .. '/train-images-idx3-ubyte')
if have then have:close() end

describe('examples', function()
   if not have then
      it('need Fashion-MNIST', function() pending('no dataset in ' .. data.default_dir .. ' (scripts/setup installs it)') end)
      return
   end

   it('train.lua trains the MLP and the LeNet, saves and resumes', function()
      local ck = os.tmpname()
      local out, rc = spec.run_nnlua('examples/train.lua -epochs 1 -maxTrain 3000 -maxTest 1000 -quiet -log "" -save ' .. ck)
      assert.are.equal(0, rc, out)
      local acc = tonumber(out:match('test accuracy: ([%d.]+)%%'))
      assert.is_true(acc and acc > 60, out)
      out, rc = spec.run_nnlua('examples/train.lua -epochs 1 -maxTrain 3000 -maxTest 1000 -quiet -log "" -resume ' .. ck)
      assert.are.equal(0, rc, out)
      assert.is_truthy(out:find('resumed from .* after epoch 1'))
      assert.is_truthy(out:find('epoch 2:'))
      os.remove(ck)
      out, rc = spec.run_nnlua('examples/train.lua -model lenet -epochs 1 -maxTrain 1000 -maxTest 500 -quiet -log ""')
      assert.are.equal(0, rc, out)
      acc = tonumber(out:match('test accuracy: ([%d.]+)%%'))
      assert.is_true(acc and acc > 40, out)
   end)

   it('the seed tutorials run: logistic regression, regularised MLP, denoising autoencoder', function()
      local cases = {
         { 'examples/logistic_regression.lua -maxTrain 3000 -epochs 2', 'test error ([%d.]+)%%' },
         { 'examples/mlp_regularized.lua -maxTrain 2000 -epochs 1 -hidden 50', 'test error ([%d.]+)%%' },
      }
      for _, c in ipairs(cases) do
         local out, rc = spec.run_nnlua(c[1])
         assert.are.equal(0, rc, out)
         local err = tonumber(out:match(c[2]))
         assert.is_true(err and err < 70, c[1] .. '\n' .. out)
      end
      local out, rc = spec.run_nnlua('examples/denoising_autoencoder.lua -maxTrain 2000 -pretrainEpochs 1 -finetuneEpochs 1 -hidden 50')
      assert.are.equal(0, rc, out)
      local acc = tonumber(out:match('global correct: ([%d.]+)%%'))
      assert.is_true(acc and acc > 30, out)
   end)

   it('train.lua rejects an unknown model with a clear message', function()
      local out, rc = spec.run_nnlua('examples/train.lua -model resnet -maxTrain 100 -quiet -log ""')
      assert.are_not.equal(0, rc)
      assert.is_truthy(out:find('unknown %-model resnet %(mlp | lenet | logreg%)'))
   end)
end)
