-- nn.TemporalSubSampling(inputFrameSize, kW, [dW]): per feature, the sum
-- over each window of kW frames times the feature's weight plus its bias,
-- on (nFrame, inputFrameSize) or (N, nFrame, inputFrameSize) inputs as
-- Torch7. Built from strided views, one per frame of the window.
local torch = require 'torch'
local nn = require 'nn'

local M, parent = torch.class('nn.TemporalSubSampling', 'nn.Module')

function M:__init(inputFrameSize, kW, dW)
   parent.__init(self)
   self.inputFrameSize, self.kW, self.dW = inputFrameSize, kW, dW or 1
   for _, k in ipairs { 'inputFrameSize', 'kW', 'dW' } do
      if type(self[k]) ~= 'number' or self[k] < 1 or self[k] % 1 ~= 0 then
         torch._core.raise(string.format('nn.TemporalSubSampling: %s must be a positive integer, got %s', k,
            tostring(self[k])))
      end
   end
   self.weight = torch.Tensor(inputFrameSize)
   self.bias = torch.Tensor(inputFrameSize)
   self.gradWeight = torch.Tensor(inputFrameSize)
   self.gradBias = torch.Tensor(inputFrameSize)
   self:reset()
end

function M:reset(stdv)
   if stdv then stdv = stdv * math.sqrt(3) else stdv = 1 / math.sqrt(self.kW) end
   self.weight:uniform(-stdv, stdv)
   self.bias:uniform(-stdv, stdv)
end

function M:_geometry(input)
   nn.THNN.checkTensor(self, input)
   local d = input:dim()
   if d ~= 2 and d ~= 3 then
      nn.utils.moduleError(self, 'expected a 2D (nFrame x frameSize) or 3D (N x nFrame x frameSize) input, got ' ..
         nn.utils.shapeStr(input))
   end
   if input:size(d) ~= self.inputFrameSize then
      nn.utils.moduleError(self, string.format('input frames have %d features, expected %d', input:size(d),
         self.inputFrameSize))
   end
   local T = input:size(d - 1)
   if T < self.kW then nn.utils.moduleError(self, string.format('%d frames are fewer than the window of %d', T, self.kW)) end
   return d, math.floor((T - self.kW) / self.dW) + 1
end

-- frame k of every window: (…, oT, F)
local function tap(t, k, oT, dW)
   local d = t:dim()
   return t:narrow(d - 1, k, (oT - 1) * dW + 1):unfold(d - 1, 1, dW):select(d + 1, 1)
end

function M:_sums(input, oT)
   local sz = input:size()
   sz[input:dim() - 1] = oT
   self._sum = self._sum and self._sum._dtype == input._dtype and self._sum or input.new()
   local s = self._sum:resize(sz):zero()
   for k = 1, self.kW do s:add(tap(input, k, oT, self.dW)) end
   return s
end

function M:updateOutput(input)
   local _, oT = self:_geometry(input)
   local s = self:_sums(input, oT)
   self.output = input.new(s:size()):copy(s)
   local o = self.output:view(-1, self.inputFrameSize)   -- shares the output's storage
   o:cmul(self.weight:view(1, -1):expandAs(o)):add(self.bias:view(1, -1):expandAs(o))
   return self.output
end

function M:updateGradInput(input, gradOutput)
   local d, oT = self:_geometry(input)
   nn.THNN.checkTensor(self, gradOutput, 'gradOutput')
   if gradOutput:dim() ~= d or gradOutput:size(d - 1) ~= oT or gradOutput:size(d) ~= self.inputFrameSize then
      nn.utils.moduleError(self, string.format('gradOutput has size %s, expected %d frames of %d', nn.utils.shapeStr(gradOutput),
         oT, self.inputFrameSize))
   end
   local g = gradOutput:contiguous():view(-1, self.inputFrameSize)
   g = torch.cmul(g, self.weight:view(1, -1):expandAs(g)):viewAs(gradOutput)
   self.gradInput = input.new(input:size()):zero()
   for k = 1, self.kW do tap(self.gradInput, k, oT, self.dW):add(g) end
   return self.gradInput
end

function M:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   local _, oT = self:_geometry(input)
   local s = self:_sums(input, oT)
   local go = gradOutput:contiguous():view(-1, self.inputFrameSize)
   self.gradWeight:add(scale, torch.cmul(go, s:contiguous():view(-1, self.inputFrameSize)):sum(1):view(-1))
   self.gradBias:add(scale, go:sum(1):view(-1))
end

function M:clearState()
   if self._sum then self._sum:set() end
   return parent.clearState(self)
end
