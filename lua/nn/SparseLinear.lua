-- nn.SparseLinear(inputSize, outputSize, [doGradInput]): a Linear layer
-- on sparse inputs. An input is an nnz x 2 tensor of (index, value) rows
-- (output: outputSize), a table of them (a batch: #input x outputSize),
-- or, Torch7's legacy form, a batch x nnz x 2 tensor. gradInput is {}
-- unless doGradInput, when it is dense in the same (index, value) form.
-- After one accGradParameters, zeroGradParameters and updateParameters
-- touch only the columns that input used (Torch7's sparse updates).
local torch = require 'torch'
local nn = require 'nn'

local SparseLinear, parent = torch.class('nn.SparseLinear', 'nn.Module')

local NO_LAST_INPUT, ONE_LAST_INPUT, ACC_MULTIPLE_TIMES = 0, 1, 2

function SparseLinear:__init(inputSize, outputSize, doGradInput)
   parent.__init(self)
   if type(inputSize) ~= 'number' or type(outputSize) ~= 'number' or inputSize < 1 or outputSize < 1 then
      torch._core.raise(string.format('nn.SparseLinear: expected positive inputSize and outputSize, got %s, %s',
         tostring(inputSize), tostring(outputSize)))
   end
   self.weightDecay = 0
   self.doGradInput = doGradInput or false
   if type(self.doGradInput) ~= 'boolean' then
      torch._core.raise('nn.SparseLinear: doGradInput must be a boolean')
   end
   self.weight = torch.Tensor(outputSize, inputSize):zero()
   self.bias = torch.Tensor(outputSize):zero()
   self.gradWeight = torch.Tensor(outputSize, inputSize):zero()
   self.gradBias = torch.Tensor(outputSize):zero()
   self.lastInput = nil
   self.sparseUpdate = NO_LAST_INPUT
   self.gradInput = {}
   self.output:resize(outputSize)
   self:reset()
end

-- weight uniform in +-1/sqrt(inputSize); bias the same, times 1e-6
function SparseLinear:reset(stdv)
   if stdv then stdv = stdv * math.sqrt(3) else stdv = 1 / math.sqrt(self.weight:size(2)) end
   self.weight:uniform(-stdv, stdv)
   self.bias:uniform(-stdv, stdv):mul(0.000001)
   return self
end

-- the list of (index, value) matrices, whether the input is a batch, and
-- whether it is the legacy 3D form
function SparseLinear:reshapeInput(input)
   if torch.type(input) == 'table' then return input, true, false end
   if not torch.isTensor(input) then
      nn.utils.moduleError(self, 'expected an nnz x 2 tensor, a table of them or a batch x nnz x 2 tensor, got '
         .. torch.type(input))
   end
   if input:dim() == 2 then return { input }, false, false end
   if input:dim() == 3 then
      local list = {}
      for i = 1, input:size(1) do list[i] = input[i] end
      return list, true, true
   end
   nn.utils.moduleError(self, 'expected an nnz x 2 tensor, a table of them or a batch x nnz x 2 tensor, got a tensor of size '
      .. nn.utils.shapeStr(input))
end

-- the columns (LongTensor) and values of one sample, checked
function SparseLinear:_entries(x)
   if not torch.isTensor(x) or (x:nElement() > 0 and (x:dim() ~= 2 or x:size(2) ~= 2)) then
      nn.utils.moduleError(self, 'each sample must be an nnz x 2 tensor of (index, value) rows, got '
         .. (torch.isTensor(x) and 'a tensor of size ' .. nn.utils.shapeStr(x) or torch.type(x)))
   end
   if x:nElement() == 0 then return nil end
   local cols = x:select(2, 1):long()
   local lo, hi = cols:min(), cols:max()
   if lo < 1 or hi > self.weight:size(2) then
      nn.utils.moduleError(self, string.format('index %d is out of range (the input size is %d)',
         lo < 1 and lo or hi, self.weight:size(2)))
   end
   return cols, x:select(2, 2):type(self.weight:type())
end

function SparseLinear:updateOutput(input)
   if self.sparseUpdate == ONE_LAST_INPUT then self.sparseUpdate = ACC_MULTIPLE_TIMES end
   local list, batchMode, legacy = self:reshapeInput(input)
   self.legacyMode = legacy
   local nOut = self.weight:size(1)
   if #list == 0 then
      self.output:resize(nOut):copy(self.bias)
      return self.output
   end
   self.output:resize(#list, nOut)
   for b, x in ipairs(list) do
      local row = self.output[b]
      row:copy(self.bias)
      local cols, vals = self:_entries(x)
      if cols then row:addmv(1, self.weight:index(2, cols), vals) end
   end
   if not batchMode then self.output = self.output[1] end
   return self.output
end

function SparseLinear:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   local list, batchMode, legacy = self:reshapeInput(input)
   self.legacyMode = legacy
   local nOut = self.weight:size(1)
   local go = gradOutput
   if not batchMode then go = gradOutput:view(1, nOut) end
   if go:dim() ~= 2 or go:size(1) ~= #list or go:size(2) ~= nOut then
      nn.utils.moduleError(self, string.format('gradOutput has size %s, expected %s', nn.utils.shapeStr(gradOutput),
         batchMode and (#list .. 'x' .. nOut) or tostring(nOut)))
   end
   -- the columns this input touched, for the sparse updates
   local used = {}
   for b, x in ipairs(list) do
      local cols, vals = self:_entries(x)
      if cols then
         self.gradWeight:indexAdd(2, cols, torch.ger(go[b], vals):mul(scale))
         used[#used + 1] = cols
      end
   end
   self.gradBias:add(scale, go:sum(1):view(nOut))
   if (self.weightDecay or 0) ~= 0 then self.gradWeight:add(self.weightDecay, self.weight) end
   if self.sparseUpdate == NO_LAST_INPUT then
      self.lastInput = #used > 0 and torch.cat(used, 1) or torch.LongTensor()
      self.sparseUpdate = ONE_LAST_INPUT
   elseif self.sparseUpdate == ONE_LAST_INPUT then
      self.sparseUpdate = ACC_MULTIPLE_TIMES
   end
end

function SparseLinear:updateGradInput(input, gradOutput)
   local list, batchMode, legacy = self:reshapeInput(input)
   self.legacyMode = legacy
   if not self.doGradInput then
      if legacy then
         if torch.type(self.gradInput) ~= torch.type(gradOutput) then self.gradInput = gradOutput.new() end
         self.gradInput:resizeAs(input):zero()
      else
         self.gradInput = {}
      end
      return self.gradInput
   end
   -- dense: (index, value) rows for every input unit
   local nIn = self.weight:size(2)
   local gi = gradOutput:dim() == 1 and (self.weight:t() * gradOutput):view(1, nIn) or gradOutput * self.weight
   if legacy then
      if torch.type(self.gradInput) ~= torch.type(gradOutput) then self.gradInput = gradOutput.new() end
      self.gradInput:resize(gi:size(1), nIn, 2)
      for b = 1, gi:size(1) do
         self.gradInput[b]:select(2, 1):copy(torch.range(1, nIn))
         self.gradInput[b]:select(2, 2):copy(gi[b])
      end
   else
      self.gradInput = {}
      for b = 1, gi:size(1) do
         local g = gradOutput.new(nIn, 2)
         g:select(2, 2):copy(gi[b])
         g:select(2, 1):copy(torch.range(1, nIn))
         self.gradInput[b] = g
      end
      if not batchMode then self.gradInput = self.gradInput[1] end
   end
   return self.gradInput
end

-- the distinct columns of the last input (sparse updates), or nil
function SparseLinear:_lastColumns()
   if not (self.lastInput and self.sparseUpdate == ONE_LAST_INPUT) then return nil end
   if self.lastInput:nElement() == 0 then return self.lastInput end
   local sorted = self.lastInput:sort()
   local keep, prev = {}, nil
   for i = 1, sorted:size(1) do
      local c = sorted[i]
      if c ~= prev then keep[#keep + 1] = c end
      prev = c
   end
   return torch.LongTensor(keep)
end

function SparseLinear:updateParameters(learningRate)
   local cols = self:_lastColumns()
   if not cols then return parent.updateParameters(self, learningRate) end
   if cols:nElement() > 0 then
      self.weight:indexCopy(2, cols, self.weight:index(2, cols):add(-learningRate, self.gradWeight:index(2, cols)))
   end
   self.bias:add(-learningRate, self.gradBias)
end

function SparseLinear:zeroGradParameters()
   local cols = self:_lastColumns()
   if not cols then
      parent.zeroGradParameters(self)
   else
      if cols:nElement() > 0 then self.gradWeight:indexFill(2, cols, 0) end
      self.gradBias:zero()
   end
   self.sparseUpdate = NO_LAST_INPUT
end

function SparseLinear:clearState()
   if self.lastInput then self.lastInput:set() end
   return parent.clearState(self)
end
