-- nn.CAddTensorTable: input {t, {t1, ..., tn}} gives {t + t1, ..., t + tn}.
local torch = require 'torch'
local nn = require 'nn'
local utils = nn.utils

local CAddTensorTable, parent = torch.class('nn.CAddTensorTable', 'nn.Module')

function CAddTensorTable:__init()
   parent.__init(self)
   self.output = {}
   self.gradInput = {}
end

local function check(self, input)
   if type(input) ~= 'table' or not torch.isTensor(input[1]) or type(input[2]) ~= 'table' then
      utils.moduleError(self, 'expected input {tensor, {tensor, ...}}, got ' .. torch.type(input))
   end
   for i, t in ipairs(input[2]) do
      if not torch.isTensor(t) or t:nElement() ~= input[1]:nElement() then
         utils.moduleError(self, string.format('input[2][%d] should be a tensor of size %s', i, utils.shapeStr(input[1])))
      end
   end
end

function CAddTensorTable:updateOutput(input)
   check(self, input)
   local t, ts = input[1], input[2]
   for i = 1, #ts do
      self.output[i] = self.output[i] or t.new()
      self.output[i]:resizeAs(t):copy(ts[i]):add(t)
   end
   for i = #ts + 1, #self.output do self.output[i] = nil end
   return self.output
end

function CAddTensorTable:updateGradInput(input, gradOutput)
   local t, ts = input[1], input[2]
   self.gradInput[1] = self.gradInput[1] or t.new()
   self.gradInput[2] = self.gradInput[2] or {}
   local g1, g2 = self.gradInput[1], self.gradInput[2]
   g1:resizeAs(t):zero()
   for i = 1, #ts do
      g2[i] = g2[i] or t.new()
      g2[i]:resizeAs(ts[i]):copy(gradOutput[i])
      g1:add(gradOutput[i])
   end
   for i = #ts + 1, #g2 do g2[i] = nil end
   return self.gradInput
end
