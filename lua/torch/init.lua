-- torch: Torch7's tensor library on nnlua's C runtime.
-- The module is built once per Lua state (cached in the registry), since
-- its FFI metatypes can be set only once.
local reg = debug.getregistry()
if reg.nnlua_torch then
   package.loaded.torch = reg.nnlua_torch
   return reg.nnlua_torch
end

local torch = {}
reg.nnlua_torch = torch
package.loaded.torch = torch
_G.torch = torch

-- Torch7's torch requires paths, which is a global from then on
require 'paths'

local loader = require 'nnlua_loader'
torch._loader = loader
torch._C = loader.C

require 'torch.class'
require 'torch.core'
require 'torch.Storage'
require 'torch.Tensor'
-- families: each file adds methods and torch.* functions
for _, name in ipairs {
   'torch.TensorMath', 'torch.TensorReduce', 'torch.TensorBlas', 'torch.TensorLapack', 'torch.TensorIndex',
   'torch.random', 'torch.print', 'torch.Timer', 'torch.CmdLine', 'torch.Tester',
   'torch.File', 'torch.serialize', 'torch.TensorExtra', 'torch.Generator', 'torch.TensorConv', 'torch.TensorLapack2', 'torch.Half', 'torch.utility',
} do
   require(name)
end

return torch
