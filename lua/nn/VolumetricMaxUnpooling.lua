-- nn.VolumetricMaxUnpooling(poolingModule): the inverse of a
-- VolumetricMaxPooling whose kernel equals its stride: each value goes
-- back where the pooling found its maximum, zeros elsewhere, at the
-- pooling's input size. A scatter (forward) and gather (backward) over
-- the pooling's flat per-plane indices.
local torch = require 'torch'
local nn = require 'nn'
local THNN = nn.THNN

local VMU, parent = torch.class('nn.VolumetricMaxUnpooling', 'nn.Module')

function VMU:__init(poolingModule)
   parent.__init(self)
   if torch.type(poolingModule) ~= 'nn.VolumetricMaxPooling' then
      torch._core.raise('nn.VolumetricMaxUnpooling: expected a nn.VolumetricMaxPooling, got ' ..
         torch.type(poolingModule))
   end
   local p = poolingModule
   if p.kT ~= p.dT or p.kH ~= p.dH or p.kW ~= p.dW then
      torch._core.raise("nn.VolumetricMaxUnpooling: the pooling module's kernel must equal its stride")
   end
   self.pooling = poolingModule
end

function VMU:setParams()
   local p = self.pooling
   self.indices = p.indices
   self.otime, self.oheight, self.owidth = p.itime, p.iheight, p.iwidth
   self.dT, self.dH, self.dW = p.dT, p.dH, p.dW
   self.padT, self.padH, self.padW = p.padT, p.padH, p.padW
   if not self.otime or not self.indices or self.indices:nElement() == 0 then
      nn.utils.moduleError(self, 'run the pooling module forward first')
   end
end

-- input (or gradOutput for the pooled side) against the indices: planes P,
-- pooled cells V, and the 1-based index tensor (P, V)
function VMU:_map(input)
   if not input:isSize(self.indices:size()) then
      nn.utils.moduleError(self, string.format("input has size %s, expected the pooling's output size %s",
         nn.utils.shapeStr(input), nn.utils.shapeStr(self.indices)))
   end
   local d = input:dim()
   local V = input:size(d) * input:size(d - 1) * input:size(d - 2)
   local P = input:nElement() / V
   -- on the indices' device (a CudaLongTensor after :cuda())
   if not self._ind or self._ind._device ~= self.indices._device then self._ind = self.indices.new() end
   self._ind:resize(P, V):copy(self.indices:view(P, V)):add(1)
   return P, V
end

function VMU:_outSize(input)
   local sz = input:size()
   local d = input:dim()
   sz[d - 2], sz[d - 1], sz[d] = self.otime, self.oheight, self.owidth
   return sz
end

function VMU:updateOutput(input)
   THNN.checkTensor(self, input)
   self:setParams()
   local P = self:_map(input)
   if self.output._dtype ~= input._dtype then self.output = input.new() end
   self.output:resize(self:_outSize(input)):zero()
   self.output:view(P, -1):scatter(2, self._ind, input:contiguous():view(P, -1))
   return self.output
end

function VMU:updateGradInput(input, gradOutput)
   THNN.checkTensor(self, input)
   THNN.checkTensor(self, gradOutput, 'gradOutput')
   self:setParams()
   local P = self:_map(input)
   if not gradOutput:isSize(self:_outSize(input)) then
      nn.utils.moduleError(self, string.format('gradOutput has size %s, expected %s', nn.utils.shapeStr(gradOutput),
         table.concat(self:_outSize(input):totable(), 'x')))
   end
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   self.gradInput:resizeAs(input)
   self.gradInput:view(P, -1):gather(gradOutput:contiguous():view(P, -1), 2, self._ind)
   return self.gradInput
end

function VMU:empty()
   self:clearState()
end

function VMU:clearState()
   nn.utils.clear(self, '_ind')
   return parent.clearState(self)
end

function VMU:__tostring__()
   return 'nn.VolumetricMaxUnpooling associated to ' .. tostring(self.pooling)
end
