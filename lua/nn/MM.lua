-- nn.MM(transA=false, transB=false): input {A, B} (matrices, or batches
-- N x r x c) gives op(A) op(B), op transposing when asked.
local torch = require 'torch'
local nn = require 'nn'
local utils = nn.utils

local MM, parent = torch.class('nn.MM', 'nn.Module')

function MM:__init(transA, transB)
   parent.__init(self)
   self.transA = transA or false
   self.transB = transB or false
   self.gradInput = { torch.Tensor(), torch.Tensor() }
end

local function check(self, input)
   if type(input) ~= 'table' or #input ~= 2 or not torch.isTensor(input[1]) or not torch.isTensor(input[2]) then
      utils.moduleError(self, 'expected a table of two tensors, got ' .. torch.type(input))
   end
   local a, b = input[1], input[2]
   if a:dim() ~= b:dim() or (a:dim() ~= 2 and a:dim() ~= 3) then
      utils.moduleError(self, string.format('expected two matrices or two batches of matrices, got %s and %s',
         utils.shapeStr(a), utils.shapeStr(b)))
   end
   local h, w = a:dim() - 1, a:dim()
   if self.transA then a = a:transpose(h, w) end
   if self.transB then b = b:transpose(h, w) end
   if a:size(w) ~= b:size(h) or (a:dim() == 3 and a:size(1) ~= b:size(1)) then
      utils.moduleError(self, string.format('sizes do not match: %s times %s', utils.shapeStr(a), utils.shapeStr(b)))
   end
   return a, b, h, w
end

function MM:updateOutput(input)
   local a, b = check(self, input)
   if a:dim() == 2 then
      self.output:resize(a:size(1), b:size(2)):mm(a, b)
   else
      self.output:resize(a:size(1), a:size(2), b:size(3)):bmm(a, b)
   end
   return self.output
end

function MM:updateGradInput(input, gradOutput)
   local _, _, h, w = check(self, input)
   local a, b = input[1], input[2]
   local f = a:dim() == 2 and 'mm' or 'bmm'
   local ga, gb = self.gradInput[1], self.gradInput[2]
   ga:resizeAs(a)
   gb:resizeAs(b)
   local gt = gradOutput:transpose(h, w)
   if self.transA == self.transB then
      a = a:transpose(h, w)
      b = b:transpose(h, w)
   end
   if self.transA then ga[f](ga, b, gt) else ga[f](ga, gradOutput, b) end
   if self.transB then gb[f](gb, gt, a) else gb[f](gb, a, gradOutput) end
   return self.gradInput
end
