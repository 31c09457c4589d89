-- nn.Kmeans(k, dim, [scale]): k-means clustering as a module. weight: the
-- k centroids (k x dim). forward(input) (N x dim) returns each sample's
-- nearest centroid (1-based, as a tensor of the module's type) and sets
-- self.loss to the summed squared distances; accGradParameters adds to
-- gradWeight each centroid's move towards the mean of its samples
-- (scale * (centroid - mean)), so updateParameters(1) with scale 1 is a
-- Lloyd step. initRandom / initKmeansPlus (k-means++ that picks at random
-- among the farthest (1 - p) share of samples) seed the centroids.
local torch = require 'torch'
local nn = require 'nn'

local Kmeans, parent = torch.class('nn.Kmeans', 'nn.Module')

function Kmeans:__init(k, dim, scale)
   parent.__init(self)
   if type(k) ~= 'number' or k < 1 then torch._core.raise('nn.Kmeans: clusters cannot be 0 or negative, got ' .. tostring(k)) end
   if type(dim) ~= 'number' or dim < 1 then
      torch._core.raise('nn.Kmeans: dimensionality cannot be 0 or negative, got ' .. tostring(dim))
   end
   self.k, self.dim, self.scale = k, dim, scale
   self.weight = torch.Tensor(k, dim)
   self.gradWeight = torch.Tensor(k, dim)
   self.loss = 0
   self.clusterSampleCount = torch.Tensor(k)
   self:reset()
end

function Kmeans:reset(stdev)
   stdev = stdev or 1
   self.weight:uniform(-stdev, stdev)
   return self
end

function Kmeans:_check(input, what)
   if not torch.isTensor(input) or input:dim() ~= 2 then
      nn.utils.moduleError(self, string.format('%sexpected a 2D input (N x %d), got %s', what or '', self.dim,
         torch.isTensor(input) and nn.utils.shapeStr(input) or torch.type(input)))
   end
   if input:size(2) ~= self.dim then
      nn.utils.moduleError(self, string.format("%sinput %s has %d columns, the centroids' dimensionality is %d",
         what or '', nn.utils.shapeStr(input), input:size(2), self.dim))
   end
   nn.utils.checkInputType(self, input)
end

-- centroids: k samples drawn with replacement
function Kmeans:initRandom(input)
   self:_check(input, 'initRandom: ')
   local n = input:size(1)
   if n < self.k then
      nn.utils.moduleError(self, string.format('initRandom: need at least k = %d samples, got %d', self.k, n))
   end
   local idx = torch.zeros(self.k):random(1, n)
   for i = 1, self.k do self.weight[i]:copy(input[idx[i]]) end
   return self
end

-- k-means++: the first centroid a random sample; each next one drawn
-- uniformly among the ceil((1 - p) N) samples farthest from the
-- centroids so far
function Kmeans:initKmeansPlus(input, p)
   self.p = p or self.p or 0.95
   if self.p < 0 or self.p > 1 then nn.utils.moduleError(self, 'initKmeansPlus: p should be between 0 and 1') end
   self:_check(input, 'initKmeansPlus: ')
   local n = input:size(1)
   local pcount = math.ceil((1 - self.p) * n)
   if pcount <= 0 then pcount = 1 end
   self.weight[1]:copy(input[torch.random(n)])
   local distances = self.weight.new(n):fill(math.huge)
   local diff = self.weight.new()
   for c = 2, self.k do
      diff:resizeAs(input):copy(input):add(-1, self.weight[c - 1]:view(1, self.dim):expandAs(input))
      local d2 = diff:pow(2):sum(2):view(n)
      distances:cmin(d2)
      local _, order = distances:sort(true)
      self.weight[c]:copy(input[order[torch.random(pcount)]])
   end
   return self
end

function Kmeans:updateOutput(input)
   self:_check(input)
   local n = input:size(1)
   self._dist = self._dist or self.weight.new()
   self._diff = self._diff or self.weight.new()
   self._dist:resize(self.k, n)
   for c = 1, self.k do
      self._diff:resizeAs(input):copy(input):add(-1, self.weight[c]:view(1, self.dim):expandAs(input))
      self._dist[c]:copy(self._diff:pow(2):sum(2):view(n))
   end
   local score, idx = torch.min(self._dist, 1)
   self._minIndx = idx:view(n)
   self.output:resize(n):copy(self._minIndx)
   self.loss = score:sum()
   return self.output
end

function Kmeans:updateGradInput(input, gradOutput)
   self.gradInput:resize(input:size()):zero()
   return self.gradInput
end

-- gradWeight[c] += scale * (centroid c - mean of its samples) (counts
-- get 1e-7 added against division by zero)
function Kmeans:accGradParameters(input, gradOutput, scale)
   scale = self.scale or scale or 1
   if scale <= 0 then nn.utils.moduleError(self, 'scale has to be positive') end
   if not self._minIndx or self._minIndx:nElement() ~= input:size(1) then
      nn.utils.moduleError(self, 'accGradParameters needs the forward of the same input first')
   end
   local n = input:size(1)
   self.clusterSampleCount:zero():indexAdd(1, self._minIndx, self.weight.new(n):fill(1))
   local g = self.weight:index(1, self._minIndx):mul(-1):add(input):mul(-scale)
   local sums = self.weight.new(self.k, self.dim):zero():indexAdd(1, self._minIndx, g)
   local counts = self.clusterSampleCount:clone():add(0.0000001)
   sums:cdiv(counts:view(self.k, 1):expandAs(sums))
   self.gradWeight:add(sums)
end

function Kmeans:clearState()
   nn.utils.clear(self, '_dist', '_diff', '_minIndx')
   return parent.clearState(self)
end

function Kmeans:type(type, tensorCache)
   self:clearState()
   return parent.type(self, type, tensorCache)
end
