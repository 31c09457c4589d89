-- nn.SpatialClassNLLCriterion([weights, sizeAverage]): ClassNLLCriterion at
-- every pixel: input (N, C, H, W) log-probabilities, target (N, H, W) class
-- indices 1..C; sizeAverage divides by the total weight of the targets.
-- Computed by ClassNLLCriterion's kernels on the (N*H*W, C) view.
local torch = require 'torch'
local nn = require 'nn'
require 'nn.ClassNLLCriterion'

local SpatialClassNLLCriterion, parent = torch.class('nn.SpatialClassNLLCriterion', 'nn.Criterion')

function SpatialClassNLLCriterion:__init(weights, sizeAverage)
   parent.__init(self)
   if sizeAverage ~= nil then self.sizeAverage = sizeAverage else self.sizeAverage = true end
   if weights then
      if not torch.isTensor(weights) or weights:dim() ~= 1 then
         error('nn.SpatialClassNLLCriterion: weights input should be 1-D Tensor', 2)
      end
      self.weights = weights
   end
   self.output_tensor = torch.zeros(1)
   self.total_weight_tensor = torch.ones(1)
   self.target = torch.zeros(1):long()
   self._nll = nn.ClassNLLCriterion(weights, self.sizeAverage)
end

function SpatialClassNLLCriterion:__len()
   return self.weights and self.weights:size(1) or 0
end

local function check(self, input, target)
   if not torch.isTensor(input) or input:dim() ~= 4 then
      nn.utils.moduleError(self, 'only batches of spatial inputs supported (4D tensors), but got input of dimension: ' ..
         (torch.isTensor(input) and input:dim() or torch.type(input)))
   end
   if not torch.isTensor(target) or target:dim() ~= 3 then
      nn.utils.moduleError(self, 'only batches of spatial targets supported (3D tensors) but got targets of dimension: ' ..
         (torch.isTensor(target) and target:dim() or torch.type(target)))
   end
   local n, h, w = input:size(1), input:size(3), input:size(4)
   if target:size(1) ~= n or target:size(2) ~= h or target:size(3) ~= w then
      nn.utils.moduleError(self, string.format('input %s and target %s sizes do not match',
         nn.utils.shapeStr(input), nn.utils.shapeStr(target)))
   end
end

-- the input as (N*H*W, C) and the target as N*H*W
local function flat(input, target)
   local c = input:size(2)
   return input:permute(1, 3, 4, 2):contiguous():view(-1, c), target:contiguous():view(-1)
end

function SpatialClassNLLCriterion:_sync()
   local nll = self._nll
   nll.sizeAverage = self.sizeAverage
   nll.weights = self.weights
end

function SpatialClassNLLCriterion:updateOutput(input, target)
   check(self, input, target)
   self:_sync()
   local x, t = flat(input, target)
   self.output = self._nll:updateOutput(x, t)
   self.output_tensor[1] = self.output
   self.total_weight_tensor[1] = self._nll.total_weight
   return self.output, self._nll.total_weight
end

function SpatialClassNLLCriterion:updateGradInput(input, target)
   check(self, input, target)
   self:_sync()
   local x, t = flat(input, target)
   local g = self._nll:updateGradInput(x, t)
   local n, c, h, w = input:size(1), input:size(2), input:size(3), input:size(4)
   if torch.type(self.gradInput) ~= torch.type(input) then self.gradInput = input.new() end
   self.gradInput:resizeAs(input):copy(g:view(n, h, w, c):permute(1, 4, 2, 3))
   return self.gradInput
end
