-- nn.PixelShuffle(r): sub-pixel upsampling (Shi et al. 2016). An input of
-- ([N,] C*r*r, H, W) becomes ([N,] C, H*r, W*r): channel c*r*r + i*r + j
-- goes to pixel (h*r + i, w*r + j) of channel c.
local torch = require 'torch'
local nn = require 'nn'

local PixelShuffle, parent = torch.class('nn.PixelShuffle', 'nn.Module')

function PixelShuffle:__init(upscaleFactor)
   parent.__init(self)
   if type(upscaleFactor) ~= 'number' or upscaleFactor < 1 or upscaleFactor ~= math.floor(upscaleFactor) then
      error('nn.PixelShuffle: upscaleFactor should be a positive integer, got ' .. tostring(upscaleFactor), 2)
   end
   self.upscaleFactor = upscaleFactor
   self.upscaleFactorSquared = upscaleFactor * upscaleFactor
end

-- (batch, channels, H, W) of the input, with batch 1 for a 3D input
local function shape(self, input)
   if not torch.isTensor(input) or (input:dim() ~= 3 and input:dim() ~= 4) then
      nn.utils.moduleError(self, 'expected a 3D or 4D input ([N,] C*r*r, H, W), got ' ..
         (torch.isTensor(input) and nn.utils.shapeStr(input) or torch.type(input)))
   end
   local o = input:dim() - 3
   local b = o == 1 and input:size(1) or 1
   local c, h, w = input:size(o + 1), input:size(o + 2), input:size(o + 3)
   if c % self.upscaleFactorSquared ~= 0 then
      nn.utils.moduleError(self, string.format('input channels %d are not a multiple of %d (upscaleFactor^2)',
         c, self.upscaleFactorSquared))
   end
   return b, c / self.upscaleFactorSquared, h, w
end

function PixelShuffle:updateOutput(input)
   local b, c, h, w = shape(self, input)
   local r = self.upscaleFactor
   if torch.type(self.output) ~= torch.type(input) then self.output = input.new() end
   local view = input:contiguous():view(b, c, r, r, h, w):permute(1, 2, 5, 3, 6, 4)
   self.output:resize(b, c, h, r, w, r):copy(view)
   if input:dim() == 4 then
      self.output = self.output:view(b, c, h * r, w * r)
   else
      self.output = self.output:view(c, h * r, w * r)
   end
   return self.output
end

function PixelShuffle:updateGradInput(input, gradOutput)
   local b, c, h, w = shape(self, input)
   local r = self.upscaleFactor
   if torch.type(self.gradInput) ~= torch.type(input) then self.gradInput = input.new() end
   local view = gradOutput:contiguous():view(b, c, h, r, w, r):permute(1, 2, 4, 6, 3, 5)
   self.gradInput:resize(b, c, r, r, h, w):copy(view)
   self.gradInput = self.gradInput:viewAs(input)
   return self.gradInput
end
