-- optim.ConfusionMatrix: counts (target, prediction) pairs; rows are
-- targets. Torch7's API (add, batchAdd, zero, updateValids, totalValid,
-- averageValid, averageUnionValid) and printed layout. batchAdd counts in
-- C (indexAdd into the flattened matrix) instead of a Lua loop.
require 'torch'
local core = torch._core
local raise = core.raise

local ConfusionMatrix = torch.class('optim.ConfusionMatrix')

function ConfusionMatrix:__init(nclasses, classes)
   if type(nclasses) == 'table' then classes, nclasses = nclasses, #nclasses end
   if type(nclasses) ~= 'number' or nclasses < 1 then
      raise('optim.ConfusionMatrix: expected a number of classes or a table of class names')
   end
   self.mat = torch.LongTensor(nclasses, nclasses):zero()
   self.valids = torch.FloatTensor(nclasses):zero()
   self.unionvalids = torch.FloatTensor(nclasses):zero()
   self.nclasses = nclasses
   self.totalValid = 0
   self.averageValid = 0
   self.averageUnionValid = 0
   self.classes = classes or {}
end

local function check_class(self, c, what)
   if type(c) ~= 'number' or c ~= math.floor(c) or c > self.nclasses then
      raise(string.format('optim.ConfusionMatrix: %s %s is not a class index in 1..%d', what, tostring(c), self.nclasses))
   end
end

function ConfusionMatrix:_add(p, t)
   check_class(self, p, 'prediction')
   check_class(self, t, 'target')
   if t > 0 then self.mat[t][p] = self.mat[t][p] + 1 end   -- non-positive targets are missing
end

-- argmax (1-based) of a vector of scores
local function argmax(v)
   local _, i = v:double():contiguous():view(v:nElement()):max(1)
   return i[1]
end

function ConfusionMatrix:add(prediction, target)
   if type(prediction) == 'number' then return self:_add(prediction, target) end
   if not torch.isTensor(prediction) then raise('optim.ConfusionMatrix:add: expected a tensor or a class index') end
   local p = argmax(prediction)
   local t = type(target) == 'number' and target or argmax(target)
   self:_add(p, t)
end

local function classes_of(x, what)
   if x:dim() == 1 then return x:long() end
   if x:dim() == 2 then
      if x:size(2) == 1 then return x:select(2, 1):long() end
      local _, i = x:double():max(2)
      return i:select(2, 1)
   end
   raise(string.format('optim.ConfusionMatrix:batchAdd: %s should be 1D or 2D, got %dD', what, x:dim()))
end

function ConfusionMatrix:batchAdd(predictions, targets)
   if not torch.isTensor(predictions) or not torch.isTensor(targets) then
      raise('optim.ConfusionMatrix:batchAdd: expected tensors of predictions and targets')
   end
   local p, t = classes_of(predictions, 'predictions'), classes_of(targets, 'targets')
   if p:size(1) ~= t:size(1) then
      raise(string.format('optim.ConfusionMatrix:batchAdd: %d predictions for %d targets', p:size(1), t:size(1)))
   end
   local n = self.nclasses
   if p:min() < 1 or p:max() > n then raise(string.format('optim.ConfusionMatrix:batchAdd: a prediction is outside 1..%d', n)) end
   if t:max() > n then raise(string.format('optim.ConfusionMatrix:batchAdd: a target is outside 1..%d', n)) end
   local keep = t:gt(0)
   if keep:sum() < t:size(1) then p, t = p:maskedSelect(keep), t:maskedSelect(keep) end
   if t:nElement() == 0 then return end
   -- flat index (t-1)*n + p, counted with indexAdd
   local flat = t:clone():add(-1):mul(n):add(p)
   local ones = torch.LongTensor(flat:size(1)):fill(1)
   self.mat:view(n * n):indexAdd(1, flat, ones)
end

function ConfusionMatrix:zero()
   self.mat:zero()
   self.valids:zero()
   self.unionvalids:zero()
   self.totalValid = 0
   self.averageValid = 0
   self.averageUnionValid = 0
end

function ConfusionMatrix:updateValids()
   local n = self.nclasses
   local total = 0
   for t = 1, n do
      local diag = self.mat[t][t]
      self.valids[t] = diag / self.mat:select(1, t):sum()
      self.unionvalids[t] = diag / (self.mat:select(1, t):sum() + self.mat:select(2, t):sum() - diag)
      total = total + diag
   end
   self.totalValid = total / self.mat:sum()
   local av, nv, au, nu = 0, 0, 0, 0
   for t = 1, n do
      local v, u = self.valids[t], self.unionvalids[t]
      if v == v then av, nv = av + v, nv + 1 end
      if v == v and u == u then au, nu = au + u, nu + 1 end
   end
   self.averageValid = av / nv
   self.averageUnionValid = au / nu
end

-- farFrr(): per class (rows of mat = true class), the false rejection rate
-- 1 - mat[i][i] / (samples of i) and the false acceptance rate, the mean over
-- the other classes j with samples of mat[j][i] / (samples of j). Returns
-- (per-class FRRs, per-class FARs, -1 where a class has no samples) and the
-- same two over the classes that have samples only, as Torch7.
function ConfusionMatrix:farFrr()
   local mat = self.mat
   local n = mat:size(1)
   local counts = mat:sum(2)
   local classFrrs, classFars = torch.Tensor(n):fill(-1), torch.Tensor(n):fill(-1)
   local frrs, fars = {}, {}
   for i = 1, n do
      local ni = counts[i][1]
      if ni ~= 0 then
         local frr = 1 - mat[i][i] / ni
         local num, den = 0, 0
         for j = 1, n do
            local nj = counts[j][1]
            if j ~= i and nj ~= 0 then
               num = num + mat[j][i] / nj
               den = den + 1
            end
         end
         local far = num / den
         classFrrs[i], classFars[i] = frr, far
         frrs[#frrs + 1], fars[#fars + 1] = frr, far
      end
   end
   self._classFrrs, self._classFars = classFrrs, classFars
   self._frrs, self._fars = torch.Tensor(frrs), torch.Tensor(fars)
   return classFrrs, classFars, self._frrs, self._fars
end

function ConfusionMatrix:__tostring__()
   self:updateValids()
   local out = { 'ConfusionMatrix:\n', '[' }
   local n = self.nclasses
   -- columns widen past 8 digits for large counts, as in Torch7
   local maxCnt = self.mat:max()
   local fmt = '%' .. math.max(8, 1 + math.ceil(math.log10(maxCnt))) .. 'd'
   for t = 1, n do
      out[#out + 1] = t == 1 and '[' or ' ['
      for p = 1, n do out[#out + 1] = string.format(fmt, self.mat[t][p]) end
      local pct = string.format('%2.3f', self.valids[t] * 100)
      local close = t == n and ']]  ' or ']   '
      if self.classes and self.classes[1] then
         out[#out + 1] = close .. pct .. '% \t[class: ' .. (self.classes[t] or '') .. ']\n'
      else
         out[#out + 1] = close .. pct .. '% \n'
      end
   end
   out[#out + 1] = ' + average row correct: ' .. (self.averageValid * 100) .. '% \n'
   out[#out + 1] = ' + average rowUcol correct (VOC measure): ' .. (self.averageUnionValid * 100) .. '% \n'
   out[#out + 1] = ' + global correct: ' .. (self.totalValid * 100) .. '%'
   return table.concat(out)
end

return ConfusionMatrix
