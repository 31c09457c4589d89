-- nn.VolumetricReplicationPadding(pleft, pright, ptop, pbottom, pfront,
-- pback): pads the last three dimensions (T, H, W) of (N,)C,T,H,W inputs
-- by repeating the border (unset pads default to pleft, as Torch7); a
-- negative pad crops that side. Built from index selections with clamped
-- positions: forward gathers along W, H, then T; backward adds the
-- gradients back along T, H, then W.
local torch = require 'torch'
local nn = require 'nn'

local M, parent = torch.class('nn.VolumetricReplicationPadding', 'nn.Module')

function M:__init(pleft, pright, ptop, pbottom, pfront, pback)
   parent.__init(self)
   self.pleft = pleft
   self.pright = pright or pleft
   self.ptop = ptop or pleft
   self.pbottom = pbottom or pleft
   self.pfront = pfront or pleft
   self.pback = pback or pleft
   for _, k in ipairs { 'pleft', 'pright', 'ptop', 'pbottom', 'pfront', 'pback' } do
      if type(self[k]) ~= 'number' or self[k] % 1 ~= 0 then
         torch._core.raise(string.format('nn.VolumetricReplicationPadding: %s must be an integer, got %s', k,
            tostring(self[k])))
      end
   end
end

-- the source position (1-based, clamped) of every output position along a
-- dimension of size n padded by a before and b after
local function positions(self, n, a, b, what)
   local m = n + a + b
   if m < 1 then
      nn.utils.moduleError(self, string.format('padding %d,%d leaves nothing of a %s of size %d', a, b, what, n))
   end
   local idx = torch.LongTensor(m)
   for i = 1, m do idx[i] = math.min(math.max(i - a, 1), n) end
   return idx
end

function M:_indices(input)
   nn.THNN.checkTensor(self, input)
   local d = input:dim()
   if d ~= 4 and d ~= 5 then
      nn.utils.moduleError(self, 'expected a 4D (C x T x H x W) or 5D (N x C x T x H x W) input, got ' ..
         nn.utils.shapeStr(input))
   end
   local T, H, W = input:size(d - 2), input:size(d - 1), input:size(d)
   return d, positions(self, T, self.pfront, self.pback, 'time'), positions(self, H, self.ptop, self.pbottom, 'height'),
      positions(self, W, self.pleft, self.pright, 'width')
end

function M:updateOutput(input)
   local d, it, ih, iw = self:_indices(input)
   self.output = input:index(d, iw):index(d - 1, ih):index(d - 2, it)
   return self.output
end

function M:updateGradInput(input, gradOutput)
   local d, it, ih, iw = self:_indices(input)
   nn.THNN.checkTensor(self, gradOutput, 'gradOutput')
   local want = input:size()
   want[d - 2], want[d - 1], want[d] = it:size(1), ih:size(1), iw:size(1)
   if not gradOutput:isSize(want) then
      nn.utils.moduleError(self, string.format('gradOutput has size %s, expected %s', nn.utils.shapeStr(gradOutput),
         table.concat(want:totable(), 'x')))
   end
   local sz = gradOutput:size()
   sz[d - 2] = input:size(d - 2)
   local gt = input.new(sz):zero():indexAdd(d - 2, it, gradOutput)
   sz[d - 1] = input:size(d - 1)
   local gh = input.new(sz):zero():indexAdd(d - 1, ih, gt)
   self.gradInput = input.new(input:size()):zero():indexAdd(d, iw, gh)
   return self.gradInput
end

function M:__tostring__()
   return string.format('%s(left=%d, right=%d, top=%d, bottom=%d, front=%d, back=%d)', torch.type(self), self.pleft,
      self.pright, self.ptop, self.pbottom, self.pfront, self.pback)
end
