-- Tensors or nested tables of tensors: copying, resizing and summing them
-- in place (the gradients a node receives from several consumers).
local torch = require 'torch'

local nesting = {}

function nesting.cloneNested(obj)
   if torch.isTensor(obj) then return obj:clone() end
   local r = {}
   for k, v in pairs(obj) do r[k] = nesting.cloneNested(v) end
   return r
end

function nesting.fillNested(obj, value)
   if torch.isTensor(obj) then
      obj:fill(value)
   else
      for _, v in pairs(obj) do nesting.fillNested(v, value) end
   end
end

-- out shaped like ref: missing entries are added, extra ones dropped.
function nesting.resizeNestedAs(out, ref)
   if torch.isTensor(out) then
      out:resizeAs(ref)
      return
   end
   for k, v in pairs(ref) do
      if out[k] == nil then out[k] = nesting.cloneNested(v) else nesting.resizeNestedAs(out[k], v) end
   end
   for k in pairs(out) do
      if ref[k] == nil then out[k] = nil end
   end
end

function nesting.copyNested(out, src)
   if torch.isTensor(out) then
      out:copy(src)
      return
   end
   for k, v in pairs(src) do nesting.copyNested(out[k], v) end
   for k in pairs(out) do
      if src[k] == nil then error('nngraph: key ' .. tostring(k) .. ' present in output but not in input', 0) end
   end
end

-- out = out + src, element by element through the nesting.
function nesting.addNestedTo(out, src)
   if torch.isTensor(out) then
      if not torch.isTensor(src) then
         error('nngraph: cannot add a ' .. torch.type(src) .. ' gradient to a tensor gradient', 0)
      end
      if out:nElement() ~= src:nElement() then
         error(string.format('nngraph: the gradients a node receives from its consumers differ in size (%s and %s)',
            table.concat(out:size():totable(), 'x'), table.concat(src:size():totable(), 'x')), 0)
      end
      out:add(src)
      return
   end
   for k, v in pairs(src) do
      if out[k] == nil then error('nngraph: gradient tables of different structure (missing key ' .. tostring(k) .. ')', 0) end
      nesting.addNestedTo(out[k], v)
   end
end

return nesting
