-- nn.Bilinear(inputSize1, inputSize2, outputSize [, bias]): for a table
-- {x1 (N x inputSize1), x2 (N x inputSize2)}, y[n][k] = x1[n]' W[k] x2[n]
-- + b[k], W of size outputSize x inputSize1 x inputSize2. Every product
-- is one GEMM over all k at once (Torch7 loops over k).
local torch = require 'torch'
local nn = require 'nn'

local Bilinear, parent = torch.class('nn.Bilinear', 'nn.Module')

local function isint(x) return type(x) == 'number' and x == math.floor(x) end

function Bilinear:__init(inputSize1, inputSize2, outputSize, bias)
   if not (isint(inputSize1) and isint(inputSize2) and isint(outputSize)
           and inputSize1 > 0 and inputSize2 > 0 and outputSize > 0) then
      torch._core.raise(string.format('nn.Bilinear: expected positive integer sizes inputSize1, inputSize2, outputSize, got %s, %s, %s',
         tostring(inputSize1), tostring(inputSize2), tostring(outputSize)))
   end
   parent.__init(self)
   local withBias = bias == nil and true or bias
   self.weight = torch.Tensor(outputSize, inputSize1, inputSize2)
   self.gradWeight = torch.Tensor(outputSize, inputSize1, inputSize2)
   if withBias then
      self.bias = torch.Tensor(outputSize)
      self.gradBias = torch.Tensor(outputSize)
   end
   self.gradInput = { torch.Tensor(), torch.Tensor() }
   self:reset()
end

function Bilinear:reset(stdv)
   if stdv then
      if type(stdv) ~= 'number' or stdv <= 0 then
         nn.utils.moduleError(self, 'standard deviation should be a positive number, got ' .. tostring(stdv))
      end
      stdv = stdv * math.sqrt(3)
   else
      stdv = 1 / math.sqrt(self.weight:size(2))
   end
   self.weight:uniform(-stdv, stdv)
   if self.bias then self.bias:uniform(-stdv, stdv) end
   return self
end

local function fail(self, msg) nn.utils.moduleError(self, msg) end

function Bilinear:_check(input, gradOutput)
   local K, I, J = self.weight:size(1), self.weight:size(2), self.weight:size(3)
   if type(input) ~= 'table' or #input ~= 2 or not torch.isTensor(input[1]) or not torch.isTensor(input[2]) then
      fail(self, string.format('input should be a table {N x %d, N x %d} of two tensors, got %s', I, J,
         torch.isTensor(input) and ('a tensor of size ' .. nn.utils.shapeStr(input)) or torch.type(input)))
   end
   local x1, x2 = input[1], input[2]
   for i, x in ipairs(input) do
      if x._dtype ~= self.weight._dtype or x._device ~= self.weight._device then
         fail(self, string.format('input[%d] is %s but the module is %s', i, torch.typename(x), torch.typename(self.weight)))
      end
   end
   if x1:dim() ~= 2 or x2:dim() ~= 2 or x1:size(2) ~= I or x2:size(2) ~= J or x1:size(1) ~= x2:size(1) then
      fail(self, string.format('input should be {N x %d, N x %d}, got {%s, %s}', I, J, nn.utils.shapeStr(x1),
         nn.utils.shapeStr(x2)))
   end
   if gradOutput ~= nil then
      if not torch.isTensor(gradOutput) or gradOutput._dtype ~= self.weight._dtype or gradOutput:dim() ~= 2
         or gradOutput:size(1) ~= x1:size(1) or gradOutput:size(2) ~= K then
         fail(self, string.format('gradOutput should be a %dx%d %s, got %s', x1:size(1), K, torch.typename(self.weight),
            torch.isTensor(gradOutput) and (torch.typename(gradOutput) .. ' of size ' .. nn.utils.shapeStr(gradOutput))
            or torch.type(gradOutput)))
      end
   end
   return x1, x2
end

-- buf (N, K, L) = a[n][k] * b[n][l] for a (N, K), b (N, L); viewed N x KL
local function outer(buf, a, b)
   local N, K, L = a:size(1), a:size(2), b:size(2)
   local add1 = nn.utils.addSingletonDimension
   buf:resize(N, K, L):cmul(add1(a, 3):expand(N, K, L), add1(b, 2):expand(N, K, L))
   return buf:view(N, K * L)
end

function Bilinear:updateOutput(input)
   local x1, x2 = self:_check(input)
   local N, K, I, J = x1:size(1), self.weight:size(1), self.weight:size(2), self.weight:size(3)
   self._wIKJ = self._wIKJ or self.weight.new()
   self._buff = self._buff or self.weight.new()
   self._sum = self._sum or self.weight.new()
   -- (x1 W)[n][k][j] = sum_i x1[n][i] W[k][i][j], as one N x I by I x KJ product
   self._wIKJ:resize(I, K, J):copy(self.weight:transpose(1, 2))
   self._buff:resize(N, K * J):mm(x1, self._wIKJ:view(I, K * J))
   local prod = self._buff:view(N, K, J)
   prod:cmul(nn.utils.addSingletonDimension(x2, 2):expand(N, K, J))
   torch.sum(self._sum, prod, 3)
   self.output:resize(N, K):copy(self._sum:view(N, K))
   if self.bias then self.output:add(self.bias:view(1, K):expand(N, K)) end
   return self.output
end

function Bilinear:updateGradInput(input, gradOutput)
   if not self.gradInput then return end
   local x1, x2 = self:_check(input, gradOutput)
   local K, I, J = self.weight:size(1), self.weight:size(2), self.weight:size(3)
   if #self.gradInput == 0 then self.gradInput = { x1.new(), x1.new() } end
   self._wKJI = self._wKJI or self.weight.new()
   self._outer = self._outer or self.weight.new()
   -- gradInput[1][n][i] = sum_kj go[n][k] x2[n][j] W[k][i][j]
   self._wKJI:resize(K, J, I):copy(self.weight:transpose(2, 3))
   self.gradInput[1]:resizeAs(x1):mm(outer(self._outer, gradOutput, x2), self._wKJI:view(K * J, I))
   -- gradInput[2][n][j] = sum_ki go[n][k] x1[n][i] W[k][i][j]
   self._wIKJ = self._wIKJ or self.weight.new()
   local w = self.weight
   if not w:isContiguous() then w = self._wIKJ:resizeAs(w):copy(w) end
   self.gradInput[2]:resizeAs(x2):mm(outer(self._outer, gradOutput, x1), w:view(K * I, J))
   return self.gradInput
end

function Bilinear:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   local x1, x2 = self:_check(input, gradOutput)
   local K, I, J = self.weight:size(1), self.weight:size(2), self.weight:size(3)
   self._outer = self._outer or self.weight.new()
   -- gradWeight[k][i][j] += scale * sum_n go[n][k] x1[n][i] x2[n][j]
   local gko = outer(self._outer, gradOutput, x1)
   if self.gradWeight:isContiguous() then
      self.gradWeight:view(K * I, J):addmm(scale, gko:t(), x2)
   else
      self._gw = self._gw or self.weight.new()
      self._gw:resize(K * I, J):mm(gko:t(), x2)
      self.gradWeight:add(scale, self._gw:view(K, I, J))
   end
   if self.bias then
      self._gb = self._gb or self.weight.new()
      torch.sum(self._gb, gradOutput, 1)
      self.gradBias:add(scale, self._gb:view(K))
   end
end

-- sharing needs no gradient accumulation: parameters move in place
function Bilinear:sharedAccUpdateGradParameters(input, gradOutput, lr)
   self:defaultAccUpdateGradParameters(input, gradOutput, lr)
end

function Bilinear:__tostring__()
   return torch.type(self) .. string.format('(%dx%d -> %d) %s', self.weight:size(2), self.weight:size(3),
      self.weight:size(1), self.bias == nil and ' without bias' or '')
end

function Bilinear:clearState()
   nn.utils.clear(self, { '_wIKJ', '_wKJI', '_buff', '_sum', '_outer', '_gw', '_gb' })
   return parent.clearState(self)
end
