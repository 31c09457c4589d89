-- nn.TemporalConvolution(inputFrameSize, outputFrameSize, kW, [dW]): 1D
-- convolution over a sequence of frames, input nInputFrame x
-- inputFrameSize (or N x nInputFrame x inputFrameSize); weight
-- outputFrameSize x (kW*inputFrameSize), GEMMs on strided views of the
-- input (runtime/nn/conv_temporal.c).
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local TemporalConvolution, parent = torch.class('nn.TemporalConvolution', 'nn.Module')

function TemporalConvolution:__init(inputFrameSize, outputFrameSize, kW, dW)
   parent.__init(self)
   for i, v in ipairs { inputFrameSize, outputFrameSize, kW, dW or 1 } do
      if type(v) ~= 'number' or v < 1 then
         torch._core.raise(string.format(
            'nn.TemporalConvolution: expected positive inputFrameSize, outputFrameSize, kW, dW, got argument %d = %s',
            i, tostring(v)))
      end
   end
   self.inputFrameSize, self.outputFrameSize = inputFrameSize, outputFrameSize
   self.kW, self.dW = kW, dW or 1
   self.weight = torch.Tensor(outputFrameSize, inputFrameSize * kW)
   self.bias = torch.Tensor(outputFrameSize)
   self.gradWeight = torch.Tensor(outputFrameSize, inputFrameSize * kW)
   self.gradBias = torch.Tensor(outputFrameSize)
   self:reset()
end

function TemporalConvolution:noBias()
   self.bias, self.gradBias = nil, nil
   return self
end

-- uniform in +-1/sqrt(kW*inputFrameSize), weight then bias (Torch7)
function TemporalConvolution:reset(stdv)
   if stdv then stdv = stdv * math.sqrt(3) else stdv = 1 / math.sqrt(self.kW * self.inputFrameSize) end
   self.weight:uniform(-stdv, stdv)
   if self.bias then self.bias:uniform(-stdv, stdv) end
   return self
end

local function check(self, input)
   nn.utils.checkInputType(self, input)
end

local function geom(self)
   return self.inputFrameSize, self.outputFrameSize, self.kW, self.dW
end

function TemporalConvolution:updateOutput(input)
   check(self, input)
   if self.output._dtype ~= input._dtype then self.output = input.new() end
   THNN.check(self, C.nl_temporal_conv_forward(self.output, input, self.weight:contiguous(), self.bias, geom(self)))
   return self.output
end

function TemporalConvolution:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   check(self, input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   THNN.check(self, C.nl_temporal_conv_backward(self.gradInput, input, gradOutput, self.weight:contiguous(), geom(self)))
   return self.gradInput
end

function TemporalConvolution:accGradParameters(input, gradOutput, scale)
   check(self, input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   local fi, fo, kW, dW = geom(self)
   THNN.check(self, C.nl_temporal_conv_acc_grad(self.gradWeight, self.gradBias, input, gradOutput, fi, fo, kW, dW,
      scale or 1))
end

-- shared or not, the update goes straight into the weights, as in Torch7
-- (the inherited accUpdateGradParameters would call this one back when shared)
TemporalConvolution.sharedAccUpdateGradParameters = nn.Module.defaultAccUpdateGradParameters
