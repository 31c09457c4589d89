-- nn.GPU(module, device [, outdevice]): cunn's wrapper that runs module on
-- GPU number `device` and hands its output over on `outdevice` (model
-- parallelism across GPUs). nnlua's CUDA backend serves one GPU (device 1):
-- on the CPU, or with device 1, the wrapper runs the module as it is;
-- another device number raises a clear error when CUDA tensors reach it.
local torch = require 'torch'
local nn = require 'nn'

local GPU, parent = torch.class('nn.GPU', 'nn.Container')

function GPU:__init(module, device, outdevice)
   parent.__init(self)
   if type(device) ~= 'number' then
      torch._core.raise('nn.GPU(module, device [, outdevice]): device must be a number, got ' .. torch.type(device))
   end
   if not torch.isTypeOf(module, 'nn.Module') then
      torch._core.raise('nn.GPU(module, device [, outdevice]): expected a module, got ' .. torch.type(module))
   end
   self.device = device
   self.outdevice = outdevice or device
   self.modules[1] = module
end

local function check_device(self, x)
   if (self.device ~= 1 or self.outdevice ~= 1) and torch.isTensor(x) and not torch._core.is_host(x) then
      torch._core.raise(string.format('nn.GPU: device %d (out %d) requested; nnlua runs CUDA on device 1 only',
         self.device, self.outdevice))
   end
end

function GPU:setDevice(device)
   self.device = device or self.device
   return self
end

function GPU:updateOutput(input)
   check_device(self, input)
   self.output = self.modules[1]:updateOutput(input)
   return self.output
end

function GPU:updateGradInput(input, gradOutput)
   self.gradInput = self.modules[1]:updateGradInput(input, gradOutput)
   return self.gradInput
end

function GPU:accGradParameters(input, gradOutput, scale)
   self.modules[1]:accGradParameters(input, gradOutput, scale)
end

function GPU:accUpdateGradParameters(input, gradOutput, lr)
   self.modules[1]:accUpdateGradParameters(input, gradOutput, lr)
end

function GPU:__tostring__()
   return string.format('nn.GPU(%d) @ %s', self.device, tostring(self.modules[1]))
end

return GPU
