-- nn.LookupTable(nIndex, nOutput [, paddingValue [, maxNorm [, normType]]]):
-- rows of a learned nIndex x nOutput table picked by 1-based indices: a
-- vector of R indices gives R x nOutput, a batch B x R gives B x R x
-- nOutput. Indices equal to paddingValue get no gradient; with maxNorm,
-- each row used is rescaled to at most maxNorm (normType-norm, default 2)
-- before the lookup, as Torch7 does. Weights start as N(0, 1).
-- Kernels: runtime/nn/layers.c.
local torch = require 'torch'
local nn = require 'nn'
local THNN = nn.THNN
local C = torch._core.C

local LookupTable, parent = torch.class('nn.LookupTable', 'nn.Module')

LookupTable.__version = 4

function LookupTable:__init(nIndex, nOutput, paddingValue, maxNorm, normType)
   parent.__init(self)
   if type(nIndex) ~= 'number' or type(nOutput) ~= 'number' or nIndex < 1 or nOutput < 1 then
      torch._core.raise(string.format('nn.LookupTable: expected positive nIndex and nOutput, got %s and %s',
         tostring(nIndex), tostring(nOutput)))
   end
   self.weight = torch.Tensor(nIndex, nOutput)
   self.gradWeight = torch.Tensor(nIndex, nOutput):zero()
   self.paddingValue = paddingValue or 0
   self.maxNorm = maxNorm or nil
   self.normType = normType or nil
   self:reset()
end

-- the index buffers: LongTensors on the weight's device (CudaLongTensor
-- for a CUDA module), so that the kernels see indices where they run
function LookupTable:backCompatibility()
   local dev = self.weight._device
   for _, k in ipairs { '_count', '_input', '_rows' } do
      if not self[k] or self[k]._device ~= dev then self[k] = torch._core.new(C.NL_LONG, dev) end
   end
   if not self.shouldScaleGradByFreq then self.shouldScaleGradByFreq = false end
end

function LookupTable:accUpdateOnly()
   self.gradWeight = nil
   return self
end

function LookupTable:setPadding(paddingValue)
   self.paddingValue = paddingValue
   return self
end

function LookupTable:setMaxNorm(maxNorm)
   self.maxNorm = maxNorm
   return self
end

function LookupTable:setNormType(normType)
   self.normType = normType
   return self
end

function LookupTable:scaleGradByFreq()
   self.shouldScaleGradByFreq = true
   return self
end

function LookupTable:reset(stdv)
   stdv = stdv or 1
   self.weight:normal(0, stdv)
   return self
end

-- The indices as a contiguous LongTensor (a copy in self._input when the
-- input is another type or not contiguous).
function LookupTable:makeInputContiguous(input)
   if not torch.isTensor(input) then
      nn.utils.moduleError(self, 'input should be a tensor of indices, got ' .. torch.type(input))
   end
   if input:dim() ~= 1 and input:dim() ~= 2 then
      nn.utils.moduleError(self, 'input must be a vector or matrix of indices, got a tensor of size ' .. nn.utils.shapeStr(input))
   end
   -- indices of another type or device (a CPU LongTensor or a CudaTensor
   -- of indices for a CUDA module, as cunn takes them) are copied
   if not input:isContiguous() or torch.type(input) ~= torch.type(self._input) then
      self.copiedInput = true
      self._input:resize(input:size()):copy(input)
      return self._input
   end
   self.copiedInput = false
   return input
end

function LookupTable:updateOutput(input)
   self:backCompatibility()
   local idx = self:makeInputContiguous(input)
   if self.maxNorm then
      THNN.check(self, C.nl_lookup_table_renorm(self.weight, self._rows, idx, self.maxNorm, self.normType or 2))
   end
   if self.output._dtype ~= self.weight._dtype then self.output = self.weight.new() end
   THNN.check(self, C.nl_lookup_table_forward(self.output, self.weight, idx))
   return self.output
end

-- the indices get no gradient: zeros shaped like them, as Torch7
function LookupTable:updateGradInput(input, gradOutput)
   if not torch.isTensor(input) then
      nn.utils.moduleError(self, 'input should be a tensor of indices, got ' .. torch.type(input))
   end
   if torch.type(self.gradInput) ~= torch.type(input) then self.gradInput = input.new() end
   if not self.gradInput:isSameSizeAs(input) then self.gradInput:resizeAs(input):zero() end
   return self.gradInput
end

function LookupTable:accGradParameters(input, gradOutput, scale)
   self:backCompatibility()
   local idx = self:makeInputContiguous(input)
   if not torch.isTensor(gradOutput) then
      nn.utils.moduleError(self, 'gradOutput should be a tensor, got ' .. torch.type(gradOutput))
   end
   THNN.check(self, C.nl_lookup_table_acc_grad(self.gradWeight, self._count, idx, gradOutput,
      self.shouldScaleGradByFreq and 1 or 0, self.paddingValue or 0, scale or 1))
end

function LookupTable:renorm(input)
   if not self.maxNorm then return end
   self:backCompatibility()
   local idx = self:makeInputContiguous(input)
   THNN.check(self, C.nl_lookup_table_renorm(self.weight, self._rows, idx, self.maxNorm, self.normType or 2))
end

function LookupTable:type(typename, tensorCache)
   parent.type(self, typename, tensorCache)
   self._count, self._input, self._rows = nil, nil, nil
   self:backCompatibility()
   return self
end

function LookupTable:clearState()
   nn.utils.clear(self, '_count', '_input', '_rows')
   return parent.clearState(self)
end

function LookupTable:sharedAccUpdateGradParameters(input, gradOutput, lr)
   self:defaultAccUpdateGradParameters(input, gradOutput, lr)
end
