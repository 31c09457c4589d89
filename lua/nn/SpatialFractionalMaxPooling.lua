-- nn.SpatialFractionalMaxPooling(poolSizeW, poolSizeH, outW, outH) or
-- (poolSizeW, poolSizeH, ratioW, ratioH): max pooling over poolSize
-- windows at pseudo-random positions (Graham 2014) giving an outH x outW
-- output (or floor(ratio * input size)). One sample in [0, 1) per image,
-- plane and dimension (randomSamples, N x C x 2) places the windows; new
-- samples are drawn at each forward unless fixPoolingRegions() (or
-- randomSamples set by the caller and fixed). Forward in
-- runtime/nn/pool_window.c; backward SpatialMaxPooling's.
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN

local SFMP, parent = torch.class('nn.SpatialFractionalMaxPooling', 'nn.Module')

function SFMP:__init(poolSizeW, poolSizeH, arg1, arg2)
   parent.__init(self)
   if type(poolSizeW) ~= 'number' or type(poolSizeH) ~= 'number' or poolSizeW < 2 or poolSizeH < 2 then
      torch._core.raise(string.format('nn.SpatialFractionalMaxPooling: pool sizes must be at least 2, got %s, %s',
         tostring(poolSizeW), tostring(poolSizeH)))
   end
   if type(arg1) ~= 'number' or type(arg2) ~= 'number' then
      torch._core.raise('nn.SpatialFractionalMaxPooling: expected output sizes (outW, outH) or ratios (ratioW, ratioH)')
   end
   self.poolSizeW, self.poolSizeH = poolSizeW, poolSizeH
   self.randomSamples = nil
   self.newRandomPool = false
   if arg1 >= 1 and arg2 >= 1 then
      self.outW, self.outH = arg1, arg2
   else
      if not (arg1 > 0 and arg1 < 1 and arg2 > 0 and arg2 < 1) then
         torch._core.raise(string.format('nn.SpatialFractionalMaxPooling: ratios must lie in (0, 1), got %s, %s',
            tostring(arg1), tostring(arg2)))
      end
      self.ratioW, self.ratioH = arg1, arg2
   end
end

function SFMP:_planes(input)
   local d = input:dim()
   if d ~= 3 and d ~= 4 then
      nn.utils.moduleError(self, 'expected a 3D (C x H x W) or 4D (N x C x H x W) input, got ' ..
         nn.utils.shapeStr(input))
   end
   if d == 3 then return 1, input:size(1) end
   return input:size(1), input:size(2)
end

-- samples: drawn when missing or of the wrong size, redrawn at each
-- forward unless the regions are fixed
function SFMP:initSampleBuffer_(input)
   local N, P = self:_planes(input)
   local nd = self._nd or 2
   local s = self.randomSamples
   if s == nil or torch.typename(s) ~= torch.typename(input) then
      self.randomSamples = input.new(N, P, nd):uniform()
   elseif s:size(1) ~= N or s:size(2) ~= P then
      s:resize(N, P, nd):uniform()
   elseif not self.newRandomPool then
      s:uniform()
   end
end

function SFMP:getOutputSizes_(input)
   local outW, outH = self.outW, self.outH
   if self.ratioW ~= nil and self.ratioH ~= nil then
      local d = input:dim()
      outW = math.floor(input:size(d) * self.ratioW)
      outH = math.floor(input:size(d - 1) * self.ratioH)
      if outW < 1 or outH < 1 then
         nn.utils.moduleError(self, 'reduction ratio or input size too small for input ' .. nn.utils.shapeStr(input))
      end
   end
   return outW, outH
end

-- val (default true): keep the current samples at later forwards
function SFMP:fixPoolingRegions(val)
   if val == nil then val = true end
   self.newRandomPool = val
   return self
end

function SFMP:updateOutput(input)
   THNN.checkTensor(self, input)
   self:_planes(input)
   if self.output._dtype ~= input._dtype then self.output = input.new() end
   -- the indices on the input's device (after :cuda(), a CudaTensor of indices)
   if not self.indices or self.indices._dtype ~= C.NL_LONG or self.indices._device ~= input._device then
      self.indices = torch._core.new(C.NL_LONG, input._device)
   end
   self:initSampleBuffer_(input)
   local outW, outH = self:getOutputSizes_(input)
   THNN.check(self, C.nl_spatial_fractional_max_pool_forward(self.output, self.indices, input, self.randomSamples,
      outW, outH, self.poolSizeW, self.poolSizeH))
   return self.output
end

function SFMP:updateGradInput(input, gradOutput)
   if self.randomSamples == nil or not self.indices then nn.utils.moduleError(self, 'must call forward first') end
   THNN.checkTensor(self, input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   if not gradOutput:isSize(self.indices:size()) then
      nn.utils.moduleError(self, string.format('gradOutput has size %s, expected the output size %s',
         nn.utils.shapeStr(gradOutput), nn.utils.shapeStr(self.indices)))
   end
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   THNN.check(self, (self._nd == 3 and C.nl_volumetric_max_pool_backward or C.nl_spatial_max_pool_backward)(
      self.gradInput, input, gradOutput, self.indices))
   return self.gradInput
end

function SFMP:empty()
   self:clearState()
end

function SFMP:clearState()
   self.indices = nil
   self.randomSamples = nil
   return parent.clearState(self)
end

function SFMP:__tostring__()
   return string.format('%s(%dx%d, %d,%d)', torch.type(self), self.outW or self.ratioW, self.outH or self.ratioH,
      self.poolSizeW, self.poolSizeH)
end
