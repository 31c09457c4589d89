-- nn.HardTanh: y = clamp(x, min_value, max_value), elementwise; the kernels are runtime/nn/activation.c.
local torch = require 'torch'
local nn = require 'nn'

local HardTanh, parent = torch.class('nn.HardTanh', 'nn.Module')

function HardTanh:__init(min_value, max_value, inplace)
   parent.__init(self)
   self.min_val = min_value or -1
   self.max_val = max_value or 1
   self.inplace = inplace or false
   if self.max_val <= self.min_val then
      torch._core.raise('nn.HardTanh: max_value must be larger than min_value')
   end
end

nn.THNN.activation(HardTanh, torch._core.C.NL_ACT_HARDTANH, function(self) return self.min_val, self.max_val end)
