-- nn.MV(trans=false): input {M, v} (a matrix and a vector, or batches
-- N x r x c and N x c) gives op(M) v, op transposing when asked.
local torch = require 'torch'
local nn = require 'nn'
local utils = nn.utils

local MV, parent = torch.class('nn.MV', 'nn.Module')

function MV:__init(trans)
   parent.__init(self)
   self.trans = trans or false
   self.gradInput = { torch.Tensor(), torch.Tensor() }
end

local function check(self, input)
   if type(input) ~= 'table' or #input ~= 2 or not torch.isTensor(input[1]) or not torch.isTensor(input[2]) then
      utils.moduleError(self, 'expected a table of two tensors, got ' .. torch.type(input))
   end
   local M, v = input[1], input[2]
   local ok = (M:dim() == 2 and v:dim() == 1) or (M:dim() == 3 and v:dim() == 2 and v:size(1) == M:size(1))
   if ok then
      local cols = self.trans and M:size(M:dim() - 1) or M:size(M:dim())
      ok = cols == v:size(v:dim())
   end
   if not ok then
      utils.moduleError(self, string.format('expected a matrix and a vector or batches of them with matching sizes, got %s and %s',
         utils.shapeStr(M), utils.shapeStr(v)))
   end
   if self.trans then M = M:transpose(M:dim() - 1, M:dim()) end
   return M, v
end

function MV:updateOutput(input)
   local M, v = check(self, input)
   if M:dim() == 2 then
      self.output:resize(M:size(1)):mv(M, v)
   else
      local n = M:size(1)
      self.output:resize(n, M:size(2), 1):bmm(M, v:contiguous():view(n, v:size(2), 1))
      self.output:resize(n, M:size(2))
   end
   return self.output
end

function MV:updateGradInput(input, gradOutput)
   local M, v = check(self, input)
   local gM, gv = self.gradInput[1], self.gradInput[2]
   gM:resizeAs(input[1])
   gv:resizeAs(input[2])
   if M:dim() == 2 then
      if self.trans then gM:zero():addr(v, gradOutput) else gM:zero():addr(gradOutput, v) end
      gv:mv(M:t(), gradOutput)
   else
      local n = M:size(1)
      local go = gradOutput:contiguous()
      local vcol = v:contiguous():view(n, v:size(2), 1)
      local vrow = v:contiguous():view(n, 1, v:size(2))
      local gocol = go:view(n, go:size(2), 1)
      local gorow = go:view(n, 1, go:size(2))
      if self.trans then gM:bmm(vcol, gorow) else gM:bmm(gocol, vrow) end
      gv:resize(n, M:size(3), 1):bmm(M:transpose(2, 3), gocol)
      gv:resize(n, M:size(3))
   end
   return self.gradInput
end
