-- nn.FastLSTM(inputSize, outputSize): the LSTM as a step module, the
-- Element-Research rnn way: each forward(x_t) (batch x inputSize, or a
-- vector) is the next time step and returns h_t; the state carries over
-- between forwards until :forget(). Backward runs back in time: each
-- backward (updateGradInput, accGradParameters) call after a run of
-- forwards is the previous step, from the last one down. A new forward
-- starts a new backward sweep.
--
-- Per step one GEMM over the concatenated [x_t, h_{t-1}] with the whole
-- (inputSize + outputSize) x 4 outputSize weight, then the pointwise
-- cell (runtime/nn/lstm.c); backward one GEMM for the gradients of x_t
-- and h_{t-1} together, one for the weight. Layout and gate order (i, f,
-- o, g, no peepholes): lua/nn/lstm_util.lua; the same as nn.SeqLSTM's, so
-- the weights of one load into the other.
--
-- userPrevOutput / userPrevCell set the state before the first step;
-- gradPrevOutput / userNextGradCell add gradients to the last step's h
-- and c. rho (default 9999) bounds the steps kept for backward; in
-- evaluation only the last step is kept.
local torch = require 'torch'
local nn = require 'nn'
local U = require 'nn.lstm_util'

local FastLSTM, parent = torch.class('nn.FastLSTM', 'nn.Module')

function FastLSTM:__init(inputSize, outputSize, rho)
   parent.__init(self)
   U.checkSize('nn.FastLSTM', inputSize, 'inputSize')
   outputSize = outputSize or inputSize
   U.checkSize('nn.FastLSTM', outputSize, 'outputSize')
   local D, H = inputSize, outputSize
   self.inputSize, self.outputSize, self.hiddenSize = D, H, H
   self.rho = rho or 9999
   self.weight = torch.Tensor(D + H, 4 * H)
   self.gradWeight = torch.Tensor(D + H, 4 * H):zero()
   self.bias = torch.Tensor(4 * H)
   self.gradBias = torch.Tensor(4 * H):zero()
   self:reset()
   self:forget()
end

function FastLSTM:reset(std)
   return U.reset(self, self.inputSize, self.outputSize, std)
end

function FastLSTM:loadCell(i2h, h2h)
   return U.loadCell(self, self.inputSize, self.outputSize, i2h, h2h)
end

-- per-step tables: xh (N x (D+H)), gates, cells, outputs, gg (gradients
-- of the pre-activations), dxh (gradients of [x, h_prev])
function FastLSTM:forget()
   self.step = 1
   self._xh, self._gates, self._cells, self._outputs, self._gg, self._dxh = {}, {}, {}, {}, {}, {}
   self._gstep, self._astep = nil, nil
   self._c0, self._h0 = nil, nil
   return self
end

-- rnn's Sequencer modes; a FastLSTM on its own always carries its state
-- until forget(), and training()/evaluate() forget unless remembering
function FastLSTM:remember(mode)
   self._remember = U.rememberMode(self, mode)
   return self
end

function FastLSTM:training()
   if self.train == false and self._remember ~= 'both' and self._remember ~= 'train' then self:forget() end
   return parent.training(self)
end

function FastLSTM:evaluate()
   if self.train ~= false and self._remember ~= 'both' and self._remember ~= 'eval' then self:forget() end
   return parent.evaluate(self)
end

function FastLSTM:__tostring__()
   return string.format('%s(%d -> %d)', torch.type(self), self.inputSize, self.outputSize)
end

local shape = nn.utils.shapeStr

local function batch(self, x, what, width)
   nn.utils.checkInputType(self, x)
   if x:dim() == 1 and x:size(1) == width then return x:view(1, width), true end
   if x:dim() ~= 2 or x:size(2) ~= width then
      nn.utils.moduleError(self, string.format('%s has size %s, expected batch x %d or %d', what, shape(x), width, width))
   end
   return x, false
end

function FastLSTM:updateOutput(input)
   local x, vec = batch(self, input, 'input', self.inputSize)
   local N, D, H = x:size(1), self.inputSize, self.outputSize
   local t = self.step
   local prev_h, prev_c
   if t == 1 or not self._outputs[t - 1] then
      prev_h = self.userPrevOutput and self.userPrevOutput:clone() or x.new(N, H):zero()
      prev_c = self.userPrevCell and self.userPrevCell:clone() or x.new(N, H):zero()
      self._h0, self._c0 = prev_h, prev_c
   else
      prev_h, prev_c = self._outputs[t - 1], self._cells[t - 1]
   end
   self.userPrevOutput, self.userPrevCell = nil, nil
   if prev_h:size(1) ~= N then
      nn.utils.moduleError(self, string.format('the batch size changed from %d to %d at step %d; call forget() first',
         prev_h:size(1), N, t))
   end
   local xh = x.new(N, D + H)
   xh:narrow(2, 1, D):copy(x)
   xh:narrow(2, D + 1, H):copy(prev_h)
   local gates = x.new(N, 4 * H):copy(self.bias:view(1, 4 * H):expand(N, 4 * H))
   local h, c = x.new(), x.new()
   U.steps(N, H, function()
      gates:addmm(xh, self.weight)
      U.cellForward(self, h, c, gates, prev_c)
   end)
   self._xh[t], self._gates[t], self._cells[t], self._outputs[t] = xh, gates, c, h
   -- keep what backward can still reach
   local keep = self.train == false and 1 or self.rho
   local old = t - keep
   if old >= 1 then self._xh[old], self._gates[old], self._gg[old], self._dxh[old] = nil, nil, nil, nil end
   -- step old + 1's backward still reads the cell of step old
   if old >= 2 then self._cells[old - 1], self._outputs[old - 1] = nil, nil end
   self.step = t + 1
   self._gstep, self._astep = nil, nil
   self._gradH, self._gradC = nil, nil
   self.output = vec and h:view(H) or h
   return self.output
end

function FastLSTM:_backStep(which)
   local t = (self[which] or self.step) - 1
   if t < 1 or not self._gates[t] then
      nn.utils.moduleError(self, string.format('backward through step %d, which %s', t,
         t < 1 and 'is before the first step (call forward first, one backward per forward)' or
         'is no longer kept (rho = ' .. self.rho .. ')'))
   end
   self[which] = t
   return t
end

function FastLSTM:updateGradInput(input, gradOutput)
   local x = batch(self, input, 'input', self.inputSize)
   local go = batch(self, gradOutput, 'gradOutput', self.outputSize)
   local t = self:_backStep('_gstep')
   local N, D, H = x:size(1), self.inputSize, self.outputSize
   if go:size(1) ~= N then
      nn.utils.moduleError(self, string.format('gradOutput has size %s, expected %dx%d', shape(gradOutput), N, H))
   end
   if not self._gradC then
      self._gradC = x.new(N, H):zero()
      if self.userNextGradCell then self._gradC:copy(self.userNextGradCell) end
      self._gradH = self.gradPrevOutput and self.gradPrevOutput:clone() or nil
      self.gradPrevOutput, self.userNextGradCell = nil, nil
   end
   local prev_c = t > 1 and self._cells[t - 1] or self._c0
   local gg = self._gg[t] or x.new()
   local dxh = self._dxh[t] or x.new()
   U.steps(N, H, function()
      U.cellBackward(self, gg, self._gradC, self._gates[t], prev_c, self._cells[t], go, self._gradH)
      dxh:resize(N, D + H):mm(gg, self.weight:t())
   end)
   self._gg[t] = gg
   self._dxh[t] = dxh
   self._gradH = dxh:narrow(2, D + 1, H)
   if t == 1 then
      self.userGradPrevOutput, self.userGradPrevCell = self._gradH, self._gradC
   end
   local gi = dxh:narrow(2, 1, D)
   self.gradInput = input:dim() == 1 and gi:contiguous():view(D) or gi
   return self.gradInput
end

function FastLSTM:accGradParameters(input, gradOutput, scale)
   local t = self:_backStep('_astep')
   if not self._gg[t] then
      nn.utils.moduleError(self, 'accGradParameters at step ' .. t .. ' needs updateGradInput there first')
   end
   scale = scale or 1
   local gg = self._gg[t]
   self.gradWeight:addmm(scale, self._xh[t]:t(), gg)
   self._ones = self._ones or gg.new()
   if self._ones:nElement() ~= gg:size(1) then self._ones:resize(gg:size(1)):fill(1) end
   self.gradBias:addmv(scale, gg:t(), self._ones)
end

function FastLSTM:clearState()
   self:forget()
   self._ones = nil
   self.output = self.weight.new()
   self.gradInput = self.weight.new()
   return self
end

function FastLSTM:type(typename, tensorCache)
   self:forget()
   self._ones = nil
   return parent.type(self, typename, tensorCache)
end

return FastLSTM
