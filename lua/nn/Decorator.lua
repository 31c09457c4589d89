-- nn.Decorator(module): a container of one module that passes every call
-- through to it; the base of modules that add behaviour around another
-- (nn.NaN, nn.Profile, nn.DontCast).
local torch = require 'torch'
local nn = require 'nn'

local Decorator, parent = torch.class('nn.Decorator', 'nn.Container')

function Decorator:__init(module)
   parent.__init(self)
   if type(module) ~= 'table' or not module.updateOutput then
      torch._core.raise(torch.typename(self) .. ': expected a module as argument 1, got ' .. torch.type(module))
   end
   self.modules[1] = module
end

function Decorator:updateOutput(input)
   self.output = self.modules[1]:updateOutput(input)
   return self.output
end

function Decorator:updateGradInput(input, gradOutput)
   self.gradInput = self.modules[1]:updateGradInput(input, gradOutput)
   return self.gradInput
end

function Decorator:accGradParameters(input, gradOutput, scale)
   self.modules[1]:accGradParameters(input, gradOutput, scale)
end

function Decorator:accUpdateGradParameters(input, gradOutput, lr)
   self.modules[1]:accUpdateGradParameters(input, gradOutput, lr)
end

function Decorator:sharedAccUpdateGradParameters(input, gradOutput, lr)
   self.modules[1]:sharedAccUpdateGradParameters(input, gradOutput, lr)
end

function Decorator:__tostring__()
   return torch.type(self) .. ' @ ' .. tostring(self.modules[1])
end

-- copies the pass-through methods into another class (multiple inheritance)
function Decorator.decorate(class)
   for _, k in ipairs { 'updateOutput', 'updateGradInput', 'accGradParameters', 'accUpdateGradParameters',
      'sharedAccUpdateGradParameters', '__tostring__' } do
      class[k] = Decorator[k]
   end
end
