-- nn.FeatureLPPooling(width, stride, power, batch_mode): Lp pooling
-- across the feature dimension: output feature o = (sum of x^power over
-- features (o-1)*stride+1 .. +width)^(1/power), no absolute value (as
-- Torch7: an odd power of negative inputs can give NaN). Inputs
-- [batch x] features [x d1 [x d2]]; width 2..16, stride 1..4.
local torch = require 'torch'
local nn = require 'nn'

local FLP, parent = torch.class('nn.FeatureLPPooling', 'nn.Module')

function FLP:__init(width, stride, power, batch_mode)
   parent.__init(self)
   if type(width) ~= 'number' or width < 2 or width > 16 then
      torch._core.raise('nn.FeatureLPPooling: width must be within 2 to 16, got ' .. tostring(width))
   end
   if type(stride) ~= 'number' or stride < 1 or stride > 4 then
      torch._core.raise('nn.FeatureLPPooling: stride must be within 1 to 4, got ' .. tostring(stride))
   end
   if type(power) ~= 'number' or power <= 0 then
      torch._core.raise('nn.FeatureLPPooling: power must be a positive number, got ' .. tostring(power))
   end
   self.width, self.stride, self.power = width, stride, power
   self.batch_mode = batch_mode and true or false
   self.output = torch.Tensor()
   self.gradInput = torch.Tensor()
end

-- x as (B, F, R): batch, features, the rest flattened (a copy when x is
-- not contiguous)
function FLP:_flat(x)
   nn.utils.checkInputType(self, x, self.output)
   local b = self.batch_mode and 1 or 0
   local d = x:dim()
   if d < 1 + b or d > 3 + b then
      nn.utils.moduleError(self, string.format('expected a %s input (%s), got %s', self.batch_mode and '2D to 4D' or
         '1D to 3D', self.batch_mode and 'batch x features [x d1 [x d2]]' or 'features [x d1 [x d2]]',
         nn.utils.shapeStr(x)))
   end
   local F = x:size(1 + b)
   if F < self.width then
      nn.utils.moduleError(self, string.format('input has %d features (size %s), fewer than the width %d', F,
         nn.utils.shapeStr(x), self.width))
   end
   local B = b == 1 and x:size(1) or 1
   return x:contiguous():view(B, F, -1), B, F, math.floor((F - self.width) / self.stride) + 1
end

local function outSize(self, input, oF)
   local sz = input:size()
   sz[self.batch_mode and 2 or 1] = oF
   return sz
end

function FLP:updateOutput(input)
   local x, B, _, oF = self:_flat(input)
   self.output:resize(outSize(self, input, oF))
   local y = self.output:view(B, oF, -1)
   local win = x:unfold(2, self.width, self.stride) -- (B, oF, R, width)
   self._pow = self._pow or input.new()
   self._pow:resizeAs(win):copy(win):pow(self.power)
   torch.sum(y, self._pow, 4)
   y:pow(1 / self.power)
   return self.output
end

-- dy/dx_i = (x_i / y)^(power-1) for each window holding x_i; 0 where y = 0
function FLP:updateGradInput(input, gradOutput)
   local x, B, F, oF = self:_flat(input)
   if not gradOutput:isSize(self.output:size()) then
      nn.utils.moduleError(self, string.format('gradOutput has size %s, expected %s', nn.utils.shapeStr(gradOutput),
         nn.utils.shapeStr(self.output)))
   end
   self.gradInput:resizeAs(input):zero()
   local gi = self.gradInput:view(B, F, -1):unfold(2, self.width, self.stride)
   local win = x:unfold(2, self.width, self.stride)
   local y = self.output:view(B, oF, -1)
   local go = gradOutput:contiguous():view(B, oF, -1)
   self._scale = self._scale or input.new()
   self._term = self._term or input.new()
   -- go / y^(p-1), zero where y is zero
   local ypow = y.new():resizeAs(y):copy(y):pow(self.power - 1)
   self._scale:resizeAs(go):cdiv(go, ypow)
   self._scale:maskedFill(y:eq(0), 0)
   for i = 1, self.width do
      self._term:resizeAs(self._scale):copy(win:select(4, i)):pow(self.power - 1):cmul(self._scale)
      gi:select(4, i):add(self._term)
   end
   return self.gradInput
end

function FLP:clearState()
   nn.utils.clear(self, '_pow', '_scale', '_term')
   return parent.clearState(self)
end

function FLP:__tostring__()
   return string.format('%s(w%d s%d power %d batch %d', torch.type(self), self.width, self.stride, self.power,
      self.batch_mode and 1 or 0)
end
