-- nn.PartialLinear(inputSize, outputSize, [bias]): a Linear layer that can
-- be restricted to a subset of its output units (setPartition(indices));
-- resetPartition() makes it the whole layer again. As Torch7, the weight
-- is a LookupTable's (outputSize x inputSize, N(0, 1) at start) inside
-- Sequential(ParallelTable(Identity, LookupTable), MM(false, true)); the
-- bias is 1 x outputSize and starts at zero.
local torch = require 'torch'
local nn = require 'nn'

local PartialLinear, parent = torch.class('nn.PartialLinear', 'nn.Module')

function PartialLinear:__init(inputsize, outputsize, bias)
   parent.__init(self)
   if type(inputsize) ~= 'number' or type(outputsize) ~= 'number' or inputsize < 1 or outputsize < 1 then
      torch._core.raise(string.format('nn.PartialLinear: expected positive inputSize and outputSize, got %s, %s',
         tostring(inputsize), tostring(outputsize)))
   end
   local pt = nn.ParallelTable()
   pt:add(nn.Identity()):add(nn.LookupTable(outputsize, inputsize))
   self.network = nn.Sequential():add(pt):add(nn.MM(false, true))
   if bias == nil or bias then
      self.bias = torch.Tensor(1, outputsize):zero()
      self.gradBias = torch.Tensor(1, outputsize):zero()
   end
   self.inputsize, self.outputsize = inputsize, outputsize
   self.allcolumns = torch.range(1, outputsize)
   self:resetPartition()
end

-- indices: a tensor of output units (1-based) the layer computes
function PartialLinear:setPartition(indices)
   if not torch.isTensor(indices) or indices:dim() ~= 1 then
      nn.utils.moduleError(self, 'setPartition expects a 1D tensor of output indices')
   end
   if indices:nElement() > 0 and (indices:min() < 1 or indices:max() > self.outputsize) then
      nn.utils.moduleError(self, string.format('partition indices must lie in [1, %d]', self.outputsize))
   end
   self.partition = indices:type(self.allcolumns:type())
   return self
end

function PartialLinear:resetPartition()
   self.partition = self.allcolumns
   return self
end

function PartialLinear:parameters()
   local lt = self.network:get(1):get(2)
   return { lt.weight, self.bias }, { lt.gradWeight, self.gradBias }
end

local function check(self, input)
   nn.utils.checkInputType(self, input, self.network:get(1):get(2).weight)
   if input:dim() ~= 2 or input:size(2) ~= self.inputsize then
      nn.utils.moduleError(self, string.format('expected a batch (N x %d), got a tensor of size %s', self.inputsize,
         nn.utils.shapeStr(input)))
   end
end

function PartialLinear:updateOutput(input)
   check(self, input)
   self.output:set(self.network:forward { input, self.partition })
   if self.bias then
      self.output:add(self.bias:index(2, self.partition:long()):expandAs(self.output))
      self.addBuffer = self.addBuffer or input.new()
      if self.addBuffer:nElement() ~= input:size(1) then self.addBuffer:resize(input:size(1)):fill(1) end
   end
   return self.output
end

function PartialLinear:updateGradInput(input, gradOutput)
   if self.gradInput then
      self.network:updateGradInput({ input, self.partition }, gradOutput)
      self.gradInput:set(self.network.gradInput[1])
   end
   return self.gradInput
end

function PartialLinear:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   self.network:accGradParameters({ input, self.partition }, gradOutput, scale)
   if self.bias then
      self.buffer = self.buffer or input.new()
      self.buffer:resize(gradOutput:size(2))
      self.buffer:mv(gradOutput:t(), self.addBuffer):mul(scale)
      self.gradBias:indexAdd(2, self.partition:long(), self.buffer:view(1, self.buffer:nElement()))
   end
end

function PartialLinear:accUpdateGradParameters(input, gradOutput, lr)
   local lt = self.network:get(1):get(2)
   local gw, gb = lt.gradWeight, self.gradBias
   lt.gradWeight, self.gradBias = lt.weight, self.bias
   self:accGradParameters(input, gradOutput, -lr)
   lt.gradWeight, self.gradBias = gw, gb
end

function PartialLinear:zeroGradParameters()
   self.network:zeroGradParameters()
   if self.gradBias then self.gradBias:zero() end
end

function PartialLinear:updateParameters(learningRate)
   self.network:updateParameters(learningRate)
   if self.bias then self.bias:add(-learningRate, self.gradBias) end
end

function PartialLinear:sharedAccUpdateGradParameters(input, gradOutput, lr)
   self:defaultAccUpdateGradParameters(input, gradOutput, lr)
end

function PartialLinear:clearState()
   nn.utils.clear(self, 'addBuffer', 'buffer')
   self.network:clearState()
   return parent.clearState(self)
end

function PartialLinear:__tostring__()
   return torch.type(self) .. string.format('(%d -> %d)', self.inputsize, self.outputsize) ..
      (self.bias == nil and ' without bias' or '')
end
