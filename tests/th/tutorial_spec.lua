-- A classic tutorial pipeline run unchanged from another folder: YUV and
-- per-channel normalisation, SpatialContrastiveNormalization with
-- image.gaussian1D, a CmdLine-driven loop with ConfusionMatrix, Logger plots
-- through gnuplot, xlua.progress, ascii torch.save/load, image.display.
local spec = require 'tests.helper'

local function png_ok(path)
   local f = io.open(path, 'rb')
   if not f then return false end
   local head = f:read(8)
   local size = f:seek('end')
   f:close()
   return head == '\137PNG\r\n\26\n' and size > 100
end

describe('an SVHN-style tutorial script', function()
   it('runs from another folder and writes its logs, plots and displayed images there', function()
      local dir = os.tmpname()
      os.remove(dir)
      os.execute('mkdir -p ' .. dir)
      finally(function() os.execute('rm -rf ' .. dir) end)
      local ph = io.popen('cd ' .. NNLUA_ROOT .. ' && pwd')
      local root = ph:read('*l')
      ph:close()
      local script = root .. '/tests/th/data/svhn_style.lua'
      local exe = root .. '/' .. (os.getenv('NNLUA_BUILD') or 'build') .. '/nnlua'
      local p = io.popen(string.format('cd %s && %s %s -epochs 2 2>&1; echo "rc=$?"', dir, exe, script))
      local out = p:read('*a')
      p:close()
      assert.is_truthy(out:match('rc=0%s*$'), out)
      -- print(opt) as th printed it
      assert.is_truthy(out:match('{\n  batchSize : 8\n'), out)
      assert.is_truthy(out:match('ConfusionMatrix:\n%[%['), out)
      assert.is_truthy(out:match('%+ global correct: [%d%.]+%%'), out)
      local acc = tonumber(out:match('final test accuracy ([%d%.]+)'))
      assert.is_truthy(acc and acc >= 0 and acc <= 100, out)
      for _, f in ipairs { 'train.log', 'test.log', 'train.t7' } do
         assert.is_truthy(io.open(dir .. '/results/' .. f), f)
      end
      -- the plots: gnuplot's when it is installed, the built-in drawing otherwise
      assert.is_true(png_ok(dir .. '/results/train.log.png'))
      assert.is_true(png_ok(dir .. '/results/test.log.png'))
      assert.is_true(png_ok(dir .. '/display/image-1.png'))
      assert.is_truthy(out:match('display/image%-1%.png'), out)
   end)
end)
