-- nn.VolumetricFractionalMaxPooling(poolSizeT, poolSizeW, poolSizeH, outT,
-- outW, outH) or (..., ratioT, ratioW, ratioH): SpatialFractionalMaxPooling
-- over (N,)C x D1 x D2 x D3 volumes with randomSamples N x C x 3. As
-- Torch7, the last dimension takes the T size, pool size and sample 1,
-- the one before W (sample 2), the third-last H (sample 3). Forward in
-- runtime/nn/pool_window.c; backward VolumetricMaxPooling's.
local torch = require 'torch'
local nn = require 'nn'
local C = torch._core.C
local THNN = nn.THNN
require 'nn.SpatialFractionalMaxPooling'

local VFMP, parent = torch.class('nn.VolumetricFractionalMaxPooling', 'nn.SpatialFractionalMaxPooling')

VFMP._nd = 3

function VFMP:__init(poolSizeT, poolSizeW, poolSizeH, arg1, arg2, arg3)
   nn.Module.__init(self)
   for i, v in ipairs { poolSizeT, poolSizeW, poolSizeH } do
      if type(v) ~= 'number' or v < 2 then
         torch._core.raise(string.format('nn.VolumetricFractionalMaxPooling: pool sizes must be at least 2, got '
            .. 'argument %d = %s', i, tostring(v)))
      end
   end
   if type(arg1) ~= 'number' or type(arg2) ~= 'number' or type(arg3) ~= 'number' then
      torch._core.raise('nn.VolumetricFractionalMaxPooling: expected output sizes (outT, outW, outH) or ratios')
   end
   self.poolSizeT, self.poolSizeW, self.poolSizeH = poolSizeT, poolSizeW, poolSizeH
   self.randomSamples = nil
   self.newRandomPool = false
   if arg1 >= 1 and arg2 >= 1 and arg3 >= 1 then
      self.outT, self.outW, self.outH = arg1, arg2, arg3
   else
      for _, r in ipairs { arg1, arg2, arg3 } do
         if not (r > 0 and r < 1) then
            torch._core.raise(string.format('nn.VolumetricFractionalMaxPooling: ratios must lie in (0, 1), got %s, '
               .. '%s, %s', tostring(arg1), tostring(arg2), tostring(arg3)))
         end
      end
      self.ratioT, self.ratioW, self.ratioH = arg1, arg2, arg3
   end
end

function VFMP:_planes(input)
   local d = input:dim()
   if d ~= 4 and d ~= 5 then
      nn.utils.moduleError(self, 'expected a 4D (C x T x H x W) or 5D (N x C x T x H x W) input, got ' ..
         nn.utils.shapeStr(input))
   end
   if d == 4 then return 1, input:size(1) end
   return input:size(1), input:size(2)
end

function VFMP:getOutputSizes_(input)
   local outT, outW, outH = self.outT, self.outW, self.outH
   if self.ratioW ~= nil and self.ratioH ~= nil then
      local d = input:dim()
      outT = math.floor(input:size(d) * self.ratioT)
      outW = math.floor(input:size(d - 1) * self.ratioW)
      outH = math.floor(input:size(d - 2) * self.ratioH)
      if outT < 1 or outW < 1 or outH < 1 then
         nn.utils.moduleError(self, 'reduction ratio or input size too small for input ' .. nn.utils.shapeStr(input))
      end
   end
   return outT, outW, outH
end

function VFMP:updateOutput(input)
   THNN.checkTensor(self, input)
   self:_planes(input)
   if self.output._dtype ~= input._dtype then self.output = input.new() end
   -- the indices on the input's device (after :cuda(), a CudaTensor of indices)
   if not self.indices or self.indices._dtype ~= C.NL_LONG or self.indices._device ~= input._device then
      self.indices = torch._core.new(C.NL_LONG, input._device)
   end
   self:initSampleBuffer_(input)
   local outT, outW, outH = self:getOutputSizes_(input)
   THNN.check(self, C.nl_volumetric_fractional_max_pool_forward(self.output, self.indices, input, self.randomSamples,
      outT, outW, outH, self.poolSizeT, self.poolSizeW, self.poolSizeH))
   return self.output
end

function VFMP:__tostring__()
   return string.format('%s(%dx%dx%d, %d,%d,%d)', torch.type(self), self.outT or self.ratioT, self.outW or self.ratioW,
      self.outH or self.ratioH, self.poolSizeT, self.poolSizeW, self.poolSizeH)
end
