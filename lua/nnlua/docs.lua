-- nnlua.docs: short usage lines and descriptions for help() and ?name in
-- the REPL. Packages may add entries with docs.add(name, usage, doc).
local docs = { entries = {} }

function docs.add(name, usage, doc)
   docs.entries[name] = { usage = usage, doc = doc }
end

-- Finds the entry by name, or by identity of the object (help(nn.Linear)).
function docs.lookup(name, obj)
   if name and docs.entries[name] then return docs.entries[name] end
   if obj ~= nil then
      for _, root in ipairs { 'torch', 'nn', 'optim' } do
         local pkg = package.loaded[root]
         if type(pkg) == 'table' then
            for k, v in pairs(pkg) do
               if rawequal(v, obj) and docs.entries[root .. '.' .. k] then return docs.entries[root .. '.' .. k] end
            end
         end
      end
   end
   return nil
end

local A = docs.add
A('torch.Tensor', 'torch.Tensor([sizes...] | table | storage [, offset, sizes, strides] | tensor)',
   'A tensor of the default type (torch.DoubleTensor). With sizes: uninitialised; with a table: its values; with a tensor: a view of it.')
A('torch.randn', 'torch.randn([res,] m [, n, k, ...])', 'Tensor of normally distributed numbers (mean 0, std 1).')
A('torch.rand', 'torch.rand([res,] m [, n, k, ...])', 'Tensor of numbers uniformly distributed in [0, 1).')
A('torch.zeros', 'torch.zeros([res,] m [, n, k, ...])', 'Tensor filled with zeros.')
A('torch.ones', 'torch.ones([res,] m [, n, k, ...])', 'Tensor filled with ones.')
A('torch.mm', 'torch.mm([res,] A, B)', 'Matrix product of the 2D tensors A (n x m) and B (m x p).')
A('torch.manualSeed', 'torch.manualSeed(seed)', 'Seeds the random generator (MT19937); the same seed gives Torch7\'s numbers.')
A('torch.save', 'torch.save(filename, object [, format])', 'Writes object in Torch7\'s format ("binary" or "ascii"), atomically.')
A('torch.load', 'torch.load(filename [, format])', 'Reads an object saved by torch.save or by Torch7.')
A('torch.setnumthreads', 'torch.setnumthreads(n)', 'Threads used by OpenMP kernels and OpenBLAS.')
A('nn.Linear', 'nn.Linear(inputSize, outputSize [, bias = true])', 'Applies y = Wx + b to 1D or batch (2D) input.')
A('nn.Sequential', 'nn.Sequential()', 'Container that feeds each module\'s output to the next. Methods add, insert, remove, get, size.')
A('nn.ClassNLLCriterion', 'nn.ClassNLLCriterion([weights, sizeAverage, ignoreIndex])', 'Negative log likelihood of log-probabilities (use after LogSoftMax); targets are class indices 1..n.')
A('optim.sgd', 'x, {f} = optim.sgd(feval, x [, config [, state]])', 'Stochastic gradient descent: learningRate, learningRateDecay, weightDecay, momentum, dampening, nesterov.')

return docs
