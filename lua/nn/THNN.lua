-- nn.THNN: shared glue between the Lua modules and the C kernels of
-- runtime/nn (the role of Torch7's THNN.lua): argument checks that name
-- the module, and the forward/backward of pointwise activations.
local ffi = require 'ffi'
local torch = require 'torch'
local nn = require 'nn'
local core = torch._core
local C = core.C

local THNN = {}
nn.THNN = THNN

-- Runs a C status, raising '<module>: <message without the C prefix>'.
function THNN.check(m, rc)
   if rc ~= 0 then
      local msg = ffi.string(C.nl_last_error()):gsub('^nn%.[%w_]+: ', '')
      nn.utils.moduleError(m, msg)
   end
   if C.nl_mem_should_collect() ~= 0 then core.collect() end
end

-- The input must be a float/double tensor of the module's type.
function THNN.checkTensor(m, x, what)
   if not torch.isTensor(x) then
      nn.utils.moduleError(m, string.format('%s should be a tensor, got %s', what or 'input', torch.type(x)))
   end
   if x._dtype ~= C.NL_FLOAT and x._dtype ~= C.NL_DOUBLE then
      nn.utils.moduleError(m, string.format('%s is %s; expected a FloatTensor or DoubleTensor (call :float() or :double())',
         what or 'input', torch.typename(x)))
   end
   if x:nElement() == 0 then nn.utils.moduleError(m, (what or 'input') .. ' is empty') end
end

-- Whether tensors a and b have one dtype and one device (a buffer made
-- for a FloatTensor input is no use for a CudaTensor one).
function THNN.sameType(a, b)
   return a._dtype == b._dtype and a._device == b._device
end

-- Makes cls a pointwise activation: params(self) -> p1, p2.
function THNN.activation(cls, op, params)
   params = params or function() return 0, 0 end
   function cls:updateOutput(input)
      THNN.checkTensor(self, input)
      local p1, p2 = params(self)
      if self.inplace then
         THNN.check(self, C.nl_act_forward(input, input, op, p1, p2))
         self.output:set(input)
      else
         if not THNN.sameType(self.output, input) then self.output = input.new() end
         THNN.check(self, C.nl_act_forward(self.output, input, op, p1, p2))
      end
      return self.output
   end
   function cls:updateGradInput(input, gradOutput)
      THNN.checkTensor(self, input)
      THNN.checkTensor(self, gradOutput, 'gradOutput')
      local p1, p2 = params(self)
      if self.inplace then
         THNN.check(self, C.nl_act_backward(gradOutput, gradOutput, input, self.output, op, p1, p2))
         self.gradInput:set(gradOutput)
      else
         if not THNN.sameType(self.gradInput, input) then self.gradInput = input.new() end
         THNN.check(self, C.nl_act_backward(self.gradInput, gradOutput, input, self.output, op, p1, p2))
      end
      return self.gradInput
   end
   return cls
end

-- Makes cls a pointwise criterion (runtime/nn/criterion.c op `op`) with
-- Torch7's sizeAverage argument: cls(sizeAverage = true).
local loss = ffi.new('double[1]')
function THNN.pointwiseCriterion(cls, parent, op)
   function cls:__init(sizeAverage)
      parent.__init(self)
      if sizeAverage ~= nil then self.sizeAverage = sizeAverage else self.sizeAverage = true end
   end
   local function check(self, input, target)
      THNN.checkTensor(self, input)
      THNN.checkTensor(self, target, 'target')
   end
   function cls:updateOutput(input, target)
      check(self, input, target)
      THNN.check(self, C.nl_pointwise_criterion_forward(loss, input, target, nil, op, self.sizeAverage and 1 or 0))
      self.output = loss[0]
      return self.output
   end
   function cls:updateGradInput(input, target)
      check(self, input, target)
      if not THNN.sameType(self.gradInput, input) then self.gradInput = input.new() end
      THNN.check(self, C.nl_pointwise_criterion_backward(self.gradInput, input, target, nil, op,
         self.sizeAverage and 1 or 0))
      return self.gradInput
   end
   return cls
end

return THNN
