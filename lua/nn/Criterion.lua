-- nn.Criterion: a loss. forward(input, target) returns the loss (a number,
-- also in self.output); backward(input, target) its gradient with respect
-- to the input (self.gradInput). Subclasses set self.sizeAverage.
local torch = require 'torch'
local nn = require 'nn'
local core = torch._core
local raise = core.raise

local Criterion = torch.class('nn.Criterion')

function Criterion:__init()
   self.gradInput = torch.Tensor()
   self.output = 0
end

function Criterion:updateOutput(input, target)
end

function Criterion:forward(input, target)
   return nn.Module._namedResult(self, pcall(self.updateOutput, self, input, target))
end

function Criterion:backward(input, target)
   return nn.Module._namedResult(self, pcall(self.updateGradInput, self, input, target))
end

function Criterion:updateGradInput(input, target)
end

function Criterion:clone()
   return nn.utils.deepCopy(self)
end

function Criterion:type(typename, tensorCache)
   if not typename then raise(torch.type(self) .. ':type: must provide a type to convert to') end
   if typename:match('Cuda') and not package.loaded.cutorch then
      raise(string.format("%s:type: %s needs require 'cunn' (CUDA modules are not loaded)", torch.type(self), typename))
   end
   tensorCache = tensorCache or {}
   for key, param in pairs(self) do
      self[key] = nn.utils.recursiveType(param, typename, tensorCache)
   end
   return self
end

function Criterion:float() return self:type('torch.FloatTensor') end
function Criterion:double() return self:type('torch.DoubleTensor') end
function Criterion:cuda()
   if not package.loaded.cunn then
      raise(string.format("%s:cuda: CUDA criterions need require 'cunn' first", torch.type(self)))
   end
   return self:type('torch.CudaTensor')
end

function Criterion:__call__(input, target)
   self.output = self:forward(input, target)
   self.gradInput = self:backward(input, target)
   return self.output, self.gradInput
end

function Criterion:__tostring__()
   return torch.type(self)
end

return Criterion
