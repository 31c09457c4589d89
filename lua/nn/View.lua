-- nn.View(sizes): views the input (one size may be -1); setNumInputDims(n)
-- keeps extra leading dimensions as a batch, as in Torch7.
local torch = require 'torch'
local nn = require 'nn'

local View, parent = torch.class('nn.View', 'nn.Module')

function View:__init(...)
   parent.__init(self)
   self:resetSize(...)
   self.numInputDims = nil
end

function View:resetSize(...)
   local arg = { ... }
   if #arg == 1 and torch.isStorage(arg[1]) then arg = arg[1]:totable() end
   self.size = torch.LongStorage(#arg)
   self.numElements = 1
   local inferdim = false
   for i, v in ipairs(arg) do
      if type(v) ~= 'number' then torch._core.raise('nn.View: sizes should be numbers') end
      self.size[i] = v
      if v == -1 then
         if inferdim then torch._core.raise('nn.View: only one dimension can be -1') end
         inferdim = true
      else
         self.numElements = self.numElements * v
      end
   end
   return self
end

function View:setNumInputDims(n)
   self.numInputDims = n
   return self
end

local function batchSize(input, size, numInputDims, numElements)
   local ind = input:dim()
   local isz = input:size()
   local maxdim = numInputDims and numInputDims or ind
   local ine = 1
   for i = ind, ind - maxdim + 1, -1 do ine = ine * isz[i] end
   if ine % numElements ~= 0 then return nil, ine end
   if ine / numElements ~= 1 and size:size() > 0 then
      -- one batch dimension when the remaining elements are a whole multiple
   end
   local bse = (ind - maxdim + 1 > 1) and input:nElement() / ine or nil
   return bse, ine
end

function View:updateOutput(input)
   if not torch.isTensor(input) then nn.utils.moduleError(self, 'input should be a tensor, got ' .. torch.type(input)) end
   local bse, ine = batchSize(input, self.size, self.numInputDims, self.numElements)
   local known = self.numElements
   local hasInfer = false
   for i = 1, #self.size do if self.size[i] == -1 then hasInfer = true end end
   if (hasInfer and ine % known ~= 0) or (not hasInfer and ine ~= known) then
      if not self.numInputDims and not hasInfer and input:nElement() % known == 0 then
         -- a batch of views
         bse = input:nElement() / known
      else
         nn.utils.moduleError(self, string.format('input of size %s cannot be viewed as %s', nn.utils.shapeStr(input),
            table.concat(self.size:totable(), 'x')))
      end
   end
   local sizes = self.size:totable()
   if bse then table.insert(sizes, 1, bse) end
   self.output = input:contiguous():view(torch.LongStorage(sizes))
   return self.output
end

function View:updateGradInput(input, gradOutput)
   -- a module after this one that skips its input gradient (gradInput =
   -- nil, as Torch7's Linear allows) passes nil: nothing to reshape
   if gradOutput == nil then self.gradInput = nil return nil end
   self.gradInput = gradOutput:contiguous():viewAs(input)
   return self.gradInput
end

function View:__tostring__()
   return torch.type(self) .. '(' .. table.concat(self.size:totable(), ', ') .. ')'
end
