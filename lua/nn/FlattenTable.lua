-- nn.FlattenTable(): a nested table of tensors as a flat list, in
-- depth-first order; gradInput has the input's nesting. The output holds
-- the input's tensors themselves (no copies), as in Torch7.
local torch = require 'torch'
local nn = require 'nn'

local FlattenTable, parent = torch.class('nn.FlattenTable', 'nn.Module')

function FlattenTable:__init()
   parent.__init(self)
   self.output = {}
   self.input_map = {}
   self.gradInput = {}
end

-- Appends the leaves of input to output; returns input's shape with each
-- leaf replaced by its index in output.
local function flatten(output, input)
   if torch.type(input) == 'table' then
      local map = {}
      for i = 1, #input do map[i] = flatten(output, input[i]) end
      return map
   end
   output[#output + 1] = input
   return #output
end

-- Whether output (a flat list) is still input flattened along map.
local function matches(output, input, map)
   if map == nil or output == nil or input == nil then return false end
   if torch.type(input) == 'table' then
      if type(map) ~= 'table' or #input ~= #map then return false end
      for i = 1, #input do
         if not matches(output, input[i], map[i]) then return false end
      end
      return true
   end
   return type(map) == 'number' and output[map] == input
end

local function unflatten(flat, map)
   if type(map) == 'table' then
      local r = {}
      for i = 1, #map do r[i] = unflatten(flat, map[i]) end
      return r
   end
   return flat[map]
end

function FlattenTable:updateOutput(input)
   if torch.type(input) ~= 'table' then
      nn.utils.moduleError(self, 'input should be a table, got ' .. torch.type(input))
   end
   if not matches(self.output, input, self.input_map) then
      self.output = {}
      self.input_map = flatten(self.output, input)
   end
   return self.output
end

function FlattenTable:updateGradInput(input, gradOutput)
   if torch.type(input) ~= 'table' then
      nn.utils.moduleError(self, 'input should be a table, got ' .. torch.type(input))
   end
   if torch.type(gradOutput) ~= 'table' then
      nn.utils.moduleError(self, 'gradOutput should be a table, got ' .. torch.type(gradOutput))
   end
   if not matches(self.output, input, self.input_map) then self:updateOutput(input) end
   if #gradOutput ~= #self.output then
      nn.utils.moduleError(self, string.format('gradOutput has %d entries for %d flattened inputs', #gradOutput,
         #self.output))
   end
   if not matches(gradOutput, self.gradInput, self.input_map) then
      self.gradInput = unflatten(gradOutput, self.input_map)
   end
   return self.gradInput
end

function FlattenTable:type(typename, tensorCache)
   self:clearState()
   return self
end

function FlattenTable:clearState()
   self.input_map = {}
   self.output = {}
   self.gradInput = {}
   return self
end
