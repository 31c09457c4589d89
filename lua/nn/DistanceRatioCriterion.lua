-- nn.DistanceRatioCriterion([sizeAverage]): for a triplet embedding, input =
-- {X, Y} (distances to the similar and the dissimilar sample, size N):
-- loss = sum -log(exp(-X) / (exp(-X) + exp(-Y))) = sum X + log(exp(-X) + exp(-Y)),
-- divided by N when sizeAverage (the default). Ref: arXiv 1610.00243.
local torch = require 'torch'
local nn = require 'nn'

local DistanceRatioCriterion, parent = torch.class('nn.DistanceRatioCriterion', 'nn.Criterion')

function DistanceRatioCriterion:__init(sizeAverage)
   parent.__init(self)
   if sizeAverage ~= nil then self.sizeAverage = sizeAverage else self.sizeAverage = true end
end

local function check(self, input)
   if type(input) ~= 'table' or #input ~= 2 or not torch.isTensor(input[1]) or not torch.isTensor(input[2]) then
      nn.utils.moduleError(self, 'input should be a table of two distance tensors {X, Y}')
   end
   local X, Y = input[1], input[2]
   if X:dim() == 0 or X:nElement() ~= Y:nElement() or X:size(1) ~= Y:size(1) then
      nn.utils.moduleError(self, string.format("Number of distances don't match: %s vs %s",
         nn.utils.shapeStr(X), nn.utils.shapeStr(Y)))
   end
   return X, Y
end

function DistanceRatioCriterion:updateOutput(input)
   local X, Y = check(self, input)
   self._expMinusX = (self._expMinusX or X.new()):resizeAs(X):copy(X):mul(-1):exp()
   self._expMinusY = (self._expMinusY or Y.new()):resizeAs(Y):copy(Y):mul(-1):exp()
   self._sumExpMinusXY = (self._sumExpMinusXY or X.new()):resizeAs(X):copy(self._expMinusX):add(self._expMinusY)
   local loss = (self._loss or X.new()):resizeAs(X):copy(self._sumExpMinusXY):log():add(X)
   self._loss = loss
   self.output = loss:sum()
   if self.sizeAverage then self.output = self.output / X:size(1) end
   return self.output
end

-- dL/dX = 1 - exp(-X) / (exp(-X) + exp(-Y)), dL/dY = -exp(-Y) / (exp(-X) + exp(-Y))
function DistanceRatioCriterion:updateGradInput(input)
   local X, Y = check(self, input)
   if not self._sumExpMinusXY or not self._sumExpMinusXY:isSameSizeAs(X) then self:updateOutput(input) end
   self.dX = (self.dX or X.new()):resizeAs(X):copy(self._expMinusX):mul(-1):cdiv(self._sumExpMinusXY):add(1)
   self.dY = (self.dY or Y.new()):resizeAs(Y):copy(self._expMinusY):mul(-1):cdiv(self._sumExpMinusXY)
   if self.sizeAverage then
      self.dX:div(X:size(1))
      self.dY:div(X:size(1))
   end
   self.gradInput = { self.dX, self.dY }
   return self.gradInput
end

function DistanceRatioCriterion:type(t, tensorCache)
   if t then
      self._expMinusX, self._expMinusY, self._sumExpMinusXY, self._loss, self.dX, self.dY = nil, nil, nil, nil, nil, nil
   end
   return parent.type(self, t, tensorCache)
end
