-- nn.MixtureTable([dim]): a mixture of experts. input = {gater, experts}:
-- gater is (batch x n) (or n), experts a table of n tensors or one tensor
-- with the n experts along dim; output = sum_i gater[i] * expert_i.
local torch = require 'torch'
local nn = require 'nn'

local MixtureTable, parent = torch.class('nn.MixtureTable', 'nn.Module')

function MixtureTable:__init(dim)
   parent.__init(self)
   self.dim = dim
   self.gradInput = {}
end

-- The gater viewed to broadcast over one expert (table case) or over the
-- experts tensor (tensor case): its size with 1s except batch and self.dim.
local function gaterView(self, gater, ndim)
   local size = {}
   for i = 1, ndim do size[i] = 1 end
   if self.dimG > 1 then size[1] = gater:size(1) end
   size[self.dim] = gater:size(self.dimG)
   return gater:contiguous():view(torch.LongStorage(size))
end

local function setup(self, input)
   if type(input) ~= 'table' or not torch.isTensor(input[1]) or input[2] == nil then
      nn.utils.moduleError(self, 'input should be a table {gater, experts}')
   end
   local gater, experts = input[1], input[2]
   self.dimG = gater:dim() < 2 and 1 or 2
   self.dim = self.dim or self.dimG
   if type(experts) == 'table' then
      self.table = true
      if gater:size(self.dimG) ~= #experts then
         nn.utils.moduleError(self, string.format('Should be one gater output per expert: gater %s, %d experts',
            nn.utils.shapeStr(gater), #experts))
      end
   else
      self.table = false
      if not torch.isTensor(experts) or experts:dim() < self.dim or experts:size(self.dim) ~= gater:size(self.dimG) then
         nn.utils.moduleError(self, string.format('Should be one gater output per expert: gater %s, experts %s',
            nn.utils.shapeStr(gater), torch.isTensor(experts) and nn.utils.shapeStr(experts) or torch.type(experts)))
      end
   end
   return gater, experts
end

function MixtureTable:updateOutput(input)
   local gater, experts = setup(self, input)
   if torch.type(self.output) ~= torch.type(gater) then self.output = gater.new() end
   if self.table then
      local g = gaterView(self, gater, experts[1]:dim() + 1)
      self.output:resizeAs(experts[1]):zero()
      for i, e in ipairs(experts) do
         self.output:addcmul(e, g:select(self.dim, i):expandAs(e))
      end
   else
      local g = gaterView(self, gater, experts:dim())
      self._expert = (self._expert or gater.new()):resizeAs(experts):cmul(g:expandAs(experts), experts)
      self.output = self._expert:sum(self.dim):select(self.dim, 1)
   end
   return self.output
end

function MixtureTable:updateGradInput(input, gradOutput)
   local gater, experts = setup(self, input)
   self.gradInput[1] = self.gradInput[1] or gater.new()
   local gGrad = self.gradInput[1]:resizeAs(gater)
   self._expert = self._expert or gater.new()
   if self.table then
      local g = gaterView(self, gater, experts[1]:dim() + 1)
      local eGrads = type(self.gradInput[2]) == 'table' and self.gradInput[2] or {}
      for i = #eGrads, #experts + 1, -1 do eGrads[i] = nil end
      for i, e in ipairs(experts) do
         self._expert:resizeAs(e):cmul(gradOutput, e)
         local s
         if self.dimG == 1 then
            s = self._expert:sum()
            gGrad[i] = s
         else
            s = self._expert:contiguous():view(gradOutput:size(1), -1):sum(2)
            gGrad:select(2, i):copy(s:view(-1))
         end
         eGrads[i] = eGrads[i] or e.new()
         eGrads[i]:resizeAs(e):cmul(g:select(self.dim, i):expandAs(e), gradOutput)
      end
      self.gradInput[2] = eGrads
   else
      local g = gaterView(self, gater, experts:dim())
      local go = gradOutput:contiguous():view(torch.LongStorage(
         (function() local s = experts:size():totable() s[self.dim] = 1 return s end)())):expandAs(experts)
      self._expert:resizeAs(experts):cmul(go, experts)
      -- sum over every dimension but the batch and the experts' one
      local t = self._expert:transpose(self.dim, self.dimG):contiguous()
      if self.dimG == 1 then
         gGrad:copy(t:view(gater:size(1), -1):sum(2):view(-1))
      else
         gGrad:copy(t:view(gater:size(1), gater:size(2), -1):sum(3):view(gater:size(1), gater:size(2)))
      end
      if not torch.isTensor(self.gradInput[2]) then self.gradInput[2] = gater.new() end
      self.gradInput[2]:resizeAs(experts):cmul(g:expandAs(experts), go)
   end
   return self.gradInput
end

function MixtureTable:type(t, tensorCache)
   self._expert = nil
   return parent.type(self, t, tensorCache)
end

function MixtureTable:clearState()
   nn.utils.clear(self, '_expert')
   return parent.clearState(self)
end
