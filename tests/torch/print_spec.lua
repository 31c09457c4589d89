-- Printing: the recorded Torch7 fixture byte for byte, and hand-derived
-- outputs of Torch7's rules (formats, scale lines, column blocks, slice
-- order), on contiguous and non-contiguous tensors and on storages.
local torch = require 'torch'

local fixdir = NNLUA_FIXTURES .. '/torch7'

-- Runs build/nnlua with args from directory dir: output and exit status.
local function run_in(dir, args)
   local root = NNLUA_ROOT:sub(1, 1) == '/' and NNLUA_ROOT or os.getenv('PWD') .. '/' .. NNLUA_ROOT
   local nnlua = root .. '/' .. (os.getenv('NNLUA_BUILD') or 'build') .. '/nnlua'
   local p = io.popen('cd ' .. dir .. ' && ' .. nnlua .. ' ' .. args .. ' 2>&1; echo "rc=$?"')
   local out = p:read('*a')
   p:close()
   local rc = tonumber(out:match('rc=(%d+)%s*$'))
   return (out:gsub('rc=%d+%s*$', '')), rc
end

local function read(path)
   local f = assert(io.open(path))
   local s = f:read('*a')
   f:close()
   return s
end

describe('Torch7 fixture', function()
   it('printing.lua prints exactly printing.expected', function()
      local out, rc = run_in(fixdir, 'printing.lua')
      assert.are.equal(0, rc)
      assert.are.equal(read(fixdir .. '/printing.expected'), out)
   end)

   it('printing.lua with the linspace line built by hand (printing alone)', function()
      local script = read(fixdir .. '/printing.lua')
      local n
      script, n = script:gsub('torch%.linspace%(1, 40, 40%)',
         '(function() local x = torch.Tensor(40) for i = 1, 40 do x[i] = i end return x end)()')
      assert.are.equal(1, n)
      local tmp = os.tmpname()
      local f = assert(io.open(tmp, 'w'))
      f:write(script)
      f:close()
      local out, rc = run_in(fixdir, tmp)
      os.remove(tmp)
      assert.are.equal(0, rc)
      assert.are.equal(read(fixdir .. '/printing.expected'), out)
   end)
end)

local function rep(s, n, sep)
   local t = {}
   for i = 1, n do t[i] = s end
   return table.concat(t, sep)
end

describe('tensor formats', function()
   it('vectors: integers, fixed point, widths, scale and e notation', function()
      assert.are.equal(' 1\n 2\n[torch.IntTensor of size 2]\n', tostring(torch.IntTensor { 1, 2 }))
      assert.are.equal('-1.5000\n 2.2500\n[torch.DoubleTensor of size 2]\n', tostring(torch.Tensor { -1.5, 2.25 }))
      assert.are.equal(' 123.4560\n[torch.DoubleTensor of size 1]\n', tostring(torch.Tensor { 123.456 }))
      assert.are.equal('100000 *\n 1.2346\n[torch.DoubleTensor of size 1]\n', tostring(torch.Tensor { 123456.7 }))
      assert.are.equal('1e+06 *\n 1.2346\n[torch.DoubleTensor of size 1]\n', tostring(torch.Tensor { 1234567.8 }))
      assert.are.equal(' 1.0000e-150\n  1.0000e+00\n[torch.DoubleTensor of size 2]\n',
         tostring(torch.Tensor { 1e-150, 1 }))
      assert.are.equal(' 1.0000e+10\n 1.0000e+00\n[torch.LongTensor of size 2]\n', tostring(torch.LongTensor { 1e10, 1 }))
      assert.are.equal(' 0\n 0\n[torch.DoubleTensor of size 2]\n', tostring(torch.Tensor(2):zero()))
      assert.are.equal('[torch.FloatTensor with no dimension]\n', tostring(torch.FloatTensor()))
   end)

   it('matrices: scale line and row indentation', function()
      assert.are.equal('0.001 *\n  1.0000  2.0000\n  3.0000  4.0000\n[torch.DoubleTensor of size 2x2]\n',
         tostring(torch.Tensor { { 0.001, 0.002 }, { 0.003, 0.004 } }))
   end)

   it('matrices wider than 80 characters are split in column blocks', function()
      local row10, row5 = rep(' 1.5000', 10, ' '), rep(' 1.5000', 5, ' ')
      local want = 'Columns 1 to 10\n' .. row10 .. '\n' .. row10 .. '\n'
         .. '\nColumns 11 to 20\n' .. row10 .. '\n' .. row10 .. '\n'
         .. '\nColumns 21 to 25\n' .. row5 .. '\n' .. row5 .. '\n'
         .. '[torch.DoubleTensor of size 2x25]\n'
      assert.are.equal(want, tostring(torch.Tensor(2, 25):fill(1.5)))
   end)

   it('slices of 4-D tensors come first index fastest, as in Torch7', function()
      local t = torch.Tensor { 1, 2, 3, 4 }:view(2, 2, 1, 1)
      local want = '(1,1,.,.) = \n  1\n\n(2,1,.,.) = \n  3\n\n(1,2,.,.) = \n  2\n\n(2,2,.,.) = \n  4\n'
         .. '[torch.DoubleTensor of size 2x2x1x1]\n'
      assert.are.equal(want, tostring(t))
   end)

   it('one format for all slices of a 3-D tensor (from all its values)', function()
      local t = torch.Tensor { { { 1 } }, { { 0.5 } } }
      assert.are.equal('(1,.,.) = \n  1.0000\n\n(2,.,.) = \n  0.5000\n[torch.DoubleTensor of size 2x1x1]\n', tostring(t))
   end)

   it('non-contiguous views print their own elements in order', function()
      local m = torch.Tensor { { 1, 2, 3 }, { 4, 5, 6 } }
      assert.are.equal(' 1  4\n 2  5\n 3  6\n[torch.DoubleTensor of size 3x2]\n', tostring(m:t()))
      local v = torch.Tensor { 1000000.5, 1, 2 }:narrow(1, 2, 2)   -- the big value is outside the view
      assert.are.equal(' 1\n 2\n[torch.DoubleTensor of size 2]\n', tostring(v))
      assert.are.equal(' 2\n 5\n[torch.DoubleTensor of size 2]\n', tostring(m:select(2, 2)))
      local e = torch.Tensor { 7 }:expand(3)
      assert.are.equal(' 7\n 7\n 7\n[torch.DoubleTensor of size 3]\n', tostring(e))
      assert.are.equal(tostring(m:t():clone()), tostring(m:t()))
   end)

   it('float tensors print their double values; print() uses the same text', function()
      assert.are.equal(' 0.1000\n[torch.FloatTensor of size 1]\n', tostring(torch.FloatTensor { 0.1 }))
      local out = run_in('.', '-e "print(torch.ShortTensor { 3 })"')
      assert.are.equal(' 3\n[torch.ShortTensor of size 1]\n\n', out)
   end)
end)

describe('storage formats', function()
   it('prints values and the size line', function()
      assert.are.equal(' 1.5000\n-2.0000\n[torch.FloatStorage of size 2]\n', tostring(torch.FloatStorage { 1.5, -2 }))
      assert.are.equal('   0\n 255\n[torch.ByteStorage of size 2]\n', tostring(torch.ByteStorage { 0, 255 }))
      assert.are.equal('[torch.DoubleStorage of size 0]\n', tostring(torch.DoubleStorage()))
      assert.are.equal('0.001 *\n 5.0000\n[torch.DoubleStorage of size 1]\n', tostring(torch.DoubleStorage { 0.005 }))
      assert.are.equal(' 2\n 3\n[torch.LongStorage of size 2]\n', tostring(torch.Tensor(2, 3):size()))
   end)
end)
