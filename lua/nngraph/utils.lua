-- Small helpers shared by nngraph's files: type tests, the message for a
-- value that should have been a node, and where a node was created.
local torch = require 'torch'
local core = torch._core

local utils = {}

function utils.istorchclass(x)
   return type(x) == 'table' and torch.typename(x) ~= nil
end

-- a plain Lua table (not a torch object)
function utils.istable(x)
   return type(x) == 'table' and not torch.typename(x)
end

function utils.isNode(x)
   return torch.typename(x) == 'nngraph.Node'
end

-- The largest positive integer key (table.maxn): counts the holes a nil
-- variable leaves in {a, b, c}.
utils.tableMaxN = table.maxn or function(t)
   local n = 0
   for k in pairs(t) do
      if type(k) == 'number' and k > n then n = k end
   end
   return n
end

-- The message for something passed where an nngraph.Node was expected;
-- `array` names the list ('inputs', 'outputs') and idx the position.
function utils.expectingNodeErrorMessage(bad, array, idx)
   if bad == nil then
      return string.format('%s[%d] is nil (typo / bad index?)', array, idx)
   elseif torch.isTypeOf(bad, 'nn.Module') then
      return string.format('%s[%d] is an nn.Module, specifically a %s, but the only valid thing to pass is an '
         .. 'instance of nngraph.Node. Did you forget a second set of parens, which convert a nn.Module to a '
         .. 'nngraph.Node?', array, idx, torch.typename(bad))
   end
   return string.format('%s[%d] should be an nngraph.Node but is of type %s', array, idx,
      torch.typename(bad) or type(bad))
end

-- '[file.lua]:42_': the first stack frame outside nnlua's own packages,
-- the line that made the node (Torch7's _debugLabel format).
function utils.callerLabel()
   local libroot = core.libroot
   for level = 2, 60 do
      local info = debug.getinfo(level, 'Sl')
      if not info then break end
      local src = info.source
      if info.what ~= 'C' and not (libroot and src:sub(2, #libroot + 1) == libroot) then
         return string.format('[%s]:%d_', info.short_src, info.currentline)
      end
   end
   return '[C]:-1_'
end

-- The 'file:line' part of a _debugLabel ('[spec.lua]:12_' -> 'spec.lua:12').
function utils.labelLocation(label)
   if type(label) ~= 'string' then return nil end
   local src, line = label:match('^%[(.-)%]:(%-?%d+)')
   if src then return src .. ':' .. line end
   return label
end

-- A tensor as 'Tensor[2x3]' (the type is named when it is not the
-- default), with NaN/inf flagged unless `noflags`; tables element by
-- element.
function utils.describe(x, noflags)
   if x == nil then return '' end
   if torch.isTensor(x) then
      local kind = x:type() == torch.Tensor():type() and 'Tensor' or x:type()
      local flag = ''
      if x:nElement() > 0 and not noflags then
         if x:ne(x):sum() > 0 then flag = 'NaN'
         elseif x:max() == math.huge then flag = 'inf'
         elseif x:min() == -math.huge then flag = '-inf' end
      end
      return kind .. '[' .. table.concat(x:size():totable(), 'x') .. ']' .. flag
   elseif utils.istable(x) then
      local parts = {}
      for i, v in ipairs(x) do parts[i] = utils.describe(v, noflags) end
      return '{' .. table.concat(parts, ',') .. '}'
   end
   return (tostring(x):gsub('\n', '\\l'))
end

return utils
