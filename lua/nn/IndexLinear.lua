-- nn.IndexLinear(inputSize, outputSize, [doGradInput], [keysOffset],
-- [weight], [bias], [normalize]): a Linear layer over sparse inputs given
-- as keys (feature numbers, 1-based plus keysOffset) and values:
--   {keys (LongTensor n), values (n)}                  one sample
--   {{keys_1, ..., keys_B}, {values_1, ..., values_B}}  a batch
--   {keys (all samples), values, sizes (LongTensor B)}  a flat batch
-- weight inputSize x (outputSize [+ 4]): with normalize, each feature row
-- starts with 4 numbers (largest |value| seen in training, its inverse,
-- an update scale, a feature bias) and values are divided by the first
-- (clamped to +-1 beyond it) before the product. Gradients stay sparse:
-- accGradParameters keeps one dense row per key in running.gradWeight,
-- updateParameters applies them to the rows used, zeroGradParameters
-- forgets them (Torch7's IndexLinear). Lua over tensor operations.
local torch = require 'torch'
local nn = require 'nn'

local IndexLinear, parent = torch.class('nn.IndexLinear', 'nn.Module')

function IndexLinear:__init(inputSize, outputSize, doGradInput, keysOffset, weight, bias, normalize)
   parent.__init(self)
   -- as in Torch7, a new IndexLinear is in neither mode: normalisation
   -- maxima are updated only after training()
   self.train = nil
   self.normalize = normalize and 4 or 0
   if not weight and (type(inputSize) ~= 'number' or type(outputSize) ~= 'number' or inputSize < 1 or outputSize < 1)
   then
      torch._core.raise(string.format('nn.IndexLinear: expected positive inputSize and outputSize, got %s, %s',
         tostring(inputSize), tostring(outputSize)))
   end
   self.weight = weight or torch.Tensor(inputSize, outputSize + self.normalize):zero()
   self.bias = bias or torch.Tensor(outputSize):zero()
   self.inputSize = self.weight:size(1)
   self.outputSize = self.weight:size(2) - self.normalize
   if self.bias:nElement() ~= self.outputSize then
      torch._core.raise(string.format('nn.IndexLinear: the bias has %d elements, the weight %d outputs',
         self.bias:nElement(), self.outputSize))
   end
   self.gradWeight = torch.Tensor()
   self.gradBias = torch.Tensor(self.outputSize):zero()
   self.gradWeightBuffer = torch.Tensor()
   self.valuesBuffer = torch.Tensor()
   self.normalizedValues = torch.Tensor()
   self.running = { cumSumSizes = {}, keys = {}, gradWeight = {}, counter = 1 }
   self.sizesCache = {}
   self.cumSumSizesCache = {}
   self.weightDecay = 0
   self.doGradInput = doGradInput or false
   self.offset = keysOffset and keysOffset - 1 or -1
end

function IndexLinear:reset(stdv)
   if stdv then stdv = stdv * math.sqrt(3) else stdv = 1 / math.sqrt(self.weight:size(2)) end
   self.weight:uniform(-stdv, stdv)
   self.bias:uniform(-stdv, stdv):mul(0.000001)
   if self.normalize > 0 then self.weight:narrow(2, 1, self.normalize):zero() end
   return self
end

local function fail(self, msg) nn.utils.moduleError(self, msg) end

-- keys (LongTensor), values, sizes (LongTensor B) of any input form
function IndexLinear:_flatten(input)
   if torch.type(input) ~= 'table' or (#input ~= 2 and #input ~= 3) then
      fail(self, 'expected {keys, values}, {{keys...}, {values...}} or {keys, values, sizes}, got ' .. torch.type(input))
   end
   local keys, values, sizes
   if #input == 3 then
      keys, values = input[1], input[2]
      sizes = torch.isTensor(input[3]) and input[3]:long() or torch.LongTensor { input[3] }
      if not torch.isTensor(keys) or not torch.isTensor(values) or keys:dim() ~= 1 or keys:nElement() ~= values:nElement()
      then
         fail(self, 'flat keys and values must be 1D tensors of the same size')
      end
      if sizes:sum() ~= keys:nElement() then
         fail(self, string.format('the sizes add up to %d, but there are %d keys', sizes:sum(), keys:nElement()))
      end
      self.isFlat, self.noBatch = true, false
   elseif torch.type(input[1]) == 'table' and torch.type(input[2]) == 'table' then
      local lk, lv = input[1], input[2]
      if #lk ~= #lv or #lk == 0 then fail(self, 'expected as many key tensors as value tensors, and at least one') end
      sizes = torch.LongTensor(#lk)
      for i = 1, #lk do
         if not torch.isTensor(lk[i]) or not torch.isTensor(lv[i]) or lk[i]:dim() ~= 1 or lv[i]:dim() ~= 1 or
            lk[i]:nElement() ~= lv[i]:nElement() then
            fail(self, string.format('sample %d: keys and values should be 1D tensors of the same size', i))
         end
         sizes[i] = lk[i]:nElement()
      end
      keys, values = torch.cat(lk, 1), torch.cat(lv, 1)
      self.lkeys, self.lvalues = lk, lv
      self.isFlat, self.noBatch = false, false
   elseif torch.isTensor(input[1]) and torch.isTensor(input[2]) then
      keys, values = input[1], input[2]
      if keys:dim() ~= 1 or values:dim() ~= 1 or keys:nElement() ~= values:nElement() then
         fail(self, string.format('keys %s and values %s should be 1D tensors of the same size',
            nn.utils.shapeStr(keys), nn.utils.shapeStr(values)))
      end
      sizes = torch.LongTensor { keys:nElement() }
      self.isFlat, self.noBatch = false, true
   else
      fail(self, 'wrong input format: expected {keys, values}, {{keys...}, {values...}} or {keys, values, sizes}')
   end
   keys = keys:long()
   if keys:nElement() > 0 then
      local lo, hi = keys:min() + self.offset + 1, keys:max() + self.offset + 1
      if lo < 1 or hi > self.inputSize then
         fail(self, string.format('key %d is outside the %d features (keysOffset %d)', (lo < 1 and keys:min() or
            keys:max()), self.inputSize, self.offset + 1))
      end
   end
   local counter = self.running.counter
   self.running.keys[counter] = keys:clone()
   self.keys = self.running.keys[counter]
   self.values = values:type(self.weight:type()):contiguous()
   self.sizes = sizes
   self.cumSumSizes = torch.cumsum(sizes)
   self.running.cumSumSizes[counter] = self.cumSumSizes
   -- the sample of each key, and its weight row
   local sample = torch.LongTensor(keys:nElement())
   local at = 1
   for b = 1, sizes:nElement() do
      if sizes[b] > 0 then sample:narrow(1, at, sizes[b]):fill(b) end
      at = at + sizes[b]
   end
   self._sample = sample
   self._rows = self.keys + (self.offset + 1)
end

-- normalize: each value divided by its feature's largest |value| (kept up
-- to date, key by key, once training() was called: a new module's train
-- is unset, as in Torch7) plus the feature bias
function IndexLinear:_normalizeValues()
   local n = self.values:nElement()
   local nv = self.normalizedValues:resize(n)
   local W = self.weight
   for j = 1, n do
      local r, v = self._rows[j], self.values[j]
      local a = math.abs(v)
      if self.train then
         if a > W[r][1] then
            W[r][1] = a
            W[r][2] = 1 / a
         end
         W[r][3] = 1
      end
      local x = a > W[r][1] and (v < 0 and -1 or (v > 0 and 1 or 0)) or v * W[r][2]
      nv[j] = x + W[r][4]
   end
   return nv
end

function IndexLinear:updateOutput(input)
   self:_flatten(input)
   local B, nOut = self.sizes:nElement(), self.outputSize
   local vals = self.normalize > 0 and self:_normalizeValues() or self.values
   self.output:resize(B, nOut):copy(self.bias:view(1, nOut):expand(B, nOut))
   if vals:nElement() > 0 then
      local w = self.weight:index(1, self._rows):narrow(2, self.normalize + 1, nOut)
      w:cmul(vals:view(-1, 1):expandAs(w))
      self.output:indexAdd(1, self._sample, w)
   end
   if self.noBatch then self.output = self.output:view(nOut) end
   return self.output
end

-- one dense gradient row per key: scale * value * gradOutput of its sample
-- (with normalize: scale * gradOutput first, for the feature bias)
function IndexLinear:_keyGradients(gradOutput, scale)
   local nOut = self.outputSize
   local go = gradOutput:view(-1, nOut)
   if go:size(1) ~= self.sizes:nElement() then
      fail(self, string.format('gradOutput has size %s, expected %d x %d', nn.utils.shapeStr(gradOutput),
         self.sizes:nElement(), nOut))
   end
   local vals = self.normalize > 0 and self.normalizedValues or self.values
   local n = vals:nElement()
   local g = self.weight.new(n, nOut * (self.normalize > 0 and 2 or 1))
   if n > 0 then
      local gs = go:index(1, self._sample):mul(scale)
      if self.normalize > 0 then
         g:narrow(2, 1, nOut):copy(gs)
         g:narrow(2, nOut + 1, nOut):copy(gs):cmul(vals:view(n, 1):expand(n, nOut))
      else
         g:copy(gs):cmul(vals:view(n, 1):expand(n, nOut))
      end
   end
   return g, go
end

function IndexLinear:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   local counter = self.running.counter
   local g, go = self:_keyGradients(gradOutput, scale)
   self.running.gradWeight[counter] = g
   self.gradBias:add(scale, go:sum(1):view(self.outputSize))
   self.running.counter = counter + 1
end

-- the sparse update of the rows of keys with gradients g (one row each)
function IndexLinear:_apply(keys, g, lr)
   local nOut, norm, wd = self.outputSize, self.normalize, self.weightDecay or 0
   local rows = keys + (self.offset + 1)
   if norm == 0 and wd == 0 then
      if rows:nElement() > 0 then self.weight:indexAdd(1, rows, g:mul(-lr)) end
      return
   end
   for j = 1, rows:nElement() do
      local w = self.weight[rows[j]]
      if norm == 0 then
         w:add(-wd, w)
         w:add(-lr, g[j])
      elseif nOut == 1 then
         local lrj = lr * w[3]
         w[4] = w[4] - w[5] * g[j][1] * lrj
         w[5] = w[5] - (g[j][2] * lrj - wd * w[3] * w[5])
      else
         local lrj, wdj = lr * w[3], wd * w[3]
         local ws = w:narrow(1, norm + 1, nOut)
         w[4] = w[4] - lrj * g[j]:narrow(1, 1, nOut):dot(ws)
         if wd ~= 0 then ws:add(-wdj, ws) end
         ws:add(-lrj, g[j]:narrow(1, nOut + 1, nOut))
      end
   end
end

function IndexLinear:updateParameters(lr)
   if not lr then fail(self, 'updateParameters: you must specify a learning rate') end
   local counter = self.running.counter
   if counter <= 1 then return end
   self.bias:add(-lr, self.gradBias)
   local keys, gw = {}, {}
   for i = 1, counter - 1 do
      keys[i] = self.running.keys[i]
      gw[i] = self.running.gradWeight[i]
   end
   self.updateKeys = #keys == 1 and keys[1] or torch.cat(keys, 1)
   self.gradWeight = #gw == 1 and gw[1] or torch.cat(gw, 1)
   self:_apply(self.updateKeys, self.gradWeight:clone(), lr)
end

-- the same update without keeping gradients: weight and bias move by
-- -scale times this input's gradient
function IndexLinear:accUpdateGradParameters(input, gradOutput, scale)
   scale = scale or 1
   local g, go = self:_keyGradients(gradOutput, 1)
   self.bias:add(-scale, go:sum(1):view(self.outputSize))
   self:_apply(self.keys, g, scale)
   if self.normalize > 0 and self.outputSize == 1 and self._rows:nElement() > 0 then
      self.weight:select(2, 3):indexFill(1, self._rows, 0)
   end
end

function IndexLinear:updateGradInput(input, gradOutput)
   self.gradInput = {}
   if self.doGradInput and self.normalize > 0 then
      fail(self, 'updateGradInput is not implemented in max-normalize mode')
   end
   if not self.doGradInput then return self.gradInput end
   local nIn = self.weight:size(1)
   local gi = gradOutput:dim() == 1 and (self.weight * gradOutput):view(1, nIn) or gradOutput * self.weight:t()
   local idx = torch.range(1, nIn):long()
   if self.isFlat then
      self.gradInput = { idx:view(1, nIn):expand(gi:size(1), nIn):clone(), gi }
   else
      self.gradInput = { {}, {} }
      for i = 1, gi:size(1) do
         self.gradInput[1][i] = idx:clone()
         self.gradInput[2][i] = gi[i]:clone()
      end
   end
   if self.noBatch then
      if self.isFlat then
         self.gradInput = { self.gradInput[1]:view(nIn), self.gradInput[2]:view(nIn) }
      else
         self.gradInput = { self.gradInput[1][1], self.gradInput[2][1] }
      end
   end
   return self.gradInput
end

function IndexLinear:zeroGradParameters()
   self.gradBias:zero()
   self.running.counter = 1
end

function IndexLinear:parameters()
   return { self.weight, self.bias }, { self.running, self.gradBias }
end

function IndexLinear:clearState()
   self.running.keys = {}
   self.running.gradWeight = {}
   self.running.counter = 1
   self.keys, self.updateKeys, self.values, self.sizes = nil, nil, nil, nil
   self.lkeys, self.lvalues = {}, {}
   self._sample, self._rows = nil, nil
   self.gradWeightBuffer = self.gradWeightBuffer.new()
   self.valuesBuffer = self.valuesBuffer.new()
   return parent.clearState(self)
end
