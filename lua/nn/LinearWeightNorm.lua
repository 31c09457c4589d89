-- nn.LinearWeightNorm(inputSize, outputSize, [bias], [eps]): Linear with
-- the weight reparametrised as w = g * v / ||v|| (one norm per output
-- row, clamped below at eps; Salimans and Kingma 2016). Parameters v
-- (outputSize x inputSize), g (outputSize x 1) and bias; weight is
-- recomputed from them at each training forward.
local torch = require 'torch'
local nn = require 'nn'
require 'nn.Linear'

local LWN, parent = torch.class('nn.LinearWeightNorm', 'nn.Linear')

function LWN:__init(inputSize, outputSize, bias, eps)
   nn.Module.__init(self)
   if type(inputSize) ~= 'number' or type(outputSize) ~= 'number' or inputSize < 1 or outputSize < 1 then
      torch._core.raise(string.format('nn.LinearWeightNorm: expected positive inputSize and outputSize, got %s, %s',
         tostring(inputSize), tostring(outputSize)))
   end
   self.eps = eps or 1e-16
   self.inputSize, self.outputSize = inputSize, outputSize
   self.v = torch.Tensor(outputSize, inputSize)
   self.gradV = torch.Tensor(outputSize, inputSize)
   self.weight = torch.Tensor(outputSize, inputSize)
   self.g = torch.Tensor(outputSize, 1)
   self.gradG = torch.Tensor(outputSize, 1)
   self.norm = torch.Tensor(outputSize, 1)
   self.scale = torch.Tensor(outputSize, 1)
   if bias == nil or bias then
      self.bias = torch.Tensor(outputSize)
      self.gradBias = torch.Tensor(outputSize)
   end
   self:reset()
end

-- g = ||w|| per row (at least eps), v = w
function LWN:initFromWeight(weight)
   weight = weight or self.weight
   torch.norm(self.g, weight, 2, 2):clamp(self.eps, math.huge)
   self.v:copy(weight)
   return self
end

function LWN.fromLinear(linear)
   local m = nn.LinearWeightNorm(linear.weight:size(2), linear.weight:size(1), torch.isTensor(linear.bias))
   m.weight:copy(linear.weight)
   m:initFromWeight()
   if linear.bias then m.bias:copy(linear.bias) end
   return m
end

function LWN:toLinear()
   self:updateWeightMatrix()
   local m = nn.Linear(self.inputSize, self.outputSize, torch.isTensor(self.bias))
   m.weight:copy(self.weight)
   if self.bias then m.bias:copy(self.bias) end
   return m
end

function LWN:parameters()
   if self.bias then return { self.v, self.g, self.bias }, { self.gradV, self.gradG, self.gradBias } end
   return { self.v, self.g }, { self.gradV, self.gradG }
end

-- uniform weight in +-1/sqrt(inputSize), then v and g from it, then the bias
function LWN:reset(stdv)
   if stdv then stdv = stdv * math.sqrt(3) else stdv = 1 / math.sqrt(self.inputSize) end
   self.weight:uniform(-stdv, stdv)
   self:initFromWeight()
   if self.bias then self.bias:uniform(-stdv, stdv) end
   return self
end

function LWN:updateWeightMatrix()
   if self.norm:dim() == 0 then self.norm:resizeAs(self.g) end
   if self.scale:dim() == 0 then self.scale:resizeAs(self.g) end
   if self.weight:dim() == 0 then self.weight:resizeAs(self.v) end
   torch.norm(self.norm, self.v, 2, 2):clamp(self.eps, math.huge)
   self.scale:cdiv(self.g, self.norm)
   self.weight:cmul(self.v, self.scale:expandAs(self.v))
end

function LWN:evaluate()
   if self.train ~= false then self:updateWeightMatrix() end
   return parent.evaluate(self)
end

function LWN:updateOutput(input)
   if self.train ~= false then self:updateWeightMatrix() end
   return parent.updateOutput(self, input)
end

-- gradV accumulates dL/dw, then becomes the gradient of v (as Torch7,
-- the whole accumulated gradV is projected): gradG = sum(gradV .* v) /
-- ||v||; gradV = g/||v|| gradV - g gradG v / ||v||^2
function LWN:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   if input:dim() == 1 then
      self.gradV:addr(scale, gradOutput, input)
      if self.bias then self.gradBias:add(scale, gradOutput) end
   elseif input:dim() == 2 then
      self.gradV:addmm(scale, gradOutput:t(), input)
      if self.bias then self.gradBias:add(scale, gradOutput:sum(1):view(-1)) end
   end
   local s = self.scale:expandAs(self.v)
   local n = self.norm:expandAs(self.v)
   self.weight:cmul(self.gradV, self.v):cdiv(n)
   torch.sum(self.gradG, self.weight, 2)
   self.gradV:cmul(s)
   self.weight:cmul(self.v, s):cdiv(n)
   self.weight:cmul(self.gradG:expandAs(self.weight))
   self.gradV:add(-1, self.weight)
end

function LWN:defaultAccUpdateGradParameters(input, gradOutput, lr)
   local gv, gg, gb = self.gradV, self.gradG, self.gradBias
   self.gradV, self.gradG, self.gradBias = self.v, self.g, self.bias
   self:accGradParameters(input, gradOutput, -lr)
   self.gradV, self.gradG, self.gradBias = gv, gg, gb
end

function LWN:clearState()
   nn.utils.clear(self, 'weight', 'norm', 'scale')
   return parent.clearState(self)
end

function LWN:__tostring__()
   return torch.type(self) .. string.format('(%d -> %d)', self.inputSize, self.outputSize) ..
      (self.bias == nil and ' without bias' or '')
end
