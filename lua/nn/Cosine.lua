-- nn.Cosine(inputSize, outputSize): y_j = (w_j . x) / (||w_j|| ||x||), the
-- cosine similarity of a vector (or each row of a batch) with the rows of
-- weight (outputSize x inputSize). Norms get 1e-12 added, as Torch7.
-- Built from BLAS products and reductions, as Torch7's module.
local torch = require 'torch'
local nn = require 'nn'

local Cosine, parent = torch.class('nn.Cosine', 'nn.Module')

function Cosine:__init(inputSize, outputSize)
   parent.__init(self)
   if type(inputSize) ~= 'number' or type(outputSize) ~= 'number' or inputSize < 1 or outputSize < 1 then
      torch._core.raise(string.format('nn.Cosine: expected positive input and output sizes, got %s and %s',
         tostring(inputSize), tostring(outputSize)))
   end
   self.weight = torch.Tensor(outputSize, inputSize)
   self.gradWeight = torch.Tensor(outputSize, inputSize)
   self:reset()
end

function Cosine:reset(stdv)
   if stdv then stdv = stdv * math.sqrt(3) else stdv = 1 / math.sqrt(self.weight:size(1)) end
   self.weight:uniform(-stdv, stdv)
   return self
end

function Cosine:_check(input, gradOutput)
   nn.utils.checkInputType(self, input)
   local inSize, outSize = self.weight:size(2), self.weight:size(1)
   if not ((input:dim() == 1 or input:dim() == 2) and input:size(input:dim()) == inSize) then
      nn.utils.moduleError(self, string.format('expected a vector (%d) or a batch (N x %d), got a tensor of size %s',
         inSize, inSize, nn.utils.shapeStr(input)))
   end
   if gradOutput ~= nil then
      nn.utils.checkInputType(self, gradOutput)
      local ok = gradOutput:dim() == input:dim() and gradOutput:size(gradOutput:dim()) == outSize
         and (input:dim() == 1 or gradOutput:size(1) == input:size(1))
      if not ok then
         nn.utils.moduleError(self, string.format('gradOutput has size %s, expected %s', nn.utils.shapeStr(gradOutput),
            input:dim() == 1 and tostring(outSize) or (input:size(1) .. 'x' .. outSize)))
      end
      if not self._weightNorm or self.output:dim() ~= input:dim() or self.output:size(1) ~= gradOutput:size(1) then
         nn.utils.moduleError(self, 'backward called before forward of this input')
      end
   end
end

function Cosine:updateOutput(input)
   self:_check(input)
   local outSize = self.weight:size(1)
   self._weightNorm = self._weightNorm or self.weight.new()
   self._inputNorm = self._inputNorm or self.weight.new()
   torch.norm(self._weightNorm, self.weight, 2, 2):add(1e-12)
   if input:dim() == 1 then
      self.output:resize(outSize):zero()
      self.output:addmv(1, self.weight, input)
      self.__norm = input:norm() + 1e-12
      self.output:cdiv(self._weightNorm:view(outSize)):div(self.__norm)
   else
      self.output:resize(input:size(1), outSize)
      self.output:addmm(0, self.output, 1, input, self.weight:t())
      torch.norm(self._inputNorm, input, 2, 2):add(1e-12)
      self.output:cdiv(self._weightNorm:view(1, outSize):expandAs(self.output))
      self.output:cdiv(self._inputNorm:expandAs(self.output))
   end
   return self.output
end

--  dy_j/dx_i = w_ji / (||w_j|| ||x||) - y_j x_i / ||x||^2
function Cosine:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   self:_check(input, gradOutput)
   local outSize = self.weight:size(1)
   self.gradInput:resizeAs(input)
   if input:dim() == 1 then
      self._weight = self._weight or input.new()
      self._weight:resizeAs(self.weight):copy(self.weight)
      self._weight:cdiv(self._weightNorm:expandAs(self.weight))
      self._weight:div(self.__norm)
      self._weight:addr(1, self._weight, -1 / (self.__norm * self.__norm), self.output, input)
      self.gradInput:addmv(0, self.gradInput, 1, self._weight:t(), gradOutput)
   else
      local inputNorm = self._inputNorm:expandAs(input)
      local weightNorm = self._weightNorm:view(1, outSize):expandAs(gradOutput)
      self.gradInput:copy(input):cdiv(inputNorm)
      self._gradOutput = self._gradOutput or gradOutput.new()
      self._gradOutput:resizeAs(gradOutput):copy(gradOutput)
      self._gradOutput:cmul(self.output)
      self._sum = self._sum or input.new()
      torch.sum(self._sum, self._gradOutput, 2)
      self.gradInput:cmul(self._sum:expandAs(input))
      self._gradOutput:resizeAs(gradOutput):copy(gradOutput)
      self._gradOutput:cdiv(weightNorm)
      self.gradInput:addmm(-1, self.gradInput, 1, self._gradOutput, self.weight)
      self.gradInput:cdiv(inputNorm)
   end
   return self.gradInput
end

--  dy_j/dw_ji = x_i / (||w_j|| ||x||) - y_j w_ji / ||w_j||^2
function Cosine:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   self:_check(input, gradOutput)
   local outSize = self.weight:size(1)
   self._weight = self._weight or self.weight.new()
   self._gradOutput = self._gradOutput or gradOutput.new()
   if input:dim() == 1 then
      self._gradOutput:resizeAs(gradOutput):copy(gradOutput)
      local weightNorm = self._weightNorm:view(outSize)
      self._gradOutput:cdiv(weightNorm)
      self.gradWeight:addr(scale / self.__norm, self._gradOutput, input)
      self._gradOutput:cdiv(weightNorm)
      self._gradOutput:cmul(self.output)
      self._weight:resizeAs(self.weight):copy(self.weight)
      self._weight:cmul(self._gradOutput:view(outSize, 1):expandAs(self.weight))
      self.gradWeight:add(-scale, self._weight)
   else
      self._weight:resizeAs(self.weight):copy(self.weight)
      self._gradOutput:resizeAs(gradOutput):copy(gradOutput)
      self._gradOutput:cmul(self.output)
      self._sum = self._sum or input.new()
      torch.sum(self._sum, self._gradOutput, 1)
      local grad = self._sum[1]
      grad:cdiv(self._weightNorm:select(2, 1))
      self._weight:cmul(grad:view(outSize, 1):expandAs(self._weight))
      local input_ = self._gradOutput
      input_:resizeAs(input):copy(input)
      input_:cdiv(self._inputNorm:expandAs(input))
      self._weight:addmm(-1, self._weight, 1, gradOutput:t(), input_)
      self._weight:cdiv(self._weightNorm:expandAs(self._weight))
      self.gradWeight:add(scale, self._weight)
   end
end

function Cosine:type(typename, tensorCache)
   if typename then
      self._input, self._weight, self._inputNorm, self._weightNorm = nil, nil, nil, nil
      self._gradOutput, self._sum = nil, nil
   end
   return parent.type(self, typename, tensorCache)
end

function Cosine:clearState()
   nn.utils.clear(self, { '_input', '_weight', '_gradOutput', '_sum', '_inputNorm', '_weightNorm' })
   return parent.clearState(self)
end
