-- Reading fixtures/torch7/nn_modules.lua for the specs: its cases, and its
-- recorded tensors ({type, size, data}, or lists of them) as tensors.
--   local F = dofile(NNLUA_ROOT .. '/tests/nn/fixture_util.lua')
local F = {}

F.cases = dofile(NNLUA_FIXTURES .. '/torch7/nn_modules.lua')

function F.tensor(t)
   if t.type == nil then
      local r = {}
      for i, v in ipairs(t) do r[i] = F.tensor(v) end
      return r
   end
   if #t.size == 0 then return torch.Tensor() end
   local x = torch.Tensor(#t.data)
   for i, v in ipairs(t.data) do x[i] = v end
   x = x:view(torch.LongStorage(t.size))
   if t.type == 'torch.LongTensor' then return x:long() end
   return x
end

return F
