-- nnlua.data: MNIST / Fashion-MNIST idx files (gzipped or not) into
-- tensors shaped like the Torch7 tutorials' datasets:
--   d = data.load('train')      -- from the Debian package's folder
--   d.data   : FloatTensor N x 1 x 28 x 28 (0..255 unless normalised)
--   d.labels : LongTensor N, classes 1..10
--   d:size() : N
-- plus shuffled minibatch iteration.
local ffi = require 'ffi'
local torch = require 'torch'

local data = {}
data.default_dir = '/usr/share/datasets/fashion-mnist'
data.classes = { 'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag',
   'Ankle boot' }

local reg = debug.getregistry()
if not reg.nnlua_zlib_cdef then
   ffi.cdef [[
      typedef struct nl_gzfile *nl_gzFile;
      nl_gzFile gzopen(const char *path, const char *mode);
      int gzread(nl_gzFile file, void *buf, unsigned int len);
      int gzclose(nl_gzFile file);
   ]]
   reg.nnlua_zlib_cdef = true
end
local zlib
local function z()
   if not zlib then
      local ok, lib = pcall(ffi.load, 'z')
      if not ok then ok, lib = pcall(ffi.load, 'libz.so.1') end
      if not ok then error('nnlua.data: cannot load zlib (install zlib1g): ' .. tostring(lib), 3) end
      zlib = lib
   end
   return zlib
end

-- Reads an idx file (gzipped or plain: zlib reads both) into a ByteTensor
-- of the dimensions it declares. Only unsigned-byte idx data (MNIST's).
function data.readIdx(path)
   if type(path) ~= 'string' then error('data.readIdx: expected a file name, got ' .. type(path), 2) end
   local f = z().gzopen(path, 'rb')
   if f == nil then error('data.readIdx: cannot open ' .. path, 2) end
   local function read(buf, n, what)
      local got = zlib.gzread(f, buf, n)
      if got ~= n then
         zlib.gzclose(f)
         error(string.format('data.readIdx: %s: truncated file (%s: wanted %d bytes, got %d)', path, what, n, got), 3)
      end
   end
   local head = ffi.new('uint8_t[4]')
   read(head, 4, 'magic')
   if head[0] ~= 0 or head[1] ~= 0 or head[2] ~= 0x08 or head[3] < 1 or head[3] > 4 then
      zlib.gzclose(f)
      error(string.format('data.readIdx: %s: not an unsigned-byte idx file (magic %02x %02x %02x %02x)', path,
         head[0], head[1], head[2], head[3]), 2)
   end
   local ndim = head[3]
   local sizes = {}
   local b = ffi.new('uint8_t[4]')
   local total = 1
   for i = 1, ndim do
      read(b, 4, 'size')
      sizes[i] = ((b[0] * 256 + b[1]) * 256 + b[2]) * 256 + b[3]
      total = total * sizes[i]
   end
   if total > 2 ^ 33 then
      zlib.gzclose(f)
      error(string.format('data.readIdx: %s: declared size %d is implausible', path, total), 2)
   end
   local t = torch.ByteTensor(torch.LongStorage(sizes))
   local p = ffi.cast('uint8_t *', t:data())
   local off = 0
   while off < total do
      local chunk = math.min(total - off, 2 ^ 30)
      read(p + off, chunk, 'data')
      off = off + chunk
   end
   zlib.gzclose(f)
   return t
end

local function find(dir, stem)
   for _, name in ipairs { stem .. '.gz', stem } do
      local p = dir .. '/' .. name
      local fh = io.open(p, 'rb')
      if fh then fh:close() return p end
   end
   error(string.format('nnlua.data: %s(.gz) not found in %s (Debian package dataset-fashion-mnist)', stem, dir), 3)
end

local Dataset = {}
Dataset.__index = Dataset
function Dataset:size() return self.labels:size(1) end

-- data.load(split [, dir [, opts]]): split 'train' or 'test'. opts.max
-- keeps the first N samples; opts.type 'float' (default) or 'double';
-- opts.normalize scales to [0, 1].
function data.load(split, dir, opts)
   opts = opts or {}
   dir = dir or data.default_dir
   local stem = split == 'test' and 't10k' or 'train'
   if split ~= 'train' and split ~= 'test' then error("data.load: split should be 'train' or 'test'", 2) end
   local images = data.readIdx(find(dir, stem .. '-images-idx3-ubyte'))
   local labels = data.readIdx(find(dir, stem .. '-labels-idx1-ubyte'))
   if images:size(1) ~= labels:size(1) then
      error(string.format('nnlua.data: %d images but %d labels in %s', images:size(1), labels:size(1), dir), 2)
   end
   local n = images:size(1)
   if opts.max and opts.max < n then
      n = opts.max
      images, labels = images:narrow(1, 1, n), labels:narrow(1, 1, n)
   end
   local ty = opts.type == 'double' and 'torch.DoubleTensor' or 'torch.FloatTensor'
   local x = images:type(ty):view(n, 1, images:size(2), images:size(3))
   if opts.normalize then x:div(255) end
   local d = setmetatable({ data = x, labels = labels:long():add(1), classes = data.classes }, Dataset)
   return d
end

-- Iterates minibatches: for x, y, i in data.batches(d, 128, true) do ... end
-- x (batch x sample shape) and y are reused buffers (copy them to keep
-- them); shuffles when asked.
function data.batches(d, batchSize, shuffle)
   local n = d:size()
   local order = shuffle and torch.randperm(n):long() or torch.range(1, n):long()
   local feat = d.data[1]:nElement()
   local flat = d.data:view(n, feat)
   local x = d.data.new():resize(batchSize, feat)
   local y = torch.LongTensor(batchSize)
   local shape = d.data:size():totable()
   local i = 0
   return function()
      if i >= n then return nil end
      local b = math.min(batchSize, n - i)
      local idx = order:narrow(1, i + 1, b)
      x:resize(b, feat):index(flat, 1, idx)
      y:resize(b):index(d.labels, 1, idx)
      i = i + b
      -- each sample keeps its shape (1 x 28 x 28 for images)
      shape[1] = b
      return x:view(torch.LongStorage(shape)), y, i
   end
end

return data
