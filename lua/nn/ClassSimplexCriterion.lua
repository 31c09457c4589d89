-- nn.ClassSimplexCriterion(nClasses): MSECriterion between the input
-- (N x nClasses) and the vertex of a regular simplex of each target class
-- (a number, or a 1D tensor of classes); the (nClasses-1)-simplex is
-- embedded in nClasses dimensions (last coordinate 0).
local torch = require 'torch'
local nn = require 'nn'
require 'nn.MSECriterion'

local ClassSimplexCriterion, parent = torch.class('nn.ClassSimplexCriterion', 'nn.MSECriterion')

function ClassSimplexCriterion:__init(nClasses)
   parent.__init(self)
   if type(nClasses) ~= 'number' or nClasses <= 1 or nClasses ~= math.floor(nClasses) then
      error('nn.ClassSimplexCriterion: Required positive integer argument nClasses > 1', 2)
   end
   self.nClasses = nClasses
   local simp = self:regsplex(nClasses - 1)
   self.simplex = torch.cat(simp, torch.zeros(simp:size(1), nClasses - simp:size(2)), 2)
   self._target = torch.Tensor(nClasses)
end

-- The n+1 vertices (rows) of a regular n-simplex centred at the origin in
-- R^n: unit vectors with pairwise inner products -1/n.
function ClassSimplexCriterion:regsplex(n)
   local a = torch.zeros(n + 1, n)
   for k = 1, n do
      local sq = 0
      for j = 1, k - 1 do sq = sq + a[k][j] * a[k][j] end
      a[k][k] = math.sqrt(1 - sq)
      local c = (a[k][k] ^ 2 - 1 - 1 / n) / a[k][k]
      for r = k + 1, n + 1 do a[r][k] = c end
   end
   return a
end

function ClassSimplexCriterion:_transformTarget(target)
   local function vertex(c)
      if c < 1 or c > self.nClasses or c ~= math.floor(c) then
         nn.utils.moduleError(self, string.format('target class %g out of range [1, %d]', c, self.nClasses))
      end
      return self.simplex[c]
   end
   if torch.type(self.simplex) ~= torch.type(self._target) then self.simplex = self.simplex:type(torch.type(self._target)) end
   if type(target) == 'number' then
      self._target:resize(self.nClasses):copy(vertex(target))
   elseif torch.isTensor(target) then
      if target:dim() ~= 1 then
         nn.utils.moduleError(self, 'target should be a number or a 1D tensor of classes, got ' .. nn.utils.shapeStr(target))
      end
      local n = target:size(1)
      self._target:resize(n, self.nClasses)
      for i = 1, n do self._target[i]:copy(vertex(target[i])) end
   else
      nn.utils.moduleError(self, 'target should be a number or a 1D tensor of classes, got ' .. torch.type(target))
   end
end

local function checkSize(self, input)
   if not torch.isTensor(input) or input:nElement() ~= self._target:nElement() then
      nn.utils.moduleError(self, string.format('input %s does not match the targets %s',
         torch.isTensor(input) and nn.utils.shapeStr(input) or torch.type(input), nn.utils.shapeStr(self._target)))
   end
end

function ClassSimplexCriterion:updateOutput(input, target)
   self:_transformTarget(target)
   checkSize(self, input)
   return parent.updateOutput(self, input, self._target:viewAs(input))
end

function ClassSimplexCriterion:updateGradInput(input, target)
   self:_transformTarget(target)
   checkSize(self, input)
   return parent.updateGradInput(self, input, self._target:viewAs(input))
end

function ClassSimplexCriterion:getPredictions(input)
   if input:dim() == 1 then input = input:view(1, -1) end
   return torch.mm(input, self.simplex:t())
end

function ClassSimplexCriterion:getTopPrediction(input)
   local prod = self:getPredictions(input)
   local _, maxs = prod:max(prod:nDimension())
   return maxs:view(-1)
end
