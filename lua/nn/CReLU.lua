-- nn.CReLU(nInputDims, inplace): the concatenation of ReLU(x) and ReLU(-x)
-- along the feature dimension (the first of the last nInputDims), so the
-- number of features doubles.
local torch = require 'torch'
local nn = require 'nn'
local unpack = table.unpack or unpack
local utils = nn.utils

local CReLU, parent = torch.class('nn.CReLU', 'nn.Module')

function CReLU:__init(nInputDims, inplace)
   parent.__init(self)
   if type(nInputDims) ~= 'number' or nInputDims < 1 then
      torch._core.raise('nn.CReLU: expected the number of non-batch input dimensions, got ' .. tostring(nInputDims))
   end
   self.nInputDims = nInputDims
   self.inplace = inplace or false
end

local function featureDim(self, input)
   if not torch.isTensor(input) then utils.moduleError(self, 'expected a tensor, got ' .. torch.type(input)) end
   if input:dim() < self.nInputDims then
      utils.moduleError(self, string.format('expected at least %d dimensions, got a tensor of size %s',
         self.nInputDims, utils.shapeStr(input)))
   end
   return input:dim() - self.nInputDims + 1
end

function CReLU:updateOutput(input)
   local d = featureDim(self, input)
   local n = input:size(d)
   local sizes = input:size():totable()
   sizes[d] = 2 * n
   self.output:resize(unpack(sizes))
   self.output:narrow(d, 1, n):copy(input):clamp(0, math.huge)
   self.output:narrow(d, n + 1, n):copy(input):mul(-1):clamp(0, math.huge)
   return self.output
end

function CReLU:updateGradInput(input, gradOutput)
   local d = featureDim(self, input)
   local n = input:size(d)
   self._mask = self._mask or input.new()
   self._buf = self._buf or input.new()
   self._mask:gt(input, 0)
   self.gradInput:resizeAs(input):copy(self._mask):cmul(gradOutput:narrow(d, 1, n))
   self._mask:lt(input, 0)
   self._buf:resizeAs(input):copy(self._mask):cmul(gradOutput:narrow(d, n + 1, n))
   self.gradInput:add(-1, self._buf)
   return self.gradInput
end

function CReLU:clearState()
   return utils.clear(self, '_mask', '_buf')
end

function CReLU:__tostring__()
   return 'CReLU()'   -- as Torch7 printed it
end
