-- nn.Maxout(inputSize, outputSize, maxoutNumber [, preprocess]): a Linear to
-- outputSize*maxoutNumber units, viewed as maxoutNumber x outputSize, and the
-- max over the maxoutNumber pieces (Goodfellow et al. 2013).
local torch = require 'torch'
local nn = require 'nn'

local Maxout, parent = torch.class('nn.Maxout', 'nn.Sequential')

function Maxout:__init(inputSize, outputSize, maxoutNumber, preprocess)
   parent.__init(self)
   for _, v in ipairs { inputSize, outputSize, maxoutNumber } do
      if type(v) ~= 'number' or v < 1 then
         error('nn.Maxout(inputSize, outputSize, maxoutNumber): sizes should be positive numbers', 2)
      end
   end
   self:add(nn.Linear(inputSize, outputSize * maxoutNumber))
   self:add(nn.View(maxoutNumber, outputSize):setNumInputDims(1))
   if preprocess then self:add(preprocess) end
   self:add(nn.Max(1, 2))
end
