-- nn.CosineDistance: input {x1, x2} (vectors, or N x D batches) gives the
-- cosine similarity of each pair, x1.x2 / (|x1| |x2|), as Torch7 computes
-- it (1e-12 added to the squared norms).
local torch = require 'torch'
local nn = require 'nn'
local utils = nn.utils

local CosineDistance, parent = torch.class('nn.CosineDistance', 'nn.Module')

local EPS = 1e-12

function CosineDistance:__init()
   parent.__init(self)
   self.gradInput = { torch.Tensor(), torch.Tensor() }
end

-- both inputs as contiguous N x D matrices
local function pair(self, input)
   if type(input) ~= 'table' or not torch.isTensor(input[1]) or not torch.isTensor(input[2]) then
      utils.moduleError(self, 'expected a table of two tensors, got ' .. torch.type(input))
   end
   local x1, x2 = input[1], input[2]
   if not x1:isSameSizeAs(x2) or x1:dim() < 1 or x1:dim() > 2 then
      utils.moduleError(self, string.format('expected two vectors or two N x D batches of one size, got %s and %s',
         utils.shapeStr(x1), utils.shapeStr(x2)))
   end
   x1, x2 = x1:contiguous(), x2:contiguous()
   if x1:dim() == 1 then x1, x2 = x1:view(1, -1), x2:view(1, -1) end
   return x1, x2
end

function CosineDistance:updateOutput(input)
   local x1, x2 = pair(self, input)
   self.buffer = self.buffer or x1.new()
   self.w1 = self.w1 or x1.new()
   self.w22 = self.w22 or x1.new()
   self.w32 = self.w32 or x1.new()
   self.w = self.w or x1.new()
   self.buffer:cmul(x1, x2)
   torch.sum(self.w1, self.buffer, 2)
   -- w22 = 1/|x1|^2, w32 = 1/|x2|^2, w = 1/(|x1| |x2|)
   self.buffer:cmul(x1, x1)
   torch.sum(self.w22, self.buffer, 2):add(EPS):pow(-1)
   self.buffer:cmul(x2, x2)
   torch.sum(self.w32, self.buffer, 2):add(EPS):pow(-1)
   self.w:cmul(self.w22, self.w32):sqrt()
   self.output:cmul(self.w1, self.w):resize(x1:size(1))
   return self.output
end

function CosineDistance:updateGradInput(input, gradOutput)
   local x1, x2 = pair(self, input)
   local g1, g2 = self.gradInput[1], self.gradInput[2]
   -- d cos / d x1 = (x2 - cos-part * x1 / |x1|^2 ...) written as Torch7 does
   g1:resizeAs(x1):copy(x2)
   self.buffer:cmul(self.w1, self.w22)
   g1:addcmul(-1, self.buffer:expandAs(x1), x1):cmul(self.w:expandAs(x1))
   g2:resizeAs(x2):copy(x1)
   self.buffer:cmul(self.w1, self.w32)
   g2:addcmul(-1, self.buffer:expandAs(x2), x2):cmul(self.w:expandAs(x2))
   local go = gradOutput:contiguous():view(-1, 1):expandAs(x1)
   g1:cmul(go)
   g2:cmul(go)
   if input[1]:dim() == 1 then
      g1:resize(input[1]:size(1))
      g2:resize(input[2]:size(1))
   end
   return self.gradInput
end

function CosineDistance:clearState()
   return utils.clear(self, 'buffer', 'w1', 'w22', 'w32', 'w')
end
