-- nn.SpatialLPPooling(nInputPlane, pnorm, kW, kH, [dW], [dH]): the p-norm
-- of each kW x kH window, (sum x^p)^(1/p), built as Torch7 builds it: a
-- Sequential of Square (or Power(p)), SpatialAveragePooling, MulConstant(
-- kW*kH) and Sqrt (or Power(1/p)), with no parameters of its own.
local torch = require 'torch'
local nn = require 'nn'

local SpatialLPPooling, parent = torch.class('nn.SpatialLPPooling', 'nn.Sequential')

function SpatialLPPooling:__init(nInputPlane, pnorm, kW, kH, dW, dH)
   parent.__init(self)
   for i, v in ipairs { nInputPlane, kW, kH } do
      if type(v) ~= 'number' or v < 1 then
         torch._core.raise(string.format('nn.SpatialLPPooling: expected positive nInputPlane, kW, kH, got argument %d = %s',
            i, tostring(v)))
      end
   end
   if type(pnorm) ~= 'number' or pnorm <= 0 then
      torch._core.raise('nn.SpatialLPPooling: expected a positive pnorm, got ' .. tostring(pnorm))
   end
   dW = dW or kW
   dH = dH or kH
   self.nInputPlane, self.pnorm = nInputPlane, pnorm
   self.kW, self.kH, self.dW, self.dH = kW, kH, dW, dH
   if pnorm == 2 then self:add(nn.Square()) else self:add(nn.Power(pnorm)) end
   self:add(nn.SpatialAveragePooling(kW, kH, dW, dH))
   self:add(nn.MulConstant(kW * kH))
   if pnorm == 2 then self:add(nn.Sqrt()) else self:add(nn.Power(1 / pnorm)) end
end

-- the input's shape is checked here, so that a bad one is reported under
-- this module's name rather than a child's
local function check(self, input)
   if not torch.isTensor(input) then
      nn.utils.moduleError(self, 'input should be a tensor, got ' .. torch.type(input))
   end
   local d = input:dim()
   if d ~= 3 and d ~= 4 then
      nn.utils.moduleError(self, string.format('expected a 3D (%d x H x W) or 4D (N x %d x H x W) input, got %s',
         self.nInputPlane, self.nInputPlane, nn.utils.shapeStr(input)))
   end
   if self.nInputPlane and input:size(d - 2) ~= self.nInputPlane then
      nn.utils.moduleError(self, string.format('input has %d planes, expected %d', input:size(d - 2), self.nInputPlane))
   end
   if input:size(d - 1) < self.kH or input:size(d) < self.kW then
      nn.utils.moduleError(self, string.format('input image %dx%d is smaller than the %dx%d kernel', input:size(d - 1),
         input:size(d), self.kH, self.kW))
   end
end

function SpatialLPPooling:updateOutput(input)
   check(self, input)
   return parent.updateOutput(self, input)
end

function SpatialLPPooling:updateGradInput(input, gradOutput)
   check(self, input)
   return parent.updateGradInput(self, input, gradOutput)
end

-- the children's (absent) parameters are not learnt
function SpatialLPPooling:reset() end
function SpatialLPPooling:accGradParameters() end
function SpatialLPPooling:accUpdateGradParameters() end
function SpatialLPPooling:zeroGradParameters() end
function SpatialLPPooling:updateParameters() end
