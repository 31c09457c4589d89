-- nn.SpatialReplicationPadding(pad_l, [pad_r], [pad_t], [pad_b]): pads the
-- last two dimensions of (N,)C,H,W inputs, edge values repeated;
-- unset pads default to pad_l as in Torch7. Kernels in runtime/nn/spatial_misc.c.
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local M, parent = torch.class('nn.SpatialReplicationPadding', 'nn.Module')

function M:__init(pad_l, pad_r, pad_t, pad_b)
   parent.__init(self)
   if type(pad_l) ~= 'number' then torch._core.raise('nn.SpatialReplicationPadding: expected numbers pad_l, [pad_r, pad_t, pad_b]') end
   self.pad_l = pad_l
   self.pad_r = pad_r or pad_l
   self.pad_t = pad_t or pad_l
   self.pad_b = pad_b or pad_l
end

function M:updateOutput(input)
   THNN.checkTensor(self, input)
   if self.output._dtype ~= input._dtype then self.output = input.new() end
   THNN.check(self, C.nl_spatial_padding_forward(self.output, input, self.pad_l, self.pad_r, self.pad_t, self.pad_b, 2))
   return self.output
end

function M:updateGradInput(input, gradOutput)
   THNN.checkTensor(self, input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   THNN.check(self, C.nl_spatial_padding_backward(self.gradInput, input, gradOutput, self.pad_l, self.pad_r, self.pad_t,
      self.pad_b, 2))
   return self.gradInput
end

function M:__tostring__()
   return string.format('%s(l=%d, r=%d, t=%d, b=%d)', torch.type(self), self.pad_l, self.pad_r, self.pad_t, self.pad_b)
end
