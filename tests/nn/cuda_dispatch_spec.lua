-- The nn front functions (activations, softmaxes, ClassNLL, pointwise
-- criterions) on a CUDA tensor when no CUDA backend is registered: a clear
-- error naming the module, never a CPU kernel reading device memory. The
-- tensors are empty CUDA headers, which need no device to exist.
local ffi = require 'ffi'
local torch = require 'torch'
local C = torch._core.C

describe('nn on CUDA tensors without a CUDA backend', function()
   if C.nl_backend_cuda_available() ~= 0 then
      it('needs a process without a CUDA backend', function() pending('a CUDA backend is registered here') end)
      return
   end

   -- a header with no storage: sizes (one of them 0) or none
   local function empty(dtype, device, sizes)
      local t = ffi.new('nl_tensor')
      assert(C.nl_tensor_init(t, dtype, device) == 0)
      sizes = sizes or {}
      t._ndim = #sizes
      for d = 1, #sizes do t._size[d - 1], t._stride[d - 1] = sizes[d], 1 end
      return t
   end
   local function fails(rc, msg)
      assert.are.equal(-1, rc)
      assert.are.equal(msg, ffi.string(C.nl_last_error()))
   end
   local nobackend = ': no backend for device 1 (is cutorch loaded and a GPU present?)'

   it('activations say which module has no backend', function()
      local x, y = empty(C.NL_FLOAT, C.NL_CUDA), empty(C.NL_FLOAT, C.NL_CUDA)
      fails(C.nl_act_forward(y, x, C.NL_ACT_TANH, 0, 0), 'nn.Tanh' .. nobackend)
      fails(C.nl_act_backward(y, y, x, x, C.NL_ACT_SIGMOID, 0, 0), 'nn.Sigmoid' .. nobackend)
   end)

   it('SoftMax and LogSoftMax say so too', function()
      local x, y = empty(C.NL_DOUBLE, C.NL_CUDA, { 0 }), empty(C.NL_DOUBLE, C.NL_CUDA, { 0 })
      fails(C.nl_softmax_forward(y, x, 1), 'nn.LogSoftMax' .. nobackend)
      fails(C.nl_softmax_backward(y, y, x, 0), 'nn.SoftMax' .. nobackend)
   end)

   it('criterions say so too', function()
      local out = ffi.new('double[2]')
      local x = empty(C.NL_FLOAT, C.NL_CUDA, { 0 })
      local x2 = empty(C.NL_FLOAT, C.NL_CUDA, { 0, 5 })
      local t = empty(C.NL_LONG, C.NL_CPU, { 0 })
      fails(C.nl_classnll_forward(out, out + 1, x2, t, nil, 1, -100), 'nn.ClassNLLCriterion' .. nobackend)
      fails(C.nl_classnll_backward(x2, x2, t, nil, 1, -100, 1), 'nn.ClassNLLCriterion' .. nobackend)
      fails(C.nl_pointwise_criterion_forward(out, x, x, nil, C.NL_CRIT_MSE, 1), 'nn.MSECriterion' .. nobackend)
      fails(C.nl_pointwise_criterion_backward(x, x, x, nil, C.NL_CRIT_BCE, 1), 'nn.BCECriterion' .. nobackend)
   end)

   it('mixing devices is still a type error', function()
      local x, y = empty(C.NL_FLOAT, C.NL_CUDA), empty(C.NL_FLOAT, C.NL_CPU)
      fails(C.nl_act_forward(y, x, C.NL_ACT_TANH, 0, 0),
         'Tanh: tensor types differ: torch.FloatTensor and torch.CudaTensor')
   end)

   it('module:cuda() without cunn names the package to load', function()
      local nn = require 'nn'
      assert.has_error(function() nn.Tanh():cuda() end, "nn.Tanh:cuda: CUDA modules need require 'cunn' first")
   end)
end)
