-- nn.SpatialSubSampling(nInputPlane, kW, kH, [dW], [dH]): per plane, the
-- sum over each kW x kH window times the plane's weight plus its bias
-- (LeNet-5's subsampling layer), on (N,)C,H,W inputs as Torch7. Built from
-- strided views: one per tap of the window.
local torch = require 'torch'
local nn = require 'nn'

local M, parent = torch.class('nn.SpatialSubSampling', 'nn.Module')

function M:__init(nInputPlane, kW, kH, dW, dH)
   parent.__init(self)
   self.nInputPlane, self.kW, self.kH = nInputPlane, kW, kH
   self.dW, self.dH = dW or 1, dH or 1
   for _, k in ipairs { 'nInputPlane', 'kW', 'kH', 'dW', 'dH' } do
      if type(self[k]) ~= 'number' or self[k] < 1 or self[k] % 1 ~= 0 then
         torch._core.raise(string.format('nn.SpatialSubSampling: %s must be a positive integer, got %s', k,
            tostring(self[k])))
      end
   end
   self.weight = torch.Tensor(nInputPlane)
   self.bias = torch.Tensor(nInputPlane)
   self.gradWeight = torch.Tensor(nInputPlane)
   self.gradBias = torch.Tensor(nInputPlane)
   self:reset()
end

function M:reset(stdv)
   if stdv then stdv = stdv * math.sqrt(3) else stdv = 1 / math.sqrt(self.kW * self.kH) end
   self.weight:uniform(-stdv, stdv)
   self.bias:uniform(-stdv, stdv)
end

-- checks the input; returns the plane dimension and the output size
function M:_geometry(input)
   nn.THNN.checkTensor(self, input)
   local d = input:dim()
   if d ~= 3 and d ~= 4 then
      nn.utils.moduleError(self, 'expected a 3D (C x H x W) or 4D (N x C x H x W) input, got ' .. nn.utils.shapeStr(input))
   end
   local cdim = d - 2
   if input:size(cdim) ~= self.nInputPlane then
      nn.utils.moduleError(self, string.format('input has %d planes, expected %d', input:size(cdim), self.nInputPlane))
   end
   local H, W = input:size(d - 1), input:size(d)
   if H < self.kH or W < self.kW then
      nn.utils.moduleError(self, string.format('input image %dx%d is smaller than the %dx%d kernel', H, W, self.kH, self.kW))
   end
   return cdim, math.floor((H - self.kH) / self.dH) + 1, math.floor((W - self.kW) / self.dW) + 1
end

-- the view of t (…, H, W) holding tap (i, j) of every window: (…, oH, oW)
local function tap(t, i, j, oH, oW, dH, dW)
   local d = t:dim()
   local v = t:narrow(d - 1, i, (oH - 1) * dH + 1):narrow(d, j, (oW - 1) * dW + 1)
   return v:unfold(d - 1, 1, dH):unfold(d, 1, dW):select(d + 2, 1):select(d + 1, 1)
end

-- a per-plane vector v (C) shaped to broadcast over t's planes
local function per_plane(v, t, cdim)
   local sz = {}
   for k = 1, t:dim() do sz[k] = k == cdim and v:size(1) or 1 end
   return v:view(torch.LongStorage(sz)):expandAs(t)
end

function M:_sums(input, oH, oW)
   local sz = input:size()
   sz[input:dim() - 1], sz[input:dim()] = oH, oW
   self._sum = self._sum and self._sum._dtype == input._dtype and self._sum or input.new()
   local s = self._sum:resize(sz):zero()
   for i = 1, self.kH do
      for j = 1, self.kW do s:add(tap(input, i, j, oH, oW, self.dH, self.dW)) end
   end
   return s
end

function M:updateOutput(input)
   local cdim, oH, oW = self:_geometry(input)
   local s = self:_sums(input, oH, oW)
   self.output = input.new(s:size()):copy(s)
   self.output:cmul(per_plane(self.weight, s, cdim)):add(per_plane(self.bias, s, cdim))
   return self.output
end

function M:updateGradInput(input, gradOutput)
   local cdim, oH, oW = self:_geometry(input)
   nn.THNN.checkTensor(self, gradOutput, 'gradOutput')
   if gradOutput:dim() ~= input:dim() or gradOutput:size(input:dim() - 1) ~= oH or gradOutput:size(input:dim()) ~= oW then
      nn.utils.moduleError(self, string.format('gradOutput has size %s, expected %dx%d images', nn.utils.shapeStr(gradOutput),
         oH, oW))
   end
   local g = torch.cmul(gradOutput, per_plane(self.weight, gradOutput, cdim))
   self.gradInput = input.new(input:size()):zero()
   for i = 1, self.kH do
      for j = 1, self.kW do tap(self.gradInput, i, j, oH, oW, self.dH, self.dW):add(g) end
   end
   return self.gradInput
end

function M:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   local cdim, oH, oW = self:_geometry(input)
   local s = self:_sums(input, oH, oW)
   local prod = torch.cmul(gradOutput, s)
   -- sum everything but the plane dimension
   local function plane_sums(t)
      if t:dim() == 4 then t = t:transpose(1, 2) end
      return t:contiguous():view(self.nInputPlane, -1):sum(2):view(self.nInputPlane)
   end
   self.gradWeight:add(scale, plane_sums(prod))
   self.gradBias:add(scale, plane_sums(gradOutput))
end

function M:clearState()
   if self._sum then self._sum:set() end
   return parent.clearState(self)
end
