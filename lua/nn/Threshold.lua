-- nn.Threshold: y = x if x > threshold, else val (inplace optional), elementwise; the kernels are runtime/nn/activation.c.
local torch = require 'torch'
local nn = require 'nn'

local Threshold, parent = torch.class('nn.Threshold', 'nn.Module')

function Threshold:__init(th, v, ip)
   parent.__init(self)
   self.threshold = th or 1e-6
   self.val = v or 0
   self.inplace = ip or false
   if self.inplace and self.val > self.threshold then
      torch._core.raise('nn.Threshold: in-place operation requires val <= threshold')
   end
end

nn.THNN.activation(Threshold, torch._core.C.NL_ACT_RELU, function(self) return self.threshold, self.val end)
