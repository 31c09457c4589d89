-- nn.Padding(dim, pad [, nInputDim [, value [, index]]]): inserts |pad|
-- entries of value (default 0) along dimension dim. pad < 0 pads before
-- position index (counted from the start, default 1); pad > 0 pads after
-- the index-th entry counted from the end (index 1: at the very end).
-- With nInputDim, an input of more dimensions is a batch and dim shifts
-- by one. Pure copies through narrow views.
local torch = require 'torch'
local nn = require 'nn'

local Padding, parent = torch.class('nn.Padding', 'nn.Module')

function Padding:__init(dim, pad, nInputDim, value, index)
   if type(dim) ~= 'number' or type(pad) ~= 'number' then
      torch._core.raise(string.format('nn.Padding: expected numbers dim and pad, got %s and %s', tostring(dim), tostring(pad)))
   end
   self.value = value or 0
   self.index = index or 1
   self.dim = dim
   self.pad = pad
   self.nInputDim = nInputDim
   self.outputSize = torch.LongStorage()
   parent.__init(self)
end

-- the padded dimension and the 1-based position where the padding starts
function Padding:_geometry(input)
   if not torch.isTensor(input) then
      nn.utils.moduleError(self, 'input should be a tensor, got ' .. torch.type(input))
   end
   local dim = self.dim
   if self.nInputDim and input:dim() ~= self.nInputDim then dim = dim + 1 end
   if dim < 1 or dim > input:dim() then
      nn.utils.moduleError(self, string.format('cannot pad dimension %d of a tensor of size %s', dim,
         nn.utils.shapeStr(input)))
   end
   local n = input:size(dim)
   local index, pad = self.index, self.pad
   if pad > 0 then index = n - index + 2 else pad = -pad end
   if index < 1 or index > n + 1 then
      nn.utils.moduleError(self, string.format('index %d is out of range for dimension %d of size %d (expected 1..%d)',
         self.index, dim, n, n + 1))
   end
   return dim, index, pad, n
end

function Padding:updateOutput(input)
   local dim, index, pad, n = self:_geometry(input)
   if self.output._dtype ~= input._dtype then self.output = input.new() end
   self.outputSize:resize(input:dim())
   self.outputSize:copy(input:size())
   self.outputSize[dim] = n + pad
   self.output:resize(self.outputSize)
   self.output:fill(self.value)
   if index > 1 then self.output:narrow(dim, 1, index - 1):copy(input:narrow(dim, 1, index - 1)) end
   if index <= n then
      self.output:narrow(dim, index + pad, n - index + 1):copy(input:narrow(dim, index, n - index + 1))
   end
   return self.output
end

function Padding:updateGradInput(input, gradOutput)
   local dim, index, pad, n = self:_geometry(input)
   if not torch.isTensor(gradOutput) or gradOutput:dim() ~= input:dim() or gradOutput._dtype ~= input._dtype then
      nn.utils.moduleError(self, string.format('gradOutput should be a %s of %d dimensions, got %s', torch.typename(input),
         input:dim(), torch.isTensor(gradOutput) and nn.utils.shapeStr(gradOutput) or torch.type(gradOutput)))
   end
   for d = 1, input:dim() do
      local want = d == dim and n + pad or input:size(d)
      if gradOutput:size(d) ~= want then
         nn.utils.moduleError(self, string.format('gradOutput has size %s, expected %d in dimension %d',
            nn.utils.shapeStr(gradOutput), want, d))
      end
   end
   if self.gradInput._dtype ~= input._dtype then self.gradInput = input.new() end
   self.gradInput:resizeAs(input)
   if index > 1 then self.gradInput:narrow(dim, 1, index - 1):copy(gradOutput:narrow(dim, 1, index - 1)) end
   if index <= n then
      self.gradInput:narrow(dim, index, n - index + 1):copy(gradOutput:narrow(dim, index + pad, n - index + 1))
   end
   return self.gradInput
end
