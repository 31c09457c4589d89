-- cunn: nn on CUDA tensors, as Torch7's cunn. Loads cutorch (which raises
-- the reason where no CUDA device is present) and nn. The modules are nn's
-- own: their C front functions send CUDA tensors to the nn kernels that
-- libnnlua_cuda registered (cuda/nn.cu), so `model:cuda()` and CUDA inputs
-- are all a script needs. Covered: Linear (cuBLAS), the pointwise
-- activations, SoftMax/LogSoftMax/SoftMin, ClassNLLCriterion,
-- CrossEntropyCriterion and the pointwise criterions (MSE, Abs, SmoothL1,
-- BCE, DistKLDiv, SoftMargin); other modules raise a clear error on CUDA.
local cutorch = require 'cutorch'
require 'nn'

local cunn = { cutorch = cutorch }
package.loaded.cunn = cunn
_G.cunn = cunn

return cunn
