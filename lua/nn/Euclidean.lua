-- nn.Euclidean(inputSize, outputSize): y_j = || x - w_j ||, the distance
-- of a vector (or each row of a batch) to outputSize learned templates,
-- the columns of weight (inputSize x outputSize). The gradient divides by
-- y + 1e-7, as Torch7 does. Kernels: runtime/nn/layers.c.
local torch = require 'torch'
local nn = require 'nn'
local THNN = nn.THNN
local C = torch._core.C

local Euclidean, parent = torch.class('nn.Euclidean', 'nn.Module')

local function checkSizes(name, inputSize, outputSize)
   if type(inputSize) ~= 'number' or type(outputSize) ~= 'number' or inputSize < 1 or outputSize < 1 then
      torch._core.raise(string.format('%s: expected positive input and output sizes, got %s and %s', name,
         tostring(inputSize), tostring(outputSize)))
   end
end
Euclidean._checkSizes = checkSizes

function Euclidean:__init(inputSize, outputSize)
   parent.__init(self)
   checkSizes('nn.Euclidean', inputSize, outputSize)
   self.weight = torch.Tensor(inputSize, outputSize)
   self.gradWeight = torch.Tensor(inputSize, outputSize)
   self.fastBackward = true
   self:reset()
end

function Euclidean:reset(stdv)
   if stdv then stdv = stdv * math.sqrt(3) else stdv = 1 / math.sqrt(self.weight:size(1)) end
   self.weight:uniform(-stdv, stdv)
   return self
end

-- input: a vector (inputSize) or a batch (N x inputSize); gradOutput,
-- when given, shaped like the output
function Euclidean:_check(input, gradOutput)
   THNN.checkTensor(self, input)
   nn.utils.checkInputType(self, input)
   local inSize, outSize = self.weight:size(1), self.weight:size(2)
   if not ((input:dim() == 1 or input:dim() == 2) and input:size(input:dim()) == inSize) then
      nn.utils.moduleError(self, string.format('expected a vector (%d) or a batch (N x %d), got a tensor of size %s',
         inSize, inSize, nn.utils.shapeStr(input)))
   end
   if gradOutput ~= nil then
      THNN.checkTensor(self, gradOutput, 'gradOutput')
      nn.utils.checkInputType(self, gradOutput)
      local ok = gradOutput:dim() == input:dim() and gradOutput:size(gradOutput:dim()) == outSize
         and (input:dim() == 1 or gradOutput:size(1) == input:size(1))
      if not ok then
         nn.utils.moduleError(self, string.format('gradOutput has size %s, expected %s', nn.utils.shapeStr(gradOutput),
            input:dim() == 1 and tostring(outSize) or (input:size(1) .. 'x' .. outSize)))
      end
      if self.output:dim() ~= input:dim() or self.output:size(1) ~= gradOutput:size(1) then
         nn.utils.moduleError(self, 'backward called before forward of this input')
      end
   end
end

function Euclidean:updateOutput(input)
   self:_check(input)
   THNN.check(self, C.nl_euclidean_forward(self.output, input, self.weight, self.diagCov))
   return self.output
end

function Euclidean:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   self:_check(input, gradOutput)
   if not self.fastBackward then self:updateOutput(input) end
   THNN.check(self, C.nl_euclidean_backward(self.gradInput, gradOutput, input, self.weight, self.diagCov, self.output))
   return self.gradInput
end

function Euclidean:accGradParameters(input, gradOutput, scale)
   self:_check(input, gradOutput)
   THNN.check(self, C.nl_euclidean_acc_grad(self.gradWeight, self.gradDiagCov, input, gradOutput, self.weight,
      self.diagCov, self.output, scale or 1))
end
