-- cudnn.convert(net, dst, [exclusion_fn]): turns every module of net (net
-- itself, and the modules of its containers, nngraph's included) that has
-- a counterpart in the other package into it: dst = cudnn turns nn.X into
-- cudnn.X (nn.SpatialConvolutionMM into cudnn.SpatialConvolution), dst =
-- nn turns cudnn.X back. A module for which exclusion_fn(module) is true
-- stays as it is. Modules are converted in place (their class changes;
-- parameters, buffers and fields stay, so the weights are the same
-- tensors), as Torch7's cudnn.convert keeps them; returns net.
local torch = require 'torch'
local nn = require 'nn'
local cudnn = require 'cudnn'

-- the classes the two packages share (cudnn.torch's list)
local layers = {
   'BatchNormalization', 'SpatialBatchNormalization', 'VolumetricBatchNormalization', 'SpatialConvolution',
   'SpatialFullConvolution', 'SpatialDilatedConvolution', 'VolumetricConvolution', 'VolumetricFullConvolution',
   'VolumetricDilatedConvolution', 'TemporalConvolution', 'SpatialCrossMapLRN', 'SpatialMaxPooling',
   'SpatialAveragePooling', 'VolumetricMaxPooling', 'VolumetricAveragePooling', 'ReLU', 'Tanh', 'Sigmoid',
   'SoftMax', 'LogSoftMax', 'SpatialSoftMax', 'SpatialLogSoftMax',
}
local to_cudnn, to_nn = { ['nn.SpatialConvolutionMM'] = 'cudnn.SpatialConvolution' }, {}
for _, name in ipairs(layers) do
   to_cudnn['nn.' .. name] = 'cudnn.' .. name
   to_nn['cudnn.' .. name] = 'nn.' .. name
end

local function convert_one(m, map)
   local t = torch.typename(m)
   local target = t and map[t]
   if not target then return end
   if target == 'nn.SpatialConvolution' and (m.groups or 1) > 1 then
      torch._core.raise(string.format('cudnn.convert: a cudnn.SpatialConvolution with %d groups has no nn equivalent ' ..
         '(nn.SpatialConvolution has no groups); exclude it with exclusion_fn', m.groups))
   end
   if target == 'cudnn.SpatialConvolution' then m.groups = m.groups or 1 end
   setmetatable(m, torch.getmetatable(target))
end

function cudnn.convert(net, dst, exclusion_fn)
   local map
   if dst == cudnn then map = to_cudnn
   elseif dst == nn then map = to_nn
   else
      torch._core.raise('cudnn.convert: expected the destination package cudnn or nn as the second argument, got ' ..
         tostring(dst))
   end
   if type(net) ~= 'table' or not torch.typename(net) then
      torch._core.raise('cudnn.convert: expected a module as the first argument, got ' .. torch.type(net))
   end
   if exclusion_fn ~= nil and type(exclusion_fn) ~= 'function' then
      torch._core.raise('cudnn.convert: exclusion_fn must be a function, got ' .. type(exclusion_fn))
   end
   local seen = {}
   local function visit(m)
      if type(m) ~= 'table' or seen[m] then return end
      seen[m] = true
      if not (exclusion_fn and exclusion_fn(m)) then convert_one(m, map) end
      if type(m.modules) == 'table' then
         for _, c in ipairs(m.modules) do visit(c) end
      end
      -- nngraph: the modules of the graph's nodes
      if type(m.forwardnodes) == 'table' then
         for _, node in ipairs(m.forwardnodes) do visit(node.data and node.data.module) end
      end
   end
   visit(net)
   return net
end
