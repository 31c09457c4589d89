-- nn.UpSampling(scale | {[odepth=,] oheight=, owidth=}, [mode]): upsamples
-- the spatial (N x C x H x W) or volumetric (N x C x T x H x W) input by an
-- integer scale, 'nearest' (the default; any other mode name but 'linear',
-- 'bilinear' or 'trilinear' means nearest, as Torch7) or 'linear'.
-- Spatial inputs go through SpatialUpSamplingNearest / Bilinear (the same
-- kernels and output sizes as Torch7: H x scale for both);
-- volumetric nearest repeats every element s x s x s times. Trilinear
-- (volumetric linear) upsampling is not implemented yet and says so.
local torch = require 'torch'
local nn = require 'nn'

local M, parent = torch.class('nn.UpSampling', 'nn.Module')

function M:__init(params, mode)
   parent.__init(self)
   self.mode = (mode == 'linear' or mode == 'bilinear' or mode == 'trilinear') and 'linear' or 'nearest'
   if type(params) == 'table' then
      if self.mode == 'nearest' then torch._core.raise('nn.UpSampling: nearest neighbour upsampling needs a scale factor') end
      self.odepth, self.oheight, self.owidth = params.odepth, params.oheight, params.owidth
      if self.oheight == nil or self.owidth == nil then
         torch._core.raise('nn.UpSampling: output height and width (oheight=, owidth=) are required')
      end
   else
      if type(params) ~= 'number' or params < 1 or params % 1 ~= 0 then
         torch._core.raise('nn.UpSampling: the scale factor must be a positive integer, got ' .. tostring(params))
      end
      self.scale_factor = params
   end
end

-- the module doing the work for this input (made once per kind of input)
function M:_inner(input)
   nn.THNN.checkTensor(self, input)
   local d = input:dim()
   if d ~= 4 and d ~= 5 then
      nn.utils.moduleError(self, 'expected a 4D (N x C x H x W) or 5D (N x C x T x H x W) input, got ' ..
         nn.utils.shapeStr(input))
   end
   if d == 5 and self.mode == 'linear' then
      nn.utils.moduleError(self, 'trilinear (volumetric linear) upsampling is not implemented yet')
   end
   local key = d .. self.mode
   if self._key ~= key then
      if d == 5 then self._m = false
      elseif self.mode == 'nearest' then self._m = nn.SpatialUpSamplingNearest(self.scale_factor)
      elseif self.scale_factor then self._m = nn.SpatialUpSamplingBilinear(self.scale_factor)
      else self._m = nn.SpatialUpSamplingBilinear({ oheight = self.oheight, owidth = self.owidth }) end
      self._key = key
   end
   return self._m
end

-- positions 1..n each repeated s times
local function repeated(n, s)
   local idx = torch.LongTensor(n * s)
   for i = 1, n * s do idx[i] = math.floor((i - 1) / s) + 1 end
   return idx
end

function M:updateOutput(input)
   local m = self:_inner(input)
   if m then
      self.output = m:updateOutput(input)
   else
      local s = self.scale_factor
      self._idx = { repeated(input:size(3), s), repeated(input:size(4), s), repeated(input:size(5), s) }
      self.output = input:index(5, self._idx[3]):index(4, self._idx[2]):index(3, self._idx[1])
   end
   return self.output
end

function M:updateGradInput(input, gradOutput)
   local m = self:_inner(input)
   if m then
      self.gradInput = m:updateGradInput(input, gradOutput)
   else
      nn.THNN.checkTensor(self, gradOutput, 'gradOutput')
      if not gradOutput:isSameSizeAs(self.output) then
         nn.utils.moduleError(self, string.format('gradOutput has size %s, expected %s', nn.utils.shapeStr(gradOutput),
            nn.utils.shapeStr(self.output)))
      end
      local sz = gradOutput:size()
      sz[3] = input:size(3)
      local gt = input.new(sz):zero():indexAdd(3, self._idx[1], gradOutput)
      sz[4] = input:size(4)
      local gh = input.new(sz):zero():indexAdd(4, self._idx[2], gt)
      self.gradInput = input.new(input:size()):zero():indexAdd(5, self._idx[3], gh)
   end
   return self.gradInput
end

function M:__tostring__()
   if self.scale_factor then return string.format('%s(%dx, %s)', torch.type(self), self.scale_factor, self.mode) end
   return string.format('%s(%dx%d, %s)', torch.type(self), self.oheight, self.owidth, self.mode)
end

function M:clearState()
   self._m, self._key, self._idx = nil, nil, nil
   return parent.clearState(self)
end
