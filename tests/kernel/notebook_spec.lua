-- A notebook in the classic iTorch style (tests/kernel/classic.ipynb, its
-- metadata naming the `itorch` kernelspec as old notebooks do) executed
-- end to end by `jupyter nbconvert --execute` (nbclient) on the nnlua
-- kernel; every output cell is asserted. Printed values were recorded from
-- Torch7 running the same code.
local cjson = require 'cjson'
local J = dofile(NNLUA_ROOT .. '/tests/kernel/jupyter_env.lua')

-- the first n bytes of a base64 string
local function unbase64(s, n)
   local alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
   local bits, nbits, out = 0, 0, {}
   for i = 1, #s do
      local v = alphabet:find(s:sub(i, i), 1, true)
      if not v then break end
      bits, nbits = bits * 64 + (v - 1), nbits + 6
      if nbits >= 8 then
         nbits = nbits - 8
         local b = math.floor(bits / 2 ^ nbits)
         out[#out + 1] = string.char(b)
         bits = bits - b * 2 ^ nbits
         if #out >= n then break end
      end
   end
   return table.concat(out)
end

local function be32(s, i)
   local a, b, c, d = s:byte(i, i + 3)
   return ((a * 256 + b) * 256 + c) * 256 + d
end

local function text(v) return type(v) == 'table' and table.concat(v) or v end

describe('a classic iTorch notebook under nbconvert --execute', function()
   local env, nb, out, cells

   lazy_setup(function()
      env = J.setup()
      local rc
      out, rc = J.sh('{ ' .. env.prefix .. ' jupyter nbconvert --to notebook --execute --stdout'
         .. ' --ExecutePreprocessor.timeout=120 ' .. J.quote(NNLUA_ROOT .. '/tests/kernel/classic.ipynb')
         .. ' 2>' .. J.quote(env.dir .. '/nbconvert.log') .. '; }')
      local ok, v = pcall(cjson.decode, out)
      nb = ok and rc == 0 and v or nil
      cells = {}
      if nb then
         for _, c in ipairs(nb.cells) do
            if c.cell_type == 'code' then cells[#cells + 1] = c end
         end
      end
   end)
   lazy_teardown(function() J.teardown(env) end)

   local function outputs(i)
      assert.is_table(nb, 'nbconvert failed: ' .. out:sub(1, 2000))
      return cells[i].outputs
   end
   local function only(i, kind)
      local o = outputs(i)
      assert.are.equal(1, #o, cjson.encode(o))
      assert.are.equal(kind, o[1].output_type)
      return o[1]
   end

   it('runs every cell on the itorch kernelspec, in order', function()
      assert.is_table(nb, 'nbconvert failed: ' .. out:sub(1, 2000) .. J.read(env.dir .. '/nbconvert.log'):sub(1, 2000))
      assert.are.equal('itorch', nb.metadata.kernelspec.name)
      assert.are.equal(13, #cells)
      for i, c in ipairs(cells) do assert.are.equal(i, c.execution_count) end
   end)

   it('prints from the first cell (require \'itorch\' works)', function()
      assert.are.equal('ready\n', text(only(1, 'stream').text))
   end)

   it('shows tensors and modules in Torch7\'s format', function()
      assert.are.equal(' 1  2\n 3  4\n[torch.DoubleTensor of size 2x2]\n', text(only(2, 'execute_result').data['text/plain']))
      assert.are.equal('54\n', text(only(3, 'stream').text))
      assert.are.equal('nn.Sequential {\n  [input -> (1) -> (2) -> (3) -> output]\n  (1): nn.Linear(2 -> 4)\n'
         .. '  (2): nn.Tanh\n  (3): nn.Linear(4 -> 1)\n}', text(only(4, 'execute_result').data['text/plain']))
   end)

   it('trains with optim.sgd to Torch7\'s numbers', function()
      assert.are.equal('loss: 1.0584 -> 0.0000\n', text(only(5, 'stream').text))
      assert.are.equal('-1.0006\n 1.0015\n 1.0016\n-1.0023\n[torch.DoubleTensor of size 4x1]\n',
         text(only(6, 'execute_result').data['text/plain']))
   end)

   it('shows itorch.image inline as PNG', function()
      local function png_of(i)
         local found
         for _, o in ipairs(outputs(i)) do
            if o.output_type == 'display_data' and o.data['image/png'] then found = o end
         end
         assert.is_table(found, cjson.encode(outputs(i)))
         return unbase64(text(found.data['image/png']), 24)
      end
      local head = png_of(7)
      assert.are.equal('\137PNG\r\n\26\n', head:sub(1, 8))
      assert.are.equal('IHDR', head:sub(13, 16))
      assert.are.equal(24, be32(head, 17))   -- width
      assert.are.equal(16, be32(head, 21))   -- height
      assert.are.equal('\137PNG\r\n\26\n', png_of(8):sub(1, 8))
   end)

   it('draws the loss curve with itorch.Plot inline', function()
      local drawn
      for _, x in ipairs(outputs(9)) do
         if x.output_type == 'display_data' then drawn = x.data['text/html'] or x.data['image/png'] end
      end
      assert.truthy(drawn, cjson.encode(outputs(9)):sub(1, 500))
      if type(drawn) == 'table' then drawn = table.concat(drawn) end
      assert.truthy(drawn:find('MSE loss', 1, true) or drawn:match('^iVBORw0KGgo'), drawn:sub(1, 300))
   end)

   it('shows image.display, gnuplot and optim.Logger:plot() inline as PNG', function()
      for i = 11, 13 do
         local head
         for _, o in ipairs(outputs(i)) do
            if o.output_type == 'display_data' and o.data['image/png'] then head = unbase64(text(o.data['image/png']), 8) end
         end
         assert.are.equal('\137PNG\r\n\26\n', head, 'cell ' .. i .. ': ' .. cjson.encode(outputs(i)):sub(1, 500))
      end
   end)

   it('shows itorch.html as HTML', function()
      local html
      for _, o in ipairs(outputs(10)) do
         if o.output_type == 'display_data' then html = text(o.data['text/html']) end
      end
      assert.are.equal('<b>done</b>', html)
   end)
end)
