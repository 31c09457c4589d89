-- examples/char-rnn.lua end to end on its shipped text (a child process,
-- a small model, a few seconds): the loss falls from ln(vocabulary), the
-- checkpoint resumes, and the sampler writes text that starts with the
-- prime text.
local spec = require 'tests.spec_util'

describe('examples/char-rnn.lua', function()
   it('trains (the loss falls), saves, resumes and samples', function()
      local ck = os.tmpname()
      local small = '-rnn_size 64 -num_layers 1 -seq_length 20 -batch_size 16 -print_every 10'
      local out, rc = spec.run_nnlua('examples/char-rnn.lua ' .. small .. ' -iters 40 -gpu -save ' .. ck)
      assert.are.equal(0, rc, out)
      assert.is_truthy(out:find('genesis.txt: 205380 characters, vocabulary of 70', 1, true), out)
      assert.is_truthy(out:find('-gpu: no CUDA device found; running on the CPU', 1, true) or
         out:find('running on CUDA', 1, true), out)
      assert.is_truthy(out:find('40/40 %(epoch [%d.]+%), train_loss = [%d.]+, grad/param norm = [%d.e+-]+, '
         .. 'time/batch = [%d.]+s'), out)
      local first, last = out:match('loss: first batch ([%d.]+), last batch ([%d.]+)')
      first, last = tonumber(first), tonumber(last)
      -- the first batch costs about ln(70) = 4.25 nats a character
      assert.is_true(first and math.abs(first - math.log(70)) < 0.15, out)
      assert.is_true(last < first - 0.8, out)
      assert.is_truthy(out:find('saved ' .. ck, 1, true), out)

      out, rc = spec.run_nnlua('examples/char-rnn.lua -seq_length 20 -batch_size 16 -iters 10 -print_every 5 -resume ' .. ck)
      assert.are.equal(0, rc, out)
      assert.is_truthy(out:find('resumed from ' .. ck .. ' after 40 batches', 1, true), out)
      assert.is_truthy(out:find('50/50 (epoch', 1, true), out)
      local l2 = tonumber(out:match('last batch ([%d.]+)'))
      assert.is_true(l2 < first - 0.8, out)

      out, rc = spec.run_nnlua('examples/char-rnn.lua -iters 0 -sample -primetext "And God" -temperature 0.8 '
         .. '-length 120 -resume ' .. ck)
      assert.are.equal(0, rc, out)
      local sample = out:match('%-%-%- sample %(temperature 0.8%) %-%-%-\n(.*)$')
      assert.is_truthy(sample, out)
      sample = sample:gsub('\n$', '')
      assert.are.equal('And God', sample:sub(1, 7))
      assert.are.equal(7 + 120, #sample)
      os.remove(ck)
   end)

   it('names a prime text character outside the vocabulary', function()
      local out, rc = spec.run_nnlua('examples/char-rnn.lua -rnn_size 8 -num_layers 1 -seq_length 5 -batch_size 2 '
         .. '-iters 1 -sample -primetext "~" -length 5')
      assert.are_not.equal(0, rc)
      assert.is_truthy(out:find('"~" is not in the vocabulary', 1, true), out)
   end)
end)
