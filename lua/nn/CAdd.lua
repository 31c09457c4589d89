-- nn.CAdd(size): y = x + b, b learned and broadcast over a batch.
local torch = require 'torch'
local nn = require 'nn'

local CAdd, parent = torch.class('nn.CAdd', 'nn.Module')

function CAdd:__init(...)
   parent.__init(self)
   self.size = nn.utils.sizeArgs(...)
   self.bias = torch.Tensor(self.size)
   self.gradBias = torch.Tensor(self.size)
   self.output:resize(self.size)
   self:reset()
end

function CAdd:reset(stdv)
   if stdv then stdv = stdv * math.sqrt(3) else stdv = 1 / math.sqrt(self.bias:nElement()) end
   self.bias:uniform(-stdv, stdv)
end

function CAdd:updateOutput(input)
   self.output:resizeAs(input):copy(input)
   if self.bias:nElement() == input:nElement() then
      self.output:add(self.bias:viewAs(input))
   elseif self.bias:dim() == input:dim() then
      -- as Torch7: a bias of the input's rank broadcasts along its size-1 dimensions
      self.output:add(nn.utils._expandParam(self, self.bias, input))
   else
      local batch = input:size(1)
      self.output:view(batch, -1):add(self.bias:view(1, -1):expand(batch, self.bias:nElement()))
   end
   return self.output
end

function CAdd:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   self.gradInput:resizeAs(gradOutput):copy(gradOutput)
   return self.gradInput
end

function CAdd:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   if self.bias:nElement() == input:nElement() then
      self.gradBias:add(scale, gradOutput:contiguous():viewAs(self.gradBias))
   elseif self.bias:dim() == input:dim() then
      self.gradBias:add(scale, nn.utils._sumToParam(self.bias, gradOutput))
   else
      local batch = input:size(1)
      self.gradBias:view(-1):add(scale, gradOutput:contiguous():view(batch, -1):sum(1):view(-1))
   end
end
