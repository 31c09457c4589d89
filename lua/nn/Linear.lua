-- nn.Linear: y = W x + b for a vector x (inputSize) or a batch (N x
-- inputSize), through the BLAS family (addmm/addmv/addr) as in Torch7.
local torch = require 'torch'
local nn = require 'nn'
local utils = nn.utils

local Linear, parent = torch.class('nn.Linear', 'nn.Module')

function Linear:__init(inputSize, outputSize, bias)
   parent.__init(self)
   if type(inputSize) ~= 'number' or type(outputSize) ~= 'number' or inputSize < 1 or outputSize < 1 then
      torch._core.raise(string.format('nn.Linear: expected positive input and output sizes, got %s and %s',
         tostring(inputSize), tostring(outputSize)))
   end
   local withBias = bias == nil and true or bias
   self.weight = torch.Tensor(outputSize, inputSize)
   self.gradWeight = torch.Tensor(outputSize, inputSize)
   if withBias then
      self.bias = torch.Tensor(outputSize)
      self.gradBias = torch.Tensor(outputSize)
   end
   self:reset()
end

function Linear:noBias()
   self.bias = nil
   self.gradBias = nil
   return self
end

-- Torch7's default: uniform in +-1/sqrt(inputSize), weight then bias
function Linear:reset(stdv)
   if stdv then stdv = stdv * math.sqrt(3) else stdv = 1 / math.sqrt(self.weight:size(2)) end
   self.weight:uniform(-stdv, stdv)
   if self.bias then self.bias:uniform(-stdv, stdv) end
   return self
end

local function updateAddBuffer(self, input)
   local nframe = input:size(1)
   self.addBuffer = self.addBuffer or input.new()
   if self.addBuffer:nElement() ~= nframe then self.addBuffer:resize(nframe):fill(1) end
end

local function checkInput(self, input)
   utils.checkInputType(self, input)
   local inSize = self.weight:size(2)
   if input:dim() == 1 then
      if input:size(1) ~= inSize then
         utils.moduleError(self, string.format('input has %d elements, expected %d', input:size(1), inSize))
      end
   elseif input:dim() == 2 then
      if input:size(2) ~= inSize then
         utils.moduleError(self, string.format('input has %d columns, expected %d', input:size(2), inSize))
      end
   else
      utils.moduleError(self, string.format('expected a vector (%d) or a batch (N x %d), got a tensor of size %s',
         inSize, inSize, utils.shapeStr(input)))
   end
end

function Linear:updateOutput(input)
   checkInput(self, input)
   if input:dim() == 1 then
      self.output:resize(self.weight:size(1))
      if self.bias then self.output:copy(self.bias) else self.output:zero() end
      self.output:addmv(1, self.weight, input)
   else
      -- the bias rows first, then one GEMM adds the product (beta = 1):
      -- one pass over the output instead of a GEMM and a rank-1 update
      local nframe, nOut = input:size(1), self.weight:size(1)
      self.output:resize(nframe, nOut)
      if self.bias then
         self.output:copy(self.bias:expand(nframe, nOut))
         self.output:addmm(1, self.output, 1, input, self.weight:t())
      else
         self.output:addmm(0, self.output, 1, input, self.weight:t())
      end
   end
   return self.output
end

function Linear:updateGradInput(input, gradOutput)
   if self.gradInput then
      checkInput(self, input)
      self.gradInput:resizeAs(input)
      if input:dim() == 1 then
         self.gradInput:addmv(0, self.gradInput, 1, self.weight:t(), gradOutput)
      else
         self.gradInput:addmm(0, self.gradInput, 1, gradOutput, self.weight)
      end
      return self.gradInput
   end
end

function Linear:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   if input:dim() == 1 then
      self.gradWeight:addr(scale, gradOutput, input)
      if self.bias then self.gradBias:add(scale, gradOutput) end
   else
      self.gradWeight:addmm(scale, gradOutput:t(), input)
      if self.bias then
         updateAddBuffer(self, input)
         self.gradBias:addmv(scale, gradOutput:t(), self.addBuffer)
      end
   end
end

-- sharing needs no gradient accumulation: parameters move in place
function Linear:sharedAccUpdateGradParameters(input, gradOutput, lr)
   self:defaultAccUpdateGradParameters(input, gradOutput, lr)
end

function Linear:clearState()
   if self.addBuffer then self.addBuffer:set() end
   return parent.clearState(self)
end

function Linear:__tostring__()
   return torch.type(self) ..
      string.format('(%d -> %d)', self.weight:size(2), self.weight:size(1)) ..
      (self.bias == nil and ' without bias' or '')
end
