-- paths (file-system helpers), xlua.progress (non-TTY lines) and
-- nnlua.data (idx files, plain and gzipped; minibatches).
local paths = require 'paths'
require 'xlua'
local data = require 'nnlua.data'
local ffi = require 'ffi'

local function tmpdir()
   local d = os.tmpname()
   os.remove(d)
   assert(paths.mkdir(d))
   return d
end

local function write(path, s)
   local f = assert(io.open(path, 'wb'))
   f:write(s)
   f:close()
end

describe('paths', function()
   it('splits and joins names', function()
      assert.are.equal('/a/b', paths.dirname('/a/b/c.txt'))
      assert.are.equal('c.txt', paths.basename('/a/b/c.txt'))
      assert.are.equal('c', paths.basename('/a/b/c.txt', 'txt'))
      assert.are.equal('txt', paths.extname('/a/b/c.txt'))
      assert.is_nil(paths.extname('/a.b/c'))
      assert.are.equal('/x/y/z', paths.concat('/x', 'y/', 'z'))
      assert.are.equal('/abs', paths.concat('/x', '/abs'))
      assert.are.equal(paths.cwd() .. '/rel', paths.concat('rel'))
      assert.are.equal(os.getenv('HOME'), paths.home)   -- a string in Torch7
      assert.is_truthy(paths.thisfile():match('paths_xlua_data_spec%.lua$'))
   end)

   it('creates, lists and removes files and folders', function()
      local d = tmpdir()
      assert.is_true(paths.dirp(d))
      assert.is_false(paths.filep(d))
      assert.is_true(paths.mkdir(d .. '/sub'))
      write(d .. '/a.txt', 'x')
      write(d .. '/b.log', 'y')
      assert.is_true(paths.filep(d .. '/a.txt'))
      local files, dirs, all = {}, {}, {}
      for f in paths.iterfiles(d) do files[#files + 1] = f end
      for f in paths.iterdirs(d) do dirs[#dirs + 1] = f end
      for f in paths.files(d, '%.txt$') do all[#all + 1] = f end
      table.sort(files)
      assert.are.same({ 'a.txt', 'b.log' }, files)
      assert.are.same({ 'sub' }, dirs)
      assert.are.same({ 'a.txt' }, all)
      assert.are.same({ nil, "missing second argument ('yes')" }, { paths.rmall(d) })   -- Torch7's answer
      assert.is_true(paths.dirp(d))
      assert.is_true(paths.rmall(d, 'yes'))
      assert.is_false(paths.dirp(d))
   end)

   it('rejects non-strings', function()
      assert.has_error(function() paths.dirname({}) end, 'paths.dirname: expected a path string, got table')
      assert.has_error(function() paths.filep(nil) end, 'paths.filep: expected a path string, got nil')
   end)
end)

describe('xlua.progress', function()
   it('prints plain lines, about one per tenth, when not on a terminal', function()
      local lines = {}
      local old = print
      _G.print = function(s) lines[#lines + 1] = s end
      local ok, err = pcall(function() for i = 1, 50 do xlua.progress(i, 50) end end)
      _G.print = old
      assert(ok, err)
      if ffi.C.isatty(1) == 1 then return end   -- run from a terminal: the bar is drawn in place
      assert.is_true(#lines >= 10 and #lines <= 12)
      assert.is_truthy(lines[#lines]:match('^progress: 50/50 %(100%%%) | .* | ETA: .* | [%d.]+/s$'))
   end)
   it('rejects bad arguments', function()
      assert.has_error(function() xlua.progress('a', 3) end, 'xlua.progress: expected (current, total) numbers with total > 0')
   end)
end)

-- an idx file of unsigned bytes with the given sizes
local function idx(sizes, bytes)
   local h = { '\0\0\8', string.char(#sizes) }
   for _, n in ipairs(sizes) do
      h[#h + 1] = string.char(math.floor(n / 2 ^ 24) % 256, math.floor(n / 2 ^ 16) % 256, math.floor(n / 256) % 256, n % 256)
   end
   return table.concat(h) .. bytes
end

describe('nnlua.data', function()
   local d
   before_each(function() d = tmpdir() end)
   after_each(function() paths.rmall(d, 'yes') end)

   local function make(n, gz)
      local img, lab = {}, {}
      for i = 1, n * 4 do img[i] = string.char((i * 7) % 256) end
      for i = 1, n do lab[i] = string.char((i - 1) % 10) end
      write(d .. '/train-images-idx3-ubyte', idx({ n, 2, 2 }, table.concat(img)))
      write(d .. '/train-labels-idx1-ubyte', idx({ n }, table.concat(lab)))
      if gz then
         os.execute('gzip -f "' .. d .. '/train-images-idx3-ubyte" "' .. d .. '/train-labels-idx1-ubyte"')
      end
   end

   for _, gz in ipairs { false, true } do
      it('reads ' .. (gz and 'gzipped' or 'plain') .. ' idx files into the tutorials\' shape', function()
         make(12, gz)
         local t = data.load('train', d)
         assert.are.equal(12, t:size())
         assert.are.same({ 12, 1, 2, 2 }, t.data:size():totable())
         assert.are.equal('torch.FloatTensor', torch.type(t.data))
         assert.are.equal('torch.LongTensor', torch.type(t.labels))
         assert.are.equal(7 * 5 % 256, t.data[2][1][1][1])     -- byte 5 of the images
         assert.are.equal(1, t.labels[1])
         assert.are.equal(10, t.labels[10])
         local n = data.load('train', d, { normalize = true, max = 5, type = 'double' })
         assert.are.equal(5, n:size())
         assert.are.equal('torch.DoubleTensor', torch.type(n.data))
         assert.is_true(math.abs(n.data[1][1][1][1] - 7 / 255) < 1e-12)
      end)
   end

   it('iterates minibatches that cover every sample once, shuffled or in order', function()
      make(10, false)
      local t = data.load('train', d)
      local seen, sizes = {}, {}
      for x, y, done in data.batches(t, 4, true) do
         sizes[#sizes + 1] = x:size(1)
         assert.are.same({ x:size(1), 1, 2, 2 }, x:size():totable())
         for i = 1, y:size(1) do seen[#seen + 1] = x[i][1][1][1] end
         assert.are.equal(#seen, done)
      end
      assert.are.same({ 4, 4, 2 }, sizes)
      table.sort(seen)
      local want = {}
      for i = 1, 10 do want[i] = t.data[i][1][1][1] end
      table.sort(want)
      assert.are.same(want, seen)
      local first = data.batches(t, 3, false)()
      assert.are.equal(t.data[2][1][1][1], first[2][1][1][1])
   end)

   it('rejects bad files with messages', function()
      assert.has_error(function() data.readIdx(d .. '/none') end, 'data.readIdx: cannot open ' .. d .. '/none')
      write(d .. '/bad', 'abcdefgh')
      assert.has_error(function() data.readIdx(d .. '/bad') end,
         'data.readIdx: ' .. d .. '/bad: not an unsigned-byte idx file (magic 61 62 63 64)')
      write(d .. '/short', idx({ 5 }, 'ab'))
      assert.has_error(function() data.readIdx(d .. '/short') end,
         'data.readIdx: ' .. d .. '/short: truncated file (data: wanted 5 bytes, got 2)')
      assert.has_error(function() data.load('valid', d) end, "data.load: split should be 'train' or 'test'")
   end)
end)
