-- nn.SpatialDropout(p [, stochasticInference]): drops whole feature maps of (N,)C,H,W inputs with
-- probability p in training (one bernoulli per map, from torch's random
-- stream as Torch7 draws it); evaluation scales by 1-p, as Torch7.
local torch = require 'torch'
local nn = require 'nn'

local M, parent = torch.class('nn.SpatialDropout', 'nn.Module')

function M:__init(p, stochasticInference)
   parent.__init(self)
   self.p = p or 0.5
   self.train = true
   -- as Torch7: true keeps dropping maps in evaluation (Monte Carlo dropout)
   self.stochastic_inference = stochasticInference or false
   if type(self.p) ~= 'number' or self.p >= 1 or self.p < 0 then
      torch._core.raise('nn.SpatialDropout: p must be in [0, 1), got ' .. tostring(p))
   end
   self.noise = torch.Tensor()
end

function M:updateOutput(input)
   nn.THNN.checkTensor(self, input)
   self.output:resizeAs(input):copy(input)
   if self.train or self.stochastic_inference then
      if self.noise._dtype ~= input._dtype then self.noise = input.new() end
      if input:dim() == 4 then
         self.noise:resize(input:size(1), input:size(2), 1, 1)
      elseif input:dim() == 3 then
         self.noise:resize(input:size(1), 1, 1)
      else
         nn.utils.moduleError(self, 'expected a 3D (C x H x W) or 4D (N x C x H x W) input, got ' .. nn.utils.shapeStr(input))
      end
      self.noise:bernoulli(1 - self.p)
      self.output:cmul(self.noise:expandAs(input))
   else
      self.output:mul(1 - self.p)
   end
   return self.output
end

function M:updateGradInput(input, gradOutput)
   if not self.train then nn.utils.moduleError(self, 'backprop only defined while training') end
   nn.THNN.checkTensor(self, gradOutput, 'gradOutput')
   self.gradInput:resizeAs(gradOutput):copy(gradOutput)
   self.gradInput:cmul(self.noise:expandAs(gradOutput))
   return self.gradInput
end

function M:setp(p) self.p = p end

function M:__tostring__()
   return string.format('%s(%f)', torch.type(self), self.p)
end

function M:clearState()
   if self.noise then self.noise:set() end
   return parent.clearState(self)
end
