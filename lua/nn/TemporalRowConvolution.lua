-- nn.TemporalRowConvolution(inputFrameSize, kW, [dW], [featFirst]): each
-- feature row convolved over time with its own kernel (a depthwise
-- temporal convolution). Input nInputFrame x inputFrameSize (or
-- inputFrameSize x nInputFrame with featFirst), optionally with a batch
-- dimension first; output the same layout with (T - kW) / dW + 1 frames.
-- weight inputFrameSize x 1 x kW, bias inputFrameSize. Tensor operations
-- on unfolded views: kW multiply-adds over the output per pass.
local torch = require 'torch'
local nn = require 'nn'

local TRC, parent = torch.class('nn.TemporalRowConvolution', 'nn.Module')

function TRC:__init(inputFrameSize, kW, dW, featFirst)
   parent.__init(self)
   for i, v in ipairs { inputFrameSize, kW } do
      if type(v) ~= 'number' or v < 1 then
         torch._core.raise(string.format(
            'nn.TemporalRowConvolution: expected positive inputFrameSize and kW, got argument %d = %s', i, tostring(v)))
      end
   end
   self.inputFrameSize, self.kW, self.dW = inputFrameSize, kW, dW or 1
   self.weight = torch.Tensor(inputFrameSize, 1, kW)
   self.bias = torch.Tensor(inputFrameSize)
   self.gradWeight = torch.Tensor(inputFrameSize, 1, kW)
   self.gradBias = torch.Tensor(inputFrameSize)
   self.featFirst = featFirst and true or false
   self:reset()
end

function TRC:noBias()
   self.bias, self.gradBias = nil, nil
   return self
end

function TRC:reset(stdv)
   if stdv then stdv = stdv * math.sqrt(3) else stdv = 1 / math.sqrt(self.kW * self.inputFrameSize) end
   self.weight:uniform(-stdv, stdv)
   if self.bias then self.bias:uniform(-stdv, stdv) end
   return self
end

-- x as a (N, F, T) view of a 2D or 3D tensor in the module's layout
function TRC:_rows(x)
   if x:dim() == 2 then x = x:contiguous():view(1, x:size(1), x:size(2)) end
   if not self.featFirst then x = x:transpose(2, 3) end
   return x
end

function TRC:_check(input)
   nn.utils.checkInputType(self, input)
   local d = input:dim()
   local layout = self.featFirst and 'inputFrameSize x nInputFrame' or 'nInputFrame x inputFrameSize'
   if d ~= 2 and d ~= 3 then
      nn.utils.moduleError(self, string.format('expected a 2D (%s) or 3D (batch x %s) input, got %s', layout, layout,
         nn.utils.shapeStr(input)))
   end
   local fdim = self.featFirst and d - 1 or d
   local F, T = input:size(fdim), input:size(self.featFirst and d or d - 1)
   if F ~= self.inputFrameSize then
      nn.utils.moduleError(self, string.format('input has %d features (size %s, %s), expected %d', F,
         nn.utils.shapeStr(input), layout, self.inputFrameSize))
   end
   if T < self.kW then
      nn.utils.moduleError(self, string.format('input has %d frames (size %s), fewer than the kernel width %d', T,
         nn.utils.shapeStr(input), self.kW))
   end
   return math.floor((T - self.kW) / self.dW) + 1
end

-- the result tensor r resized to the input's layout with oT frames
function TRC:_resize(r, input, oT)
   local sz = input:size()
   sz[self.featFirst and input:dim() or input:dim() - 1] = oT
   return r:resize(sz)
end

function TRC:updateOutput(input)
   local oT = self:_check(input)
   self:_resize(self.output, input, oT)
   local x = self:_rows(input):unfold(3, self.kW, self.dW) -- (N, F, oT, kW)
   local y = self:_rows(self.output)                        -- (N, F, oT)
   local N, F = y:size(1), y:size(2)
   if self.bias then y:copy(self.bias:view(1, F, 1):expand(N, F, oT)) else y:zero() end
   for k = 1, self.kW do
      y:addcmul(x:select(4, k), self.weight:narrow(3, k, 1):transpose(1, 2):expand(N, F, oT))
   end
   return self.output
end

function TRC:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   local oT = self:_check(input)
   self:_checkGradOutput(input, gradOutput, oT)
   self.gradInput:resizeAs(input):zero()
   local gi = self:_rows(self.gradInput):unfold(3, self.kW, self.dW)
   local go = self:_rows(gradOutput)
   local N, F = go:size(1), go:size(2)
   for k = 1, self.kW do
      gi:select(4, k):addcmul(go, self.weight:narrow(3, k, 1):transpose(1, 2):expand(N, F, oT))
   end
   return self.gradInput
end

function TRC:_checkGradOutput(input, gradOutput, oT)
   local want = self:_resize(input.new(), input, oT):size()
   if not torch.isTensor(gradOutput) or not gradOutput:isSize(want) then
      nn.utils.moduleError(self, string.format('gradOutput has size %s, expected %s',
         torch.isTensor(gradOutput) and nn.utils.shapeStr(gradOutput) or torch.type(gradOutput),
         table.concat(want:totable(), 'x')))
   end
end

function TRC:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   local oT = self:_check(input)
   self:_checkGradOutput(input, gradOutput, oT)
   local x = self:_rows(input):unfold(3, self.kW, self.dW)
   local go = self:_rows(gradOutput)
   local F = go:size(2)
   self._prod = self._prod or go.new()
   for k = 1, self.kW do
      self._prod:resizeAs(go):cmul(go, x:select(4, k))
      self.gradWeight:select(3, k):select(2, 1):add(scale, self._prod:sum(3):sum(1):view(F))
   end
   if self.gradBias then self.gradBias:add(scale, go:sum(3):sum(1):view(F)) end
end

function TRC:type(type, tensorCache)
   nn.utils.clear(self, 'finput', 'fgradInput', '_prod')
   return parent.type(self, type, tensorCache)
end

function TRC:clearState()
   nn.utils.clear(self, 'finput', 'fgradInput', '_input', '_gradOutput', '_prod')
   return parent.clearState(self)
end

function TRC:__tostring__()
   local s = string.format('%s(%d, %d', torch.type(self), self.inputFrameSize, self.kW)
   if self.dW ~= 1 then s = s .. string.format(', %d', self.dW) end
   if self.padW and self.padW ~= 0 then s = s .. ', ' .. self.padW end
   if self.bias then return s .. ')' end
   return s .. ') without bias'
end
