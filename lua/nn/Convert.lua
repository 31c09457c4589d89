-- nn.Convert(inputShape='b*', outputShape=inputShape): converts between
-- data layouts named by axis letters ('bchw' -> 'bf' flattens each sample,
-- 'bchw' -> 'bhwc' permutes axes, 'bf' -> 'b' selects the only feature,
-- 'b' -> 'bt' adds an axis). A shape without 'b' gets one in front; an
-- input with fewer dimensions than the shape is a single sample. Input of
-- another tensor type than the module's is converted to it.
local torch = require 'torch'
local nn = require 'nn'
local unpack = table.unpack or unpack
local utils = nn.utils
local raise = torch._core.raise

local Convert, parent = torch.class('nn.Convert', 'nn.Container')

function Convert:__init(inputShape, outputShape)
   if outputShape and not inputShape then raise('nn.Convert: expected an input shape when an output shape is given') end
   inputShape = inputShape or 'b*'
   outputShape = outputShape or inputShape
   if type(inputShape) ~= 'string' or type(outputShape) ~= 'string' then
      raise('nn.Convert: expected shapes as strings of axis letters, e.g. nn.Convert("bchw", "bf")')
   end
   parent.__init(self)
   self.inputShape = inputShape:find('b') and inputShape or ('b' .. inputShape)
   self.outputShape = outputShape:find('b') and outputShape or ('b' .. outputShape)
   self.inputBatchDim = self.inputShape:find('b')
   self.outputBatchDim = self.outputShape:find('b')
   if self.inputShape == 'b*' or self.outputShape == 'b*' then
      if self.inputShape ~= self.outputShape then raise('nn.Convert: both or neither shapes must be b*') end
      self.nInputDim, self.nOutputDim, self.transposition = -1, -1, true
   else
      self.nInputDim, self.nOutputDim = #self.inputShape, #self.outputShape
      if self.nInputDim == self.nOutputDim then
         self.transposition = true
         for i = 1, self.nInputDim do
            if not self.outputShape:find(self.inputShape:sub(i, i), 1, true) then self.transposition = false end
         end
      end
   end
end

function Convert:findAxis(axis, shape)
   shape = shape or self.inputShape
   local pos = shape:find(axis, 1, true)
   if not pos then raise(string.format("nn.Convert: shape '%s' has no axis '%s'", shape, axis)) end
   return pos
end

-- the swaps taking the input axes to the output order
function Convert:transpose(newShape)
   if newShape == self.inputShape then return nn.Identity() end
   local axes = {}
   for i = 1, #self.inputShape do axes[i] = self.inputShape:sub(i, i) end
   local swaps = {}
   for i = 1, #newShape do
      local j
      for k = 1, #axes do if axes[k] == newShape:sub(i, i) then j = k end end
      if i ~= j then
         axes[i], axes[j] = axes[j], axes[i]
         swaps[#swaps + 1] = { j, i }
      end
   end
   return nn.Transpose(unpack(swaps))
end

-- one feature vector per sample
function Convert:bf(input)
   if self.inputShape == 'bt' then raise('nn.Convert: conversion of shape bt to bf is not supported') end
   local bpos = self:findAxis('b')
   if #self.inputShape == 1 then return nn.Reshape(1, true) end
   if #self.inputShape == 2 and bpos == 1 then return nn.Identity() end
   local m = nn.Sequential()
   if bpos ~= 1 then m:add(nn.Transpose({ 1, bpos })) end
   m:add(nn.Reshape(input:select(bpos, 1):nElement(), true))
   return m
end

-- one scalar per sample
function Convert:b(input)
   if self.inputShape == 'bt' or self.inputShape == 'tb' then return nn.Select(self:findAxis('t'), 1) end
   if self.inputShape == 'bf' or self.inputShape == 'fb' then
      local fpos = self:findAxis('f')
      if input:size(fpos) > 1 then
         raise('nn.Convert: cannot convert shape ' .. self.inputShape .. ' to b when there is more than one feature')
      end
      return nn.Select(fpos, 1)
   end
   raise('nn.Convert: cannot convert shape ' .. self.inputShape .. ' to b')
end

-- one target per sample
function Convert:bt()
   if self.inputShape ~= 'b' then raise("nn.Convert: cannot convert shape '" .. self.inputShape .. "' to bt") end
   return nn.Reshape(1, true)
end

function Convert:buildConverter(input)
   local converter
   if self.transposition then
      converter = self:transpose(self.outputShape)
   elseif self.outputShape == 'bf' or self.outputShape == 'b' or self.outputShape == 'bt' then
      converter = self[self.outputShape](self, input)
   else
      raise(string.format('nn.Convert: unrecognized conversion of shape %s to %s', self.inputShape, self.outputShape))
   end
   converter:type(torch.type(self.output))
   self.converter = converter
   self.modules[1] = converter
end

function Convert:updateOutput(input)
   if not torch.isTensor(input) then utils.moduleError(self, 'expected a tensor, got ' .. torch.type(input)) end
   if torch.type(input) ~= torch.type(self.output) then
      self._input = self._input or self.output.new()
      self._input:resize(input:size()):copy(input)
      input = self._input
   else
      self._input = nil
   end
   self.batchMode = true
   if input:dim() < self.nInputDim then
      local sizes = input:size():totable()
      table.insert(sizes, self.inputBatchDim, 1)
      self.__input = input:contiguous():view(unpack(sizes))
      input = self.__input
      self.batchMode = false
   elseif self.nInputDim > 0 and input:dim() > self.nInputDim then
      utils.moduleError(self, string.format("input of size %s has more dimensions than shape '%s'",
         utils.shapeStr(input), self.inputShape))
   end
   if not self.converter then self:buildConverter(input) end
   local out = self:rethrowErrors(self.converter, 1, 'updateOutput', input)
   if not self.batchMode then
      local sizes = out:size():totable()
      table.remove(sizes, self.outputBatchDim)
      out = out:contiguous():view(unpack(sizes))
   end
   self.output = out
   return self.output
end

-- the input and gradOutput the converter saw
local function inner(self, input, gradOutput)
   local x = self._input or input
   if not self.batchMode then
      x = self.__input
      gradOutput = gradOutput:contiguous():view(self.converter.output:size())
   end
   return x, gradOutput
end

function Convert:updateGradInput(input, gradOutput)
   local x, go = inner(self, input, gradOutput)
   local gi = self:rethrowErrors(self.converter, 1, 'updateGradInput', x, go)
   if not self.batchMode then gi = gi:contiguous():view(input:size()) end
   if self._input then
      self._gradInput = self._gradInput or input.new()
      self._gradInput:resize(input:size()):copy(gi)
      gi = self._gradInput
   end
   self.gradInput = gi
   return self.gradInput
end

function Convert:accGradParameters(input, gradOutput, scale)
   local x, go = inner(self, input, gradOutput)
   self.converter:accGradParameters(x, go, scale)
end

function Convert:clearState()
   self._input, self._gradInput, self.__input = nil, nil, nil
   return parent.clearState(self)
end

function Convert:type(typename, tensorCache)
   if not typename then return parent.type(self) end
   self:clearState()
   return parent.type(self, typename, tensorCache)
end
