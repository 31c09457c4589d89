-- nn.hessian: diagonal-Hessian (Gauss-Newton) estimates for conditioning
-- learning rates per parameter, Torch7's experimental extension, off until
-- nn.hessian.enable() is called. It then adds to the modules:
--
--   module:initDiagHessianParameters()                   allocate diagHessian* fields
--   module:updateDiagHessianInput(input, diagHessianOutput) -> diagHessianInput
--   module:accDiagHessianParameters(input, diagHessianOutput)
--
-- for Module, Sequential, the criterions MSECriterion, WeightedMSECriterion
-- and L1Cost, the linear modules (Linear, SpatialConvolution(Local|Map),
-- SpatialFullConvolution(Map)), Tanh, TanhShrink, Square, Sqrt and Reshape;
-- parameters() then returns a third list (the diagonal Hessians) and
-- getParameters() a third flat tensor.
--
-- The rules: a linear module's diagonal Hessian input is its backward with
-- squared weights applied to the output's diagonal Hessian; its parameters'
-- are its weight gradient computed from the squared input; a pointwise
-- module's is f'(x)^2 times the output's.
local torch = require 'torch'
local nn = require 'nn'

local hessian = {}
nn.hessian = hessian

-- Runs fn with module[a[i]] and module[b[i]] exchanged for each i.
local function with_swapped(module, a, b, fn)
   local function swap()
      for i = 1, #a do module[a[i]], module[b[i]] = module[b[i]], module[a[i]] end
   end
   swap()
   local ok, err = pcall(fn)
   swap()
   if not ok then error(err, 0) end
end

-- d2/dw2: accGradParameters on input^2 and diagHessianOutput, into the
-- diagonal-Hessian fields hw in place of the gradient fields gw
function hessian.accDiagHessianParameters(module, input, diagHessianOutput, gw, hw)
   if #gw ~= #hw then error('nn.hessian: number of gradients is not equal to number of hessians', 2) end
   module.inputSq = module.inputSq or input.new()
   module.inputSq:resizeAs(input)
   torch.cmul(module.inputSq, input, input)
   for i = 1, #gw do
      if module[hw[i]] == nil then module[hw[i]] = module[gw[i]].new():resizeAs(module[gw[i]]):zero() end
   end
   local output = module.output
   module.output = output.new():resizeAs(output)
   with_swapped(module, gw, hw, function()
      module:updateOutput(module.inputSq)
      module:accGradParameters(module.inputSq, diagHessianOutput, 1)
   end)
   module.output = output
end

-- d2/dx2 for a module linear in its weights: updateGradInput with the
-- weights (names w) replaced by their squares (kept in the fields wsq)
function hessian.updateDiagHessianInput(module, input, diagHessianOutput, w, wsq)
   if #w ~= #wsq then error('nn.hessian: number of weights is not equal to number of weights squares', 2) end
   module.diagHessianInput = module.diagHessianInput or input.new()
   module.diagHessianInput:resizeAs(input):zero()
   for i = 1, #w do
      module[wsq[i]] = module[wsq[i]] or module[w[i]].new()
      module[wsq[i]]:resizeAs(module[w[i]])
      torch.cmul(module[wsq[i]], module[w[i]], module[w[i]])
   end
   local gradInput = module.gradInput
   module.gradInput = module.diagHessianInput
   local ok, err = pcall(with_swapped, module, w, wsq, function()
      module:updateGradInput(input, diagHessianOutput)
   end)
   module.diagHessianInput = module.gradInput
   module.gradInput = gradInput
   if not ok then error(err, 0) end
end

-- pointwise modules: f'(x)^2 * diagHessianOutput, f' from updateGradInput
-- with a gradient of ones
function hessian.updateDiagHessianInputPointWise(module, input, diagHessianOutput)
   local ones = diagHessianOutput.new():resizeAs(diagHessianOutput):fill(1)
   hessian.updateDiagHessianInput(module, input, ones, {}, {})
   module.diagHessianInput:cmul(module.diagHessianInput)
   module.diagHessianInput:cmul(diagHessianOutput)
end

function hessian.initDiagHessianParameters(module, gw, hw)
   module.diagHessianInput = module.diagHessianInput or module.gradInput.new()
   for i = 1, #gw do
      module[hw[i]] = module[hw[i]] or module[gw[i]].new():resizeAs(module[gw[i]]):zero()
   end
end

local GW, HW = { 'gradWeight', 'gradBias' }, { 'diagHessianWeight', 'diagHessianBias' }

local function linear_methods(class, weights, squares)
   if not class then return end
   function class:updateDiagHessianInput(input, diagHessianOutput)
      hessian.updateDiagHessianInput(self, input, diagHessianOutput, weights, squares)
      return self.diagHessianInput
   end
   function class:accDiagHessianParameters(input, diagHessianOutput)
      hessian.accDiagHessianParameters(self, input, diagHessianOutput, GW, HW)
   end
   function class:initDiagHessianParameters()
      hessian.initDiagHessianParameters(self, GW, HW)
   end
end

local enabled = false

function hessian.enable()
   if enabled then return end
   enabled = true
   local Module = nn.Module

   function Module:updateDiagHessianInput(input, diagHessianOutput)
      error(torch.typename(self) .. ':updateDiagHessianInput() is undefined', 2)
   end
   function Module:accDiagHessianParameters(input, diagHessianOutput) end
   function Module:initDiagHessianParameters() end

   function nn.Sequential:initDiagHessianParameters()
      for i = 1, #self.modules do self.modules[i]:initDiagHessianParameters() end
   end
   function nn.Sequential:updateDiagHessianInput(input, diagHessianOutput)
      local d = diagHessianOutput
      for i = #self.modules, 2, -1 do
         d = self.modules[i]:updateDiagHessianInput(self.modules[i - 1].output, d)
      end
      d = self.modules[1]:updateDiagHessianInput(input, d)
      self.diagHessianInput = d
      return d
   end
   function nn.Sequential:accDiagHessianParameters(input, diagHessianOutput)
      local d = diagHessianOutput
      for i = #self.modules, 2, -1 do
         local m = self.modules[i]
         m:accDiagHessianParameters(self.modules[i - 1].output, d)
         d = m.diagHessianInput
      end
      self.modules[1]:accDiagHessianParameters(input, d)
   end

   function nn.Criterion:updateDiagHessianInput(input, diagHessianOutput)
      error(torch.typename(self) .. ':updateDiagHessianInput() is undefined', 2)
   end
   function nn.MSECriterion:updateDiagHessianInput(input, target)
      self.diagHessianInput = self.diagHessianInput or input.new()
      local val = 2
      if self.sizeAverage then val = val / input:nElement() end
      self.diagHessianInput:resizeAs(input):fill(val)
      return self.diagHessianInput
   end
   if nn.WeightedMSECriterion then
      nn.WeightedMSECriterion.updateDiagHessianInput = nn.MSECriterion.updateDiagHessianInput
   end
   function nn.L1Cost:updateDiagHessianInput(input)
      self.diagHessianInput = self.diagHessianInput or input.new()
      self.diagHessianInput:resizeAs(input):fill(1)
      self.diagHessianInput[torch.eq(input, 0)] = 0
      return self.diagHessianInput
   end

   linear_methods(nn.Linear, { 'weight' }, { 'weightSq' })
   linear_methods(nn.SpatialConvolution, { 'weight' }, { 'weightSq' })
   linear_methods(nn.SpatialConvolutionMM, { 'weight' }, { 'weightSq' })
   linear_methods(nn.SpatialConvolutionLocal, { 'weight' }, { 'weightSq' })
   linear_methods(nn.SpatialFullConvolution, { 'weight' }, { 'weightSq' })
   linear_methods(nn.SpatialConvolutionMap, { 'weight', 'bias' }, { 'weightSq', 'biasSq' })
   linear_methods(nn.SpatialFullConvolutionMap, { 'weight' }, { 'weightSq' })

   for _, name in ipairs { 'Tanh', 'Square', 'Sqrt' } do
      nn[name].updateDiagHessianInput = function(self, input, diagHessianOutput)
         hessian.updateDiagHessianInputPointWise(self, input, diagHessianOutput)
         return self.diagHessianInput
      end
   end
   -- x - tanh(x): Torch7 adds the output's diagonal Hessian to tanh's term
   function nn.TanhShrink:updateDiagHessianInput(input, diagHessianOutput)
      local t = torch.tanh(input)
      local d = t:cmul(t):mul(-1):add(1) -- tanh'(x)
      d:cmul(d):cmul(diagHessianOutput):add(diagHessianOutput)
      self.diagHessianInput = self.diagHessianInput or input.new()
      self.diagHessianInput:resizeAs(input):copy(d)
      return self.diagHessianInput
   end
   function nn.Reshape:updateDiagHessianInput(input, diagHessianOutput)
      self.diagHessianInput = self.diagHessianInput or input.new()
      self.diagHessianInput:set(diagHessianOutput:contiguous()):resizeAs(input)
      return self.diagHessianInput
   end

   -- parameters() with a third list, getParameters() with a third tensor
   function Module:parameters()
      if self.weight and self.bias then
         return { self.weight, self.bias }, { self.gradWeight, self.gradBias },
            { self.diagHessianWeight, self.diagHessianBias }
      elseif self.weight then
         return { self.weight }, { self.gradWeight }, { self.diagHessianWeight }
      elseif self.bias then
         return { self.bias }, { self.gradBias }, { self.diagHessianBias }
      end
   end
   local getParameters = Module.getParameters
   function Module:getParameters()
      local p, g = getParameters(self)
      local _, _, h = self:parameters()
      local flat_h
      if h and h[1] then flat_h = Module.flatten(h) end
      return p, g, flat_h
   end
   function nn.Container:parameters()
      local w, gw, hw = {}, {}, {}
      local function add(to, from)
         if from == nil then return end
         for i = 1, #from do to[#to + 1] = from[i] end
      end
      for i = 1, #self.modules do
         local mw, mgw, mhw = self.modules[i]:parameters()
         if mw then add(w, mw); add(gw, mgw); add(hw, mhw) end
      end
      return w, gw, hw
   end
end

return hessian
