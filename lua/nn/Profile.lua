-- nn.Profile(module, print_interval=100, name=torch.type(module)): a
-- decorator that times its module's forward and backward passes and
-- prints the total every print_interval passes.
local torch = require 'torch'
local nn = require 'nn'

local Profile, parent = torch.class('nn.Profile', 'nn.Decorator')

-- timers live outside the module so that it serializes and clones as plain data
local timers = setmetatable({}, { __mode = 'k' })
local function timer(self)
   local t = timers[self]
   if not t then t = torch.Timer(); timers[self] = t end
   return t
end

function Profile:__init(module, print_interval, name)
   parent.__init(self, module)
   self.print_interval = print_interval or 100
   self.name = name or torch.type(module)
   self.module = module
   self.numFwds = 0
   self.numBwds = 0
   self.summedFwdTime = 0
   self.summedBwdTime = 0
end

function Profile:updateOutput(input)
   local t = timer(self)
   t:reset()
   self.output = self.modules[1]:updateOutput(input)
   self.summedFwdTime = self.summedFwdTime + t:time().real
   self.numFwds = self.numFwds + 1
   if self.numFwds % self.print_interval == 0 then
      print(string.format('%s took %.3f seconds for %d forward passes', self.name, self.summedFwdTime,
         self.print_interval))
      self.numFwds = 0
      self.summedFwdTime = 0
   end
   return self.output
end

function Profile:updateGradInput(input, gradOutput)
   local t = timer(self)
   t:reset()
   self.gradInput = self.modules[1]:updateGradInput(input, gradOutput)
   self.summedBwdTime = self.summedBwdTime + t:time().real
   self.numBwds = self.numBwds + 1
   if self.numBwds % self.print_interval == 0 then
      print(string.format('%s took %.3f seconds for %d backward passes', self.name, self.summedBwdTime,
         self.print_interval))
      self.numBwds = 0
      self.summedBwdTime = 0
   end
   return self.gradInput
end
