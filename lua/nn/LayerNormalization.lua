-- nn.LayerNormalization(nOutput [, bias, eps, affine]): normalises each
-- sample of a (N x nOutput) input to zero mean and unit variance
-- (||x - mean|| scaled to sqrt(nOutput)), then a learnt gain (CMul) and
-- bias (Add) when affine (the default). Ba et al. 2016, section 3.
-- Torch7's composition is kept exactly, recordings included: for a batch,
-- Replicate gives the row means as an nOutput x N view and CSubTable
-- subtracts it in flat element order, so batch rows are not centred on
-- their own means (a single 1D sample is); CSubTable takes that view in
-- element order as Torch7's TH did.
local torch = require 'torch'
local nn = require 'nn'

local LayerNormalization, parent = torch.class('nn.LayerNormalization', 'nn.Sequential')

function LayerNormalization:__init(nOutput, bias, eps, affine)
   parent.__init(self)
   if type(nOutput) ~= 'number' or nOutput < 1 then
      error('nn.LayerNormalization: nOutput should be a positive number, got ' .. tostring(nOutput), 2)
   end
   eps = eps or 1e-10
   if affine == nil then affine = true end
   bias = bias or 0
   self:add(nn.ConcatTable()
               :add(nn.Identity())
               :add(nn.Sequential()
                       :add(nn.Mean(1, 1))
                       :add(nn.Replicate(nOutput, 1, 1))))
       :add(nn.CSubTable())
       :add(nn.Normalize(2, eps))
       :add(nn.MulConstant(math.sqrt(nOutput)))
   if affine then
      local gain = nn.CMul(nOutput)
      gain.weight:fill(1)
      local biasTransform = nn.Add(nOutput, false)
      biasTransform.bias:fill(bias)
      self:add(gain)
      self:add(biasTransform)
   end
end
