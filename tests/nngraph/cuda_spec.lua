-- A gModule on CUDA (model:cuda()) against the same model on the CPU:
-- the char-rnn LSTM step, forward and backward. Pending, with the reason,
-- where no CUDA device is present.
local ok, why = pcall(require, 'cunn')
require 'nngraph'
local U = dofile(NNLUA_ROOT .. '/tests/nngraph/util.lua')
local lstm_cell = dofile(NNLUA_ROOT .. '/tests/nngraph/lstm_cell.lua')

describe('nngraph on CUDA', function()
   if not ok then
      it('needs a CUDA device', function() pending('no CUDA device here: ' .. tostring(why)) end)
      return
   end

   it('an LSTM step gives the CPU results', function()
      torch.manualSeed(51)
      local cpu = lstm_cell(5, 4, 2, { output_size = 3 })
      local gpu = cpu:clone():cuda()
      local input = { torch.randn(3, 5) }
      for _ = 1, 4 do input[#input + 1] = torch.randn(3, 4) end
      local go = U.randomLike(cpu:forward(input))
      local function to_gpu(x)
         if torch.isTensor(x) then return x:cuda() end
         local r = {}
         for i = 1, #x do r[i] = to_gpu(x[i]) end
         return r
      end
      cpu:zeroGradParameters()
      gpu:zeroGradParameters()
      local out = gpu:forward(to_gpu(input))
      assert.are.equal('torch.CudaTensor', out[1]:type())
      assert.is_true(U.maxdiff(out, cpu:forward(input)) < 1e-5)
      local gi = gpu:backward(to_gpu(input), to_gpu(go))
      assert.is_true(U.maxdiff(gi, cpu:backward(input, go)) < 1e-5)
      local _, gg = gpu:parameters()
      local _, cg = cpu:parameters()
      assert.is_true(U.maxdiff(gg, cg) < 1e-4)
   end)
end)
