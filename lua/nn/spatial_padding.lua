-- The three spatial padding modules (nn.SpatialZeroPadding,
-- nn.SpatialReflectionPadding, nn.SpatialReplicationPadding) differ only
-- in the C kernel's mode (runtime/nn/spatial_misc.c): 0 zeros (negative
-- pads crop), 1 mirrored (the edge not repeated), 2 the edge repeated.
-- define(name, mode) makes the class: (pad_l, [pad_r], [pad_t], [pad_b]),
-- unset pads defaulting to pad_l as in Torch7, on (N,)C,H,W inputs.
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

return function(name, mode)
   local M, parent = torch.class(name, 'nn.Module')

   function M:__init(pad_l, pad_r, pad_t, pad_b)
      parent.__init(self)
      if type(pad_l) ~= 'number' then torch._core.raise(name .. ': expected numbers pad_l, [pad_r, pad_t, pad_b]') end
      self.pad_l = pad_l
      self.pad_r = pad_r or pad_l
      self.pad_t = pad_t or pad_l
      self.pad_b = pad_b or pad_l
   end

   function M:updateOutput(input)
      THNN.checkTensor(self, input)
      if self.output._dtype ~= input._dtype then self.output = input.new() end
      THNN.check(self, C.nl_spatial_padding_forward(self.output, input, self.pad_l, self.pad_r, self.pad_t, self.pad_b,
         mode))
      return self.output
   end

   function M:updateGradInput(input, gradOutput)
      THNN.checkTensor(self, input)
      THNN.checkTensor(self, gradOutput, 'gradOutput')
      if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
      THNN.check(self, C.nl_spatial_padding_backward(self.gradInput, input, gradOutput, self.pad_l, self.pad_r,
         self.pad_t, self.pad_b, mode))
      return self.gradInput
   end

   function M:__tostring__()
      return string.format('%s(l=%d, r=%d, t=%d, b=%d)', torch.type(self), self.pad_l, self.pad_r, self.pad_t, self.pad_b)
   end
   return M
end
