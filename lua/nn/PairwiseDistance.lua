-- nn.PairwiseDistance(p): the p-norm distance ||x - y||_p between the two
-- tensors of a table input; vectors give a 1-element output, matrices one
-- distance per row.
local torch = require 'torch'
local nn = require 'nn'

local PairwiseDistance, parent = torch.class('nn.PairwiseDistance', 'nn.Module')

function PairwiseDistance:__init(p)
   parent.__init(self)
   self.gradInput = {}
   self.diff = torch.Tensor()
   self.norm = p or 2
   if type(self.norm) ~= 'number' or self.norm <= 0 then
      error('nn.PairwiseDistance: p should be a positive number, got ' .. tostring(p), 2)
   end
end

local function check(m, input)
   if type(input) ~= 'table' or not torch.isTensor(input[1]) or not torch.isTensor(input[2]) then
      nn.utils.moduleError(m, 'input should be a table of two tensors')
   end
   local a, b = input[1], input[2]
   if a:dim() < 1 or a:dim() > 2 then
      nn.utils.moduleError(m, 'input must be vector or matrix, got ' .. nn.utils.shapeStr(a))
   end
   if not a:isSameSizeAs(b) then
      nn.utils.moduleError(m, string.format('input sizes differ: %s vs %s', nn.utils.shapeStr(a), nn.utils.shapeStr(b)))
   end
end

function PairwiseDistance:updateOutput(input)
   check(self, input)
   local a, b = input[1], input[2]
   if torch.type(self.output) ~= torch.type(a) then self.output = a.new() end
   if a:dim() == 1 then
      self.output:resize(1)
      self.output[1] = a:dist(b, self.norm)
   else
      if torch.type(self.diff) ~= torch.type(a) then self.diff = a.new() end
      self.diff:resizeAs(a):copy(a):add(-1, b):abs():pow(self.norm)
      self.output:resize(a:size(1)):copy(self.diff:sum(2):view(-1)):pow(1 / self.norm)
   end
   return self.output
end

-- sign with a random +-1 at 0, as Torch7 (a subgradient of |x|)
local function mathsign(x)
   if x == 0 then return 2 * torch.random(2) - 3 end
   return x > 0 and 1 or -1
end

function PairwiseDistance:updateGradInput(input, gradOutput)
   check(self, input)
   local a, b = input[1], input[2]
   self.gradInput[1] = self.gradInput[1] or a.new()
   self.gradInput[2] = self.gradInput[2] or a.new()
   local g1 = self.gradInput[1]:resizeAs(a):copy(a):add(-1, b)
   if self.norm == 1 then
      g1:apply(mathsign)
   else
      -- d/dx_k ||x||_p = x_k |x_k|^(p-2) / ||x||_p^(p-1); 1e-6 keeps x = y finite
      if self.norm > 2 then g1:cmul(g1:clone():abs():pow(self.norm - 2)) end
      if a:dim() > 1 then
         self.outExpand = self.outExpand or self.output.new()
         self.outExpand:resize(self.output:size(1), 1):copy(self.output):add(1e-6):pow(-(self.norm - 1))
         g1:cmul(self.outExpand:expandAs(g1))
      else
         g1:mul(math.pow(self.output[1] + 1e-6, -(self.norm - 1)))
      end
   end
   if a:dim() == 1 then
      g1:mul(gradOutput[1])
   else
      g1:cmul(gradOutput:contiguous():view(-1, 1):expandAs(g1))
   end
   self.gradInput[2]:resizeAs(b):zero():add(-1, g1)
   for i = #self.gradInput, 3, -1 do self.gradInput[i] = nil end
   return self.gradInput
end

function PairwiseDistance:clearState()
   nn.utils.clear(self, 'diff', 'outExpand')
   return parent.clearState(self)
end
