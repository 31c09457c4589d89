-- nn.SpatialAutoCropMSECriterion([sizeAverage]): MSECriterion between an
-- image (C x H x W or N x C x H x W) and the centre crop of a target of
-- at least its height and width.
local torch = require 'torch'
local nn = require 'nn'

local SACM, parent = torch.class('nn.SpatialAutoCropMSECriterion', 'nn.MSECriterion')

function SACM:__init(sizeAverage)
   parent.__init(self, sizeAverage)
end

local name = 'nn.SpatialAutoCropMSECriterion'

local function fail(msg) torch._core.raise(name .. ': ' .. msg) end

-- target's centre h x w crop (rows from 1 + floor((H - h) / 2))
local function centerCrop(target, h, w)
   local d = target:dim()
   local H, W = target:size(d - 1), target:size(d)
   return target:narrow(d - 1, 1 + math.floor((H - h) / 2), h):narrow(d, 1 + math.floor((W - w) / 2), w)
end

function SACM:updateOutput(input, target)
   if not torch.isTensor(input) or not torch.isTensor(target) then
      fail('expected tensors input and target, got ' .. torch.type(input) .. ' and ' .. torch.type(target))
   end
   local d = input:dim()
   if d ~= target:dim() or (d ~= 3 and d ~= 4) then
      fail(string.format('input %s and target %s must both be 3D (C x H x W) or 4D (N x C x H x W)',
         nn.utils.shapeStr(input), nn.utils.shapeStr(target)))
   end
   for i = 1, d - 2 do
      if input:size(i) ~= target:size(i) then
         fail(string.format('input %s and target %s differ before the last two dimensions', nn.utils.shapeStr(input),
            nn.utils.shapeStr(target)))
      end
   end
   local h, w = input:size(d - 1), input:size(d)
   if h > target:size(d - 1) or w > target:size(d) then
      fail(string.format('the input %s is larger than the target %s in height or width', nn.utils.shapeStr(input),
         nn.utils.shapeStr(target)))
   end
   self._cropped = centerCrop(target, h, w)
   return parent.updateOutput(self, input, self._cropped)
end

function SACM:updateGradInput(input, target)
   if not torch.isTensor(input) or not torch.isTensor(target) then
      fail('expected tensors input and target, got ' .. torch.type(input) .. ' and ' .. torch.type(target))
   end
   local d = input:dim()
   if d ~= target:dim() or (d ~= 3 and d ~= 4) then
      fail(string.format('input %s and target %s must both be 3D or 4D', nn.utils.shapeStr(input),
         nn.utils.shapeStr(target)))
   end
   if target:size(d - 1) < input:size(d - 1) or target:size(d) < input:size(d) then
      fail(string.format('the input %s is larger than the target %s in height or width', nn.utils.shapeStr(input),
         nn.utils.shapeStr(target)))
   end
   return parent.updateGradInput(self, input, centerCrop(target, input:size(d - 1), input:size(d)))
end

function SACM:clearState()
   self._cropped = nil
   return parent.clearState(self)
end
