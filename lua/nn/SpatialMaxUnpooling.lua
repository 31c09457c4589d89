-- nn.SpatialMaxUnpooling(poolingModule): the inverse of a
-- SpatialMaxPooling: each value goes back where the pooling found its
-- maximum, zeros elsewhere, at the pooling's input size.
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local M, parent = torch.class('nn.SpatialMaxUnpooling', 'nn.Module')

function M:__init(poolingModule)
   parent.__init(self)
   if not torch.isTypeOf(poolingModule, 'nn.SpatialMaxPooling') then
      torch._core.raise('nn.SpatialMaxUnpooling: expected a nn.SpatialMaxPooling, got ' .. torch.type(poolingModule))
   end
   if poolingModule.kH ~= poolingModule.dH or poolingModule.kW ~= poolingModule.dW then
      torch._core.raise('nn.SpatialMaxUnpooling: the pooling kernel must equal its stride')
   end
   self.pooling = poolingModule
end

function M:setParams()
   self.indices = self.pooling.indices
   self.oheight = self.pooling.iheight
   self.owidth = self.pooling.iwidth
   if not self.oheight then nn.utils.moduleError(self, 'run the pooling module forward first') end
end

function M:updateOutput(input)
   THNN.checkTensor(self, input)
   self:setParams()
   if self.output._dtype ~= input._dtype then self.output = input.new() end
   THNN.check(self, C.nl_spatial_max_unpool(self.output, input, input, self.indices, self.owidth, self.oheight, 0))
   return self.output
end

function M:updateGradInput(input, gradOutput)
   THNN.checkTensor(self, input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   self:setParams()
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   THNN.check(self, C.nl_spatial_max_unpool(self.gradInput, input, gradOutput, self.indices, self.owidth, self.oheight, 1))
   return self.gradInput
end

function M:__tostring__()
   return 'nn.SpatialMaxUnpooling associated to ' .. tostring(self.pooling)
end
