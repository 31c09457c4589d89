-- nn.DontCast(module, castin, castout=castin, moduleType): a decorator
-- whose module keeps its tensor type when the network is converted with
-- :type()/:float()/:cuda(). With castin, inputs (and gradInputs back) are
-- copied to and from the module's type; with castout, outputs (and
-- gradOutputs) likewise.
local torch = require 'torch'
local nn = require 'nn'

local DontCast, parent = torch.class('nn.DontCast', 'nn.Decorator')

local function newTensor(typename)
   local ctor = torch[typename:match('^torch%.(%w+)$') or '']
   if not ctor then torch._core.raise('nn.DontCast: unknown tensor type ' .. tostring(typename)) end
   return ctor()
end

-- src (a tensor or a nested table of them) copied into dst as typename
local function typeCopy(dst, src, typename)
   if torch.type(src) == 'table' then
      dst = torch.type(dst) == 'table' and dst or {}
      for k, v in pairs(src) do dst[k] = typeCopy(dst[k], v, typename) end
   elseif torch.isTensor(src) then
      dst = torch.type(dst) == typename and dst or newTensor(typename)
      dst:resize(src:size())
      if src:nElement() > 0 then dst:copy(src) end
   end
   return dst
end

-- the type of the first tensor in a nested table, and whether there is one
local function tensorType(src)
   if type(src) == 'table' and not torch.isTensor(src) then
      local t, found
      for _, v in pairs(src) do
         t, found = tensorType(v)
         if found then return t, true end
      end
      return t, found
   end
   return torch.type(src), torch.isTensor(src)
end

function DontCast:__init(module, castin, castout, moduleType)
   parent.__init(self, module)
   self.castin = castin
   if castout == nil then self.castout = castin else self.castout = castout end
   self.moduleType = moduleType
   if (self.castin or self.castout) and not self.moduleType then
      local t, found = tensorType(module.output)
      if not found then t, found = tensorType(module:parameters()) end
      if not found then
         torch._core.raise('nn.DontCast: cannot tell the module\'s tensor type; give it as argument 4')
      end
      self.moduleType = t
   end
end

function DontCast:updateOutput(input)
   if self.castin and tensorType(input) ~= self.moduleType then
      self._input = typeCopy(self._input, input, self.moduleType)
      input = self._input
   end
   local output = self.modules[1]:updateOutput(input)
   if self.castout then
      self.output = typeCopy(self.output, output, tensorType(self.output))
   else
      self.output = output
   end
   return self.output
end

-- the input and gradOutput in the module's type
local function moduleArgs(self, input, gradOutput, copy)
   if self.castin and tensorType(input) ~= self.moduleType then input = self._input end
   if self.castout and tensorType(gradOutput) ~= self.moduleType then
      if copy then self._gradOutput = typeCopy(self._gradOutput, gradOutput, self.moduleType) end
      gradOutput = self._gradOutput
   end
   return input, gradOutput
end

function DontCast:updateGradInput(input, gradOutput)
   local x, go = moduleArgs(self, input, gradOutput, true)
   local gradInput = self.modules[1]:updateGradInput(x, go)
   if self.castin then
      self.gradInput = typeCopy(self.gradInput, gradInput, tensorType(self.gradInput))
   else
      self.gradInput = gradInput
   end
   return self.gradInput
end

function DontCast:accGradParameters(input, gradOutput, scale)
   local x, go = moduleArgs(self, input, gradOutput, false)
   self.modules[1]:accGradParameters(x, go, scale)
end

function DontCast:accUpdateGradParameters(input, gradOutput, lr)
   local x, go = moduleArgs(self, input, gradOutput, false)
   self.modules[1]:accUpdateGradParameters(x, go, lr)
end

-- the module keeps its type; only the tensors facing the network change
function DontCast:type(typename)
   if not typename then return self.moduleType or self._type end
   if self.castout and tensorType(self.output) ~= typename then
      self.output = typeCopy(nil, self.output, typename)
   end
   if self.castin and tensorType(self.gradInput) ~= typename then
      self.gradInput = typeCopy(nil, self.gradInput, typename)
   end
   return self
end
