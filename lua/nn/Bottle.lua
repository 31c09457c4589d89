-- nn.Bottle(module, nInputDim=2, nOutputDim=nInputDim): applies a module
-- that takes nInputDim-dimensional input to an input with more leading
-- dimensions, by folding them into the first one and unfolding the output.
local torch = require 'torch'
local nn = require 'nn'
local unpack = table.unpack or unpack
local utils = nn.utils

local Bottle, parent = torch.class('nn.Bottle', 'nn.Container')

function Bottle:__init(module, nInputDim, nOutputDim)
   parent.__init(self)
   if type(module) ~= 'table' or not module.updateOutput then
      torch._core.raise('nn.Bottle: expected a module as argument 1, got ' .. torch.type(module))
   end
   self.nInputDim = nInputDim or 2
   self.nOutputDim = nOutputDim or self.nInputDim
   self.dimDelta = self.nInputDim - self.nOutputDim
   self.modules[1] = module
end

-- the input folded to nInputDim dimensions, and the leading sizes folded
local function fold(self, input)
   if not torch.isTensor(input) then utils.moduleError(self, 'expected a tensor, got ' .. torch.type(input)) end
   local lead = input:dim() - self.nInputDim + 1
   if lead < 1 then
      utils.moduleError(self, string.format('expected at least %d dimensions, got a tensor of size %s',
         self.nInputDim, utils.shapeStr(input)))
   end
   if lead == 1 then return input, nil end
   local sizes, n = {}, 1
   for d = 1, lead do sizes[d] = input:size(d); n = n * input:size(d) end
   local inner = { n }
   for d = lead + 1, input:dim() do inner[#inner + 1] = input:size(d) end
   return input:contiguous():view(unpack(inner)), sizes
end

-- t (folded first dimension) viewed with the leading sizes restored
local function unfold(t, lead)
   local sizes = {}
   for d = 1, #lead do sizes[d] = lead[d] end
   for d = 2, t:dim() do sizes[#sizes + 1] = t:size(d) end
   return t:contiguous():view(unpack(sizes))
end

function Bottle:updateOutput(input)
   local x, lead = fold(self, input)
   local out = self:rethrowErrors(self.modules[1], 1, 'updateOutput', x)
   if lead then self.output = unfold(out, lead) else self.output = out end
   return self.output
end

local function foldGrad(self, gradOutput, lead)
   if not lead then return gradOutput end
   return gradOutput:contiguous():view(self.modules[1].output:size())
end

function Bottle:updateGradInput(input, gradOutput)
   local x, lead = fold(self, input)
   local gi = self:rethrowErrors(self.modules[1], 1, 'updateGradInput', x, foldGrad(self, gradOutput, lead))
   if lead then self.gradInput = gi:view(input:size()) else self.gradInput = gi end
   return self.gradInput
end

function Bottle:accGradParameters(input, gradOutput, scale)
   local x, lead = fold(self, input)
   self:rethrowErrors(self.modules[1], 1, 'accGradParameters', x, foldGrad(self, gradOutput, lead), scale)
end

function Bottle:__tostring__()
   return 'nn.Bottle @ ' .. tostring(self.modules[1])
end
