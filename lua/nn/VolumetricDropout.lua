-- nn.VolumetricDropout(p [, stochasticInference]): SpatialDropout for (N,)C,T,H,W inputs: drops
-- whole feature volumes with probability p in training (one bernoulli per
-- volume, from torch's random stream as Torch7 draws it); evaluation
-- scales by 1-p.
local torch = require 'torch'
local nn = require 'nn'

local M, parent = torch.class('nn.VolumetricDropout', 'nn.SpatialDropout')

function M:__init(p, stochasticInference)
   parent.__init(self, p, stochasticInference)
end

function M:updateOutput(input)
   nn.THNN.checkTensor(self, input)
   self.output:resizeAs(input):copy(input)
   if self.train or self.stochastic_inference then
      if self.noise._dtype ~= input._dtype then self.noise = input.new() end
      if input:dim() == 5 then
         self.noise:resize(input:size(1), input:size(2), 1, 1, 1)
      elseif input:dim() == 4 then
         self.noise:resize(input:size(1), 1, 1, 1)
      else
         nn.utils.moduleError(self, 'expected a 4D (C x T x H x W) or 5D (N x C x T x H x W) input, got ' ..
            nn.utils.shapeStr(input))
      end
      self.noise:bernoulli(1 - self.p)
      self.output:cmul(self.noise:expandAs(input))
   else
      self.output:mul(1 - self.p)
   end
   return self.output
end
