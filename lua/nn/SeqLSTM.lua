-- nn.SeqLSTM(inputsize, outputsize): a whole LSTM layer over a sequence,
-- the Element-Research rnn module. Input seqlen x batch x inputsize
-- (batch x seqlen x inputsize with .batchfirst = true), or a table
-- {h0, x} or {c0, h0, x} with the initial states (batch x outputsize);
-- output seqlen x batch x outputsize.
--
-- Per sequence: one GEMM of all the inputs with the input rows of the
-- weight (plus the bias), then per step one GEMM of h_{t-1} with the
-- recurrent rows and one pass of the pointwise cell (runtime/nn/lstm.c).
-- Backward: the cell's backward and one GEMM per step, then one GEMM each
-- for gradInput and the two weight blocks over all steps. Weight layout
-- and gate order (i, f, o, g): lua/nn/lstm_util.lua.
--
-- State: :remember([mode]) carries the last h and c into the next
-- forward ('both' when no mode; 'train', 'eval', 'neither'), :forget()
-- drops them; userPrevOutput / userPrevCell (batch x outputsize) set the
-- next forward's initial state; gradPrevOutput / userNextGradCell add a
-- gradient to the last step's h and c in backward, which leaves the
-- initial states' gradients in userGradPrevOutput / userGradPrevCell.
-- .maskzero = true: a step whose input row is all zeros zeroes that
-- row's h and c (the sequence restarts after it).
local torch = require 'torch'
local nn = require 'nn'
local U = require 'nn.lstm_util'

local SeqLSTM, parent = torch.class('nn.SeqLSTM', 'nn.Module')

function SeqLSTM:__init(inputsize, hiddensize, outputsize)
   parent.__init(self)
   U.checkSize('nn.SeqLSTM', inputsize, 'inputsize')
   U.checkSize('nn.SeqLSTM', hiddensize, 'outputsize')
   if outputsize ~= nil and outputsize ~= hiddensize then
      error('nn.SeqLSTM: a projection (outputsize ~= hiddensize, rnn\'s SeqLSTMP) is not supported', 2)
   end
   local D, H = inputsize, hiddensize
   self.inputsize, self.hiddensize, self.outputsize = D, H, H
   self.inputSize, self.hiddenSize, self.outputSize = D, H, H
   self.weight = torch.Tensor(D + H, 4 * H)
   self.gradWeight = torch.Tensor(D + H, 4 * H):zero()
   self.bias = torch.Tensor(4 * H)
   self.gradBias = torch.Tensor(4 * H):zero()
   self.batchfirst = false
   self.maskzero = false
   self._remember = 'neither'
   self:_buffers()
   self:reset()
end

function SeqLSTM:_buffers()
   local new = function() return self.weight.new() end
   self.gates = new()      -- T x N x 4H activations
   self.cell = new()       -- (T+1) x N x H: c0, c_1 .. c_T
   self._hs = new()        -- (T+1) x N x H: h0, h_1 .. h_T (output is a view)
   self._gg = new()        -- T x N x 4H gradients of the pre-activations
   self._x = new()         -- a contiguous copy of a strided input
   self._gx = new()        -- T x N x D
   self._ones = new()
   self._mask = new()
   self.h0, self.c0 = new(), new()
   self.grad_h0, self.grad_c0 = new(), new()
end

function SeqLSTM:reset(std)
   return U.reset(self, self.inputsize, self.hiddensize, std)
end

function SeqLSTM:loadCell(i2h, h2h)
   return U.loadCell(self, self.inputsize, self.hiddensize, i2h, h2h)
end

-- an nn.FastLSTM with a copy of these weights (the layouts are the same),
-- e.g. to sample one step at a time
function SeqLSTM:toFastLSTM()
   local f = nn.FastLSTM(self.inputsize, self.outputsize):type(self.weight:type())
   f.weight:copy(self.weight)
   f.bias:copy(self.bias)
   return f
end

function SeqLSTM:remember(mode)
   self._remember = U.rememberMode(self, mode)
   return self
end

function SeqLSTM:forget()
   self.h0:resize(0)
   self.c0:resize(0)
   self._carry = false
   return self
end

SeqLSTM.resetStates = SeqLSTM.forget

function SeqLSTM:training()
   if self.train == false then self:forget() end
   return parent.training(self)
end

function SeqLSTM:evaluate()
   if self.train ~= false then self:forget() end
   return parent.evaluate(self)
end

function SeqLSTM:__tostring__()
   return string.format('%s(%d -> %d)', torch.type(self), self.inputsize, self.outputsize)
end

local shape = nn.utils.shapeStr

-- x as T x N x D, the initial states given in the input (or nil) and the
-- gradOutput as T x N x H; every size checked against the module's
function SeqLSTM:_prepare(input, gradOutput)
   local c0, h0, x
   if torch.isTensor(input) then
      x = input
   elseif type(input) == 'table' and #input == 3 then
      c0, h0, x = input[1], input[2], input[3]
   elseif type(input) == 'table' and #input == 2 then
      h0, x = input[1], input[2]
   else
      nn.utils.moduleError(self, 'input must be a tensor, {h0, x} or {c0, h0, x}, got ' .. torch.type(input))
   end
   nn.utils.checkInputType(self, x)
   local D, H = self.inputsize, self.outputsize
   local order = self.batchfirst and 'batch x seqlen' or 'seqlen x batch'
   if x:dim() ~= 3 or x:size(3) ~= D then
      nn.utils.moduleError(self, string.format('input has size %s, expected %s x %d', shape(x), order, D))
   end
   if self.batchfirst then x = x:transpose(1, 2) end
   local T, N = x:size(1), x:size(2)
   for _, s in ipairs { { h0, 'h0' }, { c0, 'c0' } } do
      local t = s[1]
      if t ~= nil then
         nn.utils.checkInputType(self, t)
         if t:dim() ~= 2 or t:size(1) ~= N or t:size(2) ~= H then
            nn.utils.moduleError(self, string.format('%s has size %s, expected %dx%d (batch x outputsize)', s[2],
               shape(t), N, H))
         end
      end
   end
   if gradOutput ~= nil then
      nn.utils.checkInputType(self, gradOutput)
      local g = self.batchfirst and gradOutput:dim() == 3 and gradOutput:transpose(1, 2) or gradOutput
      if g:dim() ~= 3 or g:size(1) ~= T or g:size(2) ~= N or g:size(3) ~= H then
         nn.utils.moduleError(self, string.format('gradOutput has size %s, expected %s', shape(gradOutput),
            self.batchfirst and string.format('%dx%dx%d', N, T, H) or string.format('%dx%dx%d', T, N, H)))
      end
      gradOutput = g
   end
   return c0, h0, x, gradOutput
end

-- the initial state: given in the input, set by the user, the last
-- state of the previous forward (remembering), or zeros
function SeqLSTM:_initState(given, user, store, last, N, what)
   local H = self.outputsize
   if given then return store:resize(N, H):copy(given) end
   if user then
      if user:dim() ~= 2 or user:size(1) ~= N or user:size(2) ~= H then
         nn.utils.moduleError(self, string.format('%s has size %s, expected %dx%d', what, shape(user), N, H))
      end
      return store:resize(N, H):copy(user)
   end
   if U.remembering(self) and self._carry and self._T and last:dim() == 3 then
      if last:size(2) ~= N then
         nn.utils.moduleError(self, string.format('the batch size changed from %d to %d while remembering states; '
            .. 'call forget() first', last:size(2), N))
      end
      return store:resize(N, H):copy(last[self._T + 1])
   end
   return store:resize(N, H):zero()
end

function SeqLSTM:_contiguousInput(x)
   if x:isContiguous() then return x end
   self._x:resize(x:size()):copy(x)
   return self._x
end

function SeqLSTM:updateOutput(input)
   local c0, h0, x = self:_prepare(input)
   local T, N = x:size(1), x:size(2)
   local D, H = self.inputsize, self.outputsize
   c0 = self:_initState(c0, self.userPrevCell, self.c0, self.cell, N, 'userPrevCell')
   h0 = self:_initState(h0, self.userPrevOutput, self.h0, self._hs, N, 'userPrevOutput')
   self.userPrevOutput, self.userPrevCell = nil, nil
   local hs, cs, gates = self._hs:resize(T + 1, N, H), self.cell:resize(T + 1, N, H), self.gates:resize(T, N, 4 * H)
   hs[1]:copy(h0)
   cs[1]:copy(c0)
   x = self:_contiguousInput(x)
   local g2 = gates:view(T * N, 4 * H)
   g2:copy(self.bias:view(1, 4 * H):expand(T * N, 4 * H))
   g2:addmm(x:view(T * N, D), self.weight:narrow(1, 1, D))
   local Wh = self.weight:narrow(1, D + 1, H)
   local mask
   if self.maskzero then
      mask = torch.norm(self._mask, x, 2, 3):sign()   -- T x N x 1: 0 where the input row is zeros
   end
   U.steps(N, H, function()
      for t = 1, T do
         local gt = gates[t]
         gt:addmm(hs[t], Wh)
         U.cellForward(self, hs[t + 1], cs[t + 1], gt, cs[t])
         if mask then
            local m = mask[t]
            hs[t + 1]:cmul(m:expandAs(hs[t + 1]))
            cs[t + 1]:cmul(m:expandAs(cs[t + 1]))
            gt:cmul(m:expandAs(gt))
         end
      end
   end)
   self._T, self._N, self._carry = T, N, true
   local out = hs:narrow(1, 2, T)
   self.output = self.batchfirst and out:transpose(1, 2) or out
   return self.output
end

function SeqLSTM:_checkForward(T, N)
   if self._T ~= T or self._N ~= N then
      nn.utils.moduleError(self, string.format('backward for a %dx%d (seqlen x batch) input, but the last forward was %s',
         T, N, self._T and string.format('%dx%d', self._T, self._N) or 'none'))
   end
end

function SeqLSTM:updateGradInput(input, gradOutput)
   local c0, h0, x, go = self:_prepare(input, gradOutput)
   local T, N = x:size(1), x:size(2)
   local D, H = self.inputsize, self.outputsize
   self:_checkForward(T, N)
   local gg, gates, cs = self._gg:resize(T, N, 4 * H), self.gates, self.cell
   local gc = self.grad_c0:resize(N, H)
   if self.userNextGradCell then gc:copy(self.userNextGradCell) else gc:zero() end
   local gh = self.grad_h0:resize(N, H)
   local dh2
   if self.gradPrevOutput then dh2 = gh:copy(self.gradPrevOutput) end
   local WhT = self.weight:narrow(1, D + 1, H):t()
   U.steps(N, H, function()
      for t = T, 1, -1 do
         U.cellBackward(self, gg[t], gc, gates[t], cs[t], cs[t + 1], go[t], dh2)
         gh:mm(gg[t], WhT)
         dh2 = gh
      end
   end)
   if T == 0 then gh:zero() end
   self.gradPrevOutput, self.userNextGradCell = nil, nil
   self.userGradPrevOutput, self.userGradPrevCell = self.grad_h0, self.grad_c0
   local gx = self._gx:resize(T, N, D)
   gx:view(T * N, D):mm(gg:view(T * N, 4 * H), self.weight:narrow(1, 1, D):t())
   if self.batchfirst then gx = gx:transpose(1, 2) end
   if torch.isTensor(input) then
      self.gradInput = gx
   elseif #input == 3 then
      self.gradInput = { self.grad_c0, self.grad_h0, gx }
   else
      self.gradInput = { self.grad_h0, gx }
   end
   return self.gradInput
end

function SeqLSTM:accGradParameters(input, gradOutput, scale)
   scale = scale or 1
   local _, _, x = self:_prepare(input, gradOutput)
   local T, N = x:size(1), x:size(2)
   local D, H = self.inputsize, self.outputsize
   self:_checkForward(T, N)
   if self._gg:dim() ~= 3 or self._gg:size(1) ~= T then
      nn.utils.moduleError(self, 'accGradParameters needs updateGradInput on the same input first')
   end
   x = self:_contiguousInput(x)
   local gg = self._gg:view(T * N, 4 * H)
   self.gradWeight:narrow(1, 1, D):addmm(scale, x:view(T * N, D):t(), gg)
   self.gradWeight:narrow(1, D + 1, H):addmm(scale, self._hs:narrow(1, 1, T):view(T * N, H):t(), gg)
   if self._ones:nElement() ~= T * N then self._ones:resize(T * N):fill(1) end
   self.gradBias:addmv(scale, gg:t(), self._ones)
end

function SeqLSTM:clearState()
   for _, k in ipairs { 'gates', 'cell', '_hs', '_gg', '_x', '_gx', '_ones', '_mask', 'grad_h0', 'grad_c0' } do
      self[k]:set()
   end
   self._T = nil
   self.output = self.weight.new()
   self.gradInput = self.weight.new()
   return self
end

function SeqLSTM:type(typename, tensorCache)
   parent.type(self, typename, tensorCache)
   -- views of the buffers (output, gradInput) are remade on the next call
   self._T = nil
   return self
end

return SeqLSTM
