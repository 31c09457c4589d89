-- nn.init(model, scheme): re-initialises the weights of every Linear and
-- convolution module of a model with one of the schemes the CS763 lecture
-- cites, biases to zero; Torch7's own default stays each module's reset().
--   'heuristic'    uniform in +-1/sqrt(fanIn)          (LeCun 98)
--   'xavier'       normal, std sqrt(2 / (fanIn + fanOut)) (Glorot & Bengio)
--   'xavier_caffe' normal, std sqrt(1 / fanIn)          (Caffe's variant)
--   'kaiming'      normal, std sqrt(2 / fanIn)          (He et al., ReLU nets)
local torch = require 'torch'
local nn = require 'nn'

local function fans(m)
   local t = torch.typename(m) or ''
   if t == 'nn.Linear' then return m.weight:size(2), m.weight:size(1) end
   if m.nInputPlane and m.kW and m.weight then
      local k = m.kW * m.kH * (m.kT or 1)
      return m.nInputPlane * k, m.nOutputPlane * k
   end
   return nil
end

function nn.init(model, scheme)
   scheme = scheme or 'xavier'
   local schemes = { heuristic = true, xavier = true, xavier_caffe = true, kaiming = true }
   if not schemes[scheme] then
      torch._core.raise("nn.init: unknown scheme '" .. tostring(scheme) .. "' (heuristic, xavier, xavier_caffe, kaiming)")
   end
   if type(model) ~= 'table' or not model.apply then torch._core.raise('nn.init: expected a module, got ' .. torch.type(model)) end
   local count = 0
   model:apply(function(m)
      local fanIn, fanOut = fans(m)
      if not fanIn then return end
      if scheme == 'heuristic' then
         local b = 1 / math.sqrt(fanIn)
         m.weight:uniform(-b, b)
      elseif scheme == 'xavier' then
         m.weight:normal(0, math.sqrt(2 / (fanIn + fanOut)))
      elseif scheme == 'xavier_caffe' then
         m.weight:normal(0, math.sqrt(1 / fanIn))
      else
         m.weight:normal(0, math.sqrt(2 / fanIn))
      end
      if m.bias then m.bias:zero() end
      count = count + 1
   end)
   return model, count
end
