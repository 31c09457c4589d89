-- nn.CMul(size): y = w .* x, w learned and broadcast over a batch.
local torch = require 'torch'
local nn = require 'nn'

local CMul, parent = torch.class('nn.CMul', 'nn.Module')

function CMul:__init(...)
   parent.__init(self)
   self.size = nn.utils.sizeArgs(...)
   self.weight = torch.Tensor(self.size)
   self.gradWeight = torch.Tensor(self.size)
   self.output:resize(self.size)
   self:reset()
end

function CMul:reset(stdv)
   if stdv then stdv = stdv * math.sqrt(3) else stdv = 1 / math.sqrt(self.weight:nElement()) end
   self.weight:uniform(-stdv, stdv)
end

local function expanded(self, input)
   if self.weight:nElement() == input:nElement() then return self.weight:viewAs(input) end
   -- as Torch7: a weight of the input's rank broadcasts along its size-1 dimensions
   if self.weight:dim() == input:dim() then return nn.utils._expandParam(self, self.weight, input) end
   local batch = input:size(1)
   return self.weight:view(1, self.weight:nElement()):expand(batch, self.weight:nElement()), batch
end

function CMul:updateOutput(input)
   self.output:resizeAs(input):copy(input)
   local w, batch = expanded(self, input)
   if batch then self.output:view(batch, -1):cmul(w) else self.output:cmul(w) end
   return self.output
end

function CMul:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   self.gradInput:resizeAs(input):zero()
   local w, batch = expanded(self, input)
   if batch then
      self.gradInput:view(batch, -1):addcmul(1, w, gradOutput:contiguous():view(batch, -1))
   else
      self.gradInput:addcmul(1, w, gradOutput)
   end
   return self.gradInput
end

function CMul:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   if self.weight:nElement() == input:nElement() then
      self.gradWeight:addcmul(scale, input, gradOutput:contiguous():viewAs(input))
   elseif self.weight:dim() == input:dim() then
      self.gradWeight:add(scale, nn.utils._sumToParam(self.weight, torch.cmul(input, gradOutput)))
   else
      local batch = input:size(1)
      local prod = torch.cmul(input:contiguous():view(batch, -1), gradOutput:contiguous():view(batch, -1))
      self.gradWeight:view(-1):add(scale, prod:sum(1):view(-1))
   end
end
