-- nn.WeightNorm(module, [outputDim]): wraps a module with a weight and
-- reparametrises that weight as w = g * v / ||v|| (Salimans and Kingma
-- 2016): the norm is taken over every dimension but outputDim (default
-- 1), with 1e-4 added to its square. Parameters v (nOut x rest), g and the
-- module's bias; the module's weight is recomputed at each training
-- forward. Saved without weight and gradWeight (rebuilt on load).
local torch = require 'torch'
local nn = require 'nn'
require 'nn.Decorator'

local WeightNorm, parent = torch.class('nn.WeightNorm', 'nn.Decorator')

function WeightNorm:__init(module, outputDim)
   parent.__init(self, module)
   if not torch.isTensor(module.weight) then
      torch._core.raise('nn.WeightNorm: the module ' .. torch.type(module) .. ' has no weight')
   end
   if module.bias then
      self.bias = module.bias
      self.gradBias = module.gradBias
   end
   self.gradWeight = module.gradWeight
   self.weight = module.weight
   self.outputDim = outputDim or 1
   local nd = self.weight:dim()
   if self.outputDim < 1 or self.outputDim > nd then
      torch._core.raise(string.format('nn.WeightNorm: outputDim %d is not a dimension of the %dD weight',
         self.outputDim, nd))
   end
   self.otherDims = 1
   for i = 1, nd do
      if i ~= self.outputDim then self.otherDims = self.otherDims * self.weight:size(i) end
   end
   self.viewIn = torch.LongStorage { self.weight:size(self.outputDim), self.otherDims }
   -- the weight's sizes with outputDim moved to the front
   self.viewOut = self.weight:size()
   self.weightSize = self.weight:size()
   for i = self.outputDim - 1, 1, -1 do
      self.viewOut[i], self.viewOut[i + 1] = self.viewOut[i + 1], self.viewOut[i]
   end
   self.v = torch.Tensor(self.viewIn[1], self.viewIn[2])
   self.g = torch.Tensor(self.viewIn[1])
   self._norm = torch.Tensor(self.viewIn[1])
   self._scale = torch.Tensor(self.viewIn[1])
   self.gradG = torch.Tensor(self.viewIn[1]):zero()
   self.gradV = torch.Tensor(self.viewIn)
   self:resetInit()
end

-- outputDim moved to the front, and back
function WeightNorm:permuteIn(x)
   for i = self.outputDim - 1, 1, -1 do x = x:transpose(i, i + 1) end
   return x
end

function WeightNorm:permuteOut(x)
   for i = 1, self.outputDim - 1 do x = x:transpose(i, i + 1) end
   return x
end

-- v ~ N(0, 2 / fan-in), g = ||v|| per row, bias zero
function WeightNorm:resetInit()
   self.v:normal(0, math.sqrt(2 / self.viewIn[2]))
   torch.norm(self.g, self.v, 2, 2)
   if self.bias then self.bias:zero() end
end

function WeightNorm:evaluate()
   if self.train ~= false then
      self:updateWeight()
      parent.evaluate(self)
   end
end

-- weight = g * v / sqrt(||v||^2 + 1e-4), in the module's layout. The
-- product goes through its own buffer (Torch7 uses gradV, so a training
-- forward there overwrites the last gradient of v)
function WeightNorm:updateWeight()
   torch.norm(self._norm, self.v, 2, 2):pow(2):add(10e-5):sqrt()
   self._scale:copy(self.g):cdiv(self._norm)
   local n, m = self.viewIn[1], self.viewIn[2]
   self._w = self._w and self._w:typeAs(self.v) or self.v.new()
   self._w:resize(n, m):copy(self.v):cmul(self._scale:view(n, 1):expand(n, m))
   self.weight:copy(self:permuteOut(self._w:view(self.viewOut)))
end

function WeightNorm:updateOutput(input)
   if self.train ~= false then self:updateWeight() end
   self.output:set(self.modules[1]:updateOutput(input))
   return self.output
end

function WeightNorm:updateGradInput(input, gradOutput)
   self.gradInput:set(self.modules[1]:updateGradInput(input, gradOutput))
   return self.gradInput
end

-- the module's dL/dw, then gradG = sum(dL/dw .* v) / ||v|| and gradV =
-- g/||v|| dL/dw - g gradG v / ||v||^2 (the weight tensor as scratch)
function WeightNorm:accGradParameters(input, gradOutput, scale)
   self.modules[1]:accGradParameters(input, gradOutput, scale or 1)
   local n, m = self.viewIn[1], self.viewIn[2]
   self.gradV = self.gradV:view(self.viewOut)
   self.gradV:copy(self:permuteIn(self.gradWeight))
   self.gradV = self.gradV:view(self.viewIn)
   local work = self.weight.new(n, m)
   local norm = self._norm:view(n, 1):expand(n, m)
   local s = self._scale:view(n, 1):expand(n, m)
   work:copy(self.gradV):cmul(self.v):cdiv(norm)
   torch.sum(self.gradG, work, 2)
   self.gradV:cmul(s)
   work:copy(self.v):cmul(s):cdiv(norm)
   work:cmul(self.gradG:view(n, 1):expand(n, m))
   self.gradV:add(-1, work)
   self.gradV = self.gradV:view(self.viewOut)
   self.gradWeight:copy(self:permuteOut(self.gradV))
   self.gradV = self.gradV:view(self.viewIn)
end

function WeightNorm:clearState()
   nn.utils.clear(self, '_w')
   return parent.clearState(self)
end

function WeightNorm:zeroGradParameters()
   self.modules[1]:zeroGradParameters()
   self.gradV:zero()
   self.gradG:zero()
end

function WeightNorm:updateParameters(lr)
   self.modules[1]:updateParameters(lr)
   self.g:add(-lr, self.gradG)
   self.v:add(-lr, self.gradV)
end

function WeightNorm:parameters()
   if self.bias then return { self.v, self.g, self.bias }, { self.gradV, self.gradG, self.gradBias } end
   return { self.v, self.g }, { self.gradV, self.gradG }
end

function WeightNorm:write(file)
   local weight, gradWeight = self.modules[1].weight, self.modules[1].gradWeight
   self.weight, self.gradWeight = nil, nil
   self.modules[1].weight, self.modules[1].gradWeight = nil, nil
   self.weightSize = self.weightSize or weight:size()
   local fields = {}
   for k, v in pairs(self) do fields[k] = v end
   file:writeObject(fields)
   self.modules[1].weight, self.modules[1].gradWeight = weight, gradWeight
   self.weight, self.gradWeight = weight, gradWeight
end

function WeightNorm:read(file)
   local fields = file:readObject()
   if type(fields) ~= 'table' then return end
   for k, v in pairs(fields) do self[k] = v end
   if not self.weight then
      self.modules[1].weight = self.v.new(self.weightSize)
      self.modules[1].gradWeight = self.v.new(self.weightSize)
      self.weight = self.modules[1].weight
      self.gradWeight = self.modules[1].gradWeight
      self:updateWeight()
      self.gradWeight:copy(self:permuteOut(self.gradV))
   end
end
