-- nnlua.docs: the help text behind `?name` and help(x) in the REPL, read
-- from the API pages in markdown (docs/api/<pkg>.md in the checkout,
-- <prefix>/share/nnlua/docs/api once installed), the same files the README's
-- API index is built from (scripts/gen-api-docs.lua). The files are parsed
-- on the first help request.
--
-- An entry is a `### ` heading holding the signature, e.g.
--   ### [res] torch.add([res,] tensor, value)
--   ### nn.Linear(inputSize, outputSize [, bias])
--   ### [self] torch.Tensor:narrow(dim, index, size)
-- then a one-line summary, an example in a fenced block and optional detail.
-- The entry's name is the first dotted name of the heading (after an
-- optional `[returns]`). Consecutive headings share the body that follows.
local docs = {}

local entries        -- name -> { sig = {headings}, names = {their names}, summary, body, pkg }
local order          -- names in file order
local packages = { 'torch', 'tensor', 'nn', 'optim', 'paths', 'sys', 'xlua', 'image', 'gnuplot', 'nngraph', 'itorch', 'cutorch', 'csvigo', 'mpi', 'nnlua' }
docs.packages = packages

-- The folder holding the API pages: $NNLUA_DOCS, or found from this file's
-- own place: <lua>/nnlua/docs.lua, pages in <lua>/../docs/api.
function docs.dir()
   if docs._dir then return docs._dir end
   local src = debug.getinfo(1, 'S').source:match('^@(.*)$') or ''
   local here = src:match('^(.*)/nnlua/docs%.lua$') or '.'
   local cands = { os.getenv('NNLUA_DOCS') or false, here .. '/../docs/api' }
   for _, d in ipairs(cands) do
      local f = d and io.open(d .. '/torch.md', 'rb')
      if f then
         f:close()
         docs._dir = d
         return d
      end
   end
   return nil
end

-- Name of an entry from its heading text (without the leading ###).
function docs.heading_name(h)
   h = h:gsub('^%s*%[[^%]]*%]%s*', '')
   return h:match('^([%a_][%w_%.:]*)')
end

-- Parses one markdown page; adds its entries.
function docs.parse(text, pkg, into, ord)
   local pending, cur = {}, nil
   local infence = false
   local function close()
      if cur then
         cur.body = (table.concat(cur.lines, '\n'):gsub('^%s+', ''):gsub('%s+$', ''))
         cur.lines = nil
         cur = nil
      end
   end
   for line in (text .. '\n'):gmatch('([^\n]*)\n') do
      if line:match('^```') then infence = not infence end
      local h = not infence and line:match('^###%s+(.-)%s*$')
      if h then
         if cur and #cur.lines > 0 then close() end
         local name = docs.heading_name(h)
         if name then
            if not cur then
               cur = { sig = {}, names = {}, lines = {}, pkg = pkg }
            end
            cur.sig[#cur.sig + 1] = h:gsub('\\', '')
            cur.names[#cur.names + 1] = name
            if not into[name] then
               into[name] = cur
               ord[#ord + 1] = name
            end
         end
      elseif not infence and line:match('^#') then
         close()
      elseif cur then
         if #cur.lines > 0 or line:match('%S') then cur.lines[#cur.lines + 1] = line end
         if not cur.summary and line:match('%S') and not infence and not line:match('^```') then
            cur.summary = line:gsub('^%s+', '')
         end
      end
   end
   close()
end

function docs.load()
   if entries then return entries end
   entries, order = {}, {}
   local dir = docs.dir()
   if not dir then return entries end
   for _, pkg in ipairs(packages) do
      local f = io.open(dir .. '/' .. pkg .. '.md', 'rb')
      if f then
         docs.parse(f:read('*a'), pkg, entries, order)
         f:close()
      end
   end
   return entries
end

function docs.names()
   docs.load()
   return order
end

-- The class name of an object for method lookup: tensors of every type
-- share torch.Tensor's entries, storages torch.Storage's.
local function class_chain(obj)
   local torch = package.loaded.torch
   if not torch then return {} end
   local out = {}
   if torch.isTensor and torch.isTensor(obj) then
      out[1] = 'torch.Tensor'
      out[2] = torch.typename(obj)
      return out
   end
   if torch.isStorage and torch.isStorage(obj) then
      out[1] = 'torch.Storage'
      out[2] = torch.typename(obj)
      return out
   end
   local tn = torch.typename and torch.typename(obj)
   if not tn then return out end
   local mt = torch.getmetatable(tn)
   while mt do
      out[#out + 1] = rawget(mt, '__typename')
      local pmt = getmetatable(mt)
      mt = pmt and type(pmt.__index) == 'table' and pmt.__index or nil
      if #out > 20 then break end
   end
   return out
end

-- Method entry for a class chain: Class:m up the parents; tensor methods
-- without their own entry are documented by their torch.m function form.
local function method_entry(chain, m)
   local e = docs.load()
   for _, c in ipairs(chain) do
      if e[c .. ':' .. m] then return e[c .. ':' .. m] end
      if e[c .. '.' .. m] then return e[c .. '.' .. m] end
   end
   for _, c in ipairs(chain) do
      if c == 'torch.Tensor' and e['torch.' .. m] then return e['torch.' .. m] end
   end
   return nil
end

-- Documented name of an object by identity: a package field (torch.add,
-- nn.Linear, the nn package itself) or a class constructor.
local function name_of(obj)
   local e = docs.load()
   for _, pkg in ipairs(packages) do
      local root = pkg == 'tensor' and 'torch' or pkg
      local p = package.loaded[root]
      if type(p) == 'table' then
         if rawequal(p, obj) and e[root] then return root end
         for k, v in pairs(p) do
            if rawequal(v, obj) and type(k) == 'string' and e[root .. '.' .. k] then return root .. '.' .. k end
         end
      end
   end
   local TB = package.loaded.torch and package.loaded.torch._core and package.loaded.torch._core.TensorBase
   if TB then
      for k, v in pairs(TB) do
         if rawequal(v, obj) and type(k) == 'string' then
            if e['torch.Tensor:' .. k] then return 'torch.Tensor:' .. k end
            if e['torch.' .. k] then return 'torch.' .. k end
         end
      end
   end
   return nil
end

-- Entries whose last name part (after . or :) is `short`.
function docs.search(short)
   local e, out = docs.load(), {}
   for _, n in ipairs(order) do
      local last = n:match('[%.:]([^%.:]+)$') or n
      if last == short and e[n].names[1] == n then out[#out + 1] = n end
   end
   return out
end

-- Finds the entry for a name (a string as typed after `?`) and/or an object
-- (the value of that name, or help(x)'s argument). Returns entry, or nil
-- and a list of candidate names.
function docs.lookup(name, obj)
   local e = docs.load()
   if name then
      name = name:gsub('^%s+', ''):gsub('%s+$', ''):gsub('%(%s*%)$', '')
      if e[name] then return e[name] end
      -- torch.DoubleTensor:narrow, x:narrow, model:forward
      local recv, m = name:match('^(.-)[:]([%a_][%w_]*)$')
      if recv then
         local f = loadstring('return ' .. recv)
         local ok, r = pcall(f or error)
         local chain
         if ok and r ~= nil then chain = class_chain(r) end
         if (not chain or #chain == 0) and recv:match('^[%w_%.]+$') then
            local torch = package.loaded.torch
            local mt = torch and torch.getmetatable and torch.getmetatable(recv)
            chain = { recv }
            while mt do
               local pmt = getmetatable(mt)
               mt = pmt and type(pmt.__index) == 'table' and pmt.__index or nil
               if mt and rawget(mt, '__typename') then chain[#chain + 1] = rawget(mt, '__typename') end
               if #chain > 20 then break end
            end
            if recv:match('^torch%.%a*Tensor$') then chain[#chain + 1] = 'torch.Tensor' end
            if recv:match('^torch%.%a*Storage$') then chain[#chain + 1] = 'torch.Storage' end
         end
         local d = method_entry(chain, m)
         if d then return d end
         -- a receiver of unknown class: the method's name alone
         if #chain == 0 or (#chain == 1 and not (package.loaded.torch and torch.getmetatable(chain[1]))) then
            local found = docs.search(m)
            if #found == 1 then return e[found[1]] end
            if #found > 1 then return nil, found end
         end
      end
      -- torch.Tensor.narrow or x.narrow written with a dot
      local cls, m2 = name:match('^(.-)%.([%a_][%w_]*)$')
      if cls and e[cls .. ':' .. m2] then return e[cls .. ':' .. m2] end
      if cls and not e[name] then
         local f = loadstring('return ' .. cls)
         local ok, r = pcall(f or error)
         if ok and r ~= nil and (type(r) ~= 'table' or getmetatable(r)) then
            local d = method_entry(class_chain(r), m2)
            if d then return d end
         end
      end
   end
   if obj ~= nil then
      local n = name_of(obj)
      if n then return e[n] end
      local chain = class_chain(obj)
      for _, c in ipairs(chain) do
         if e[c] then return e[c] end
      end
   end
   if name and name:match('^[%a_][%w_]*$') then
      local found = docs.search(name)
      if #found == 1 then return e[found[1]] end
      if #found > 1 then return nil, found end
   end
   return nil
end

-- An entry added by other code (a package of the user's):
-- docs.add('mypkg.f', 'mypkg.f(x [, y])', 'One line summary.\n\n    mypkg.f(1)')
function docs.add(name, signature, text)
   local e = docs.load()
   if not e[name] then order[#order + 1] = name end
   e[name] = { sig = { signature }, names = { name }, summary = (text or ''):match('^[^\n]*'), body = text or '', pkg = 'user' }
end

-- The text shown for an entry: signature(s), summary, example, detail.
-- In the terminal the example's fence lines are dropped and its code
-- indented.
function docs.format(d)
   local out, infence = {}, false
   for line in (d.body .. '\n'):gmatch('([^\n]*)\n') do
      if line:match('^```') then
         infence = not infence
         if infence and #out > 0 and out[#out] ~= '' then out[#out + 1] = '' end
      else out[#out + 1] = infence and ('    ' .. line) or line end
   end
   return table.concat(d.sig, '\n') .. '\n\n' .. table.concat(out, '\n')
end

-- Help on using help.
docs.usage = [[
Help: ?name or help(x)
  ?torch.add       a function           help(torch.add)  the same, by value
  ?nn.Linear       a class              help(model)      the class of a module
  ?add             search every package (several matches are listed)
  ?x:narrow        a method of x's class (x a tensor, module, ...)
  help(x)          for a tensor x: its class's entry
Packages: torch, nn, optim, paths, sys, xlua, image, gnuplot, nngraph, itorch,
cutorch, cunn, csvigo, mpi, distlearn
(require a package before asking about its values: require 'nn').
The same text is in docs/api/*.md.]]

-- Packages documented but not loaded yet.
local function unloaded()
   local out = {}
   for _, p in ipairs(packages) do
      -- sys and xlua are globals loaded on first use (nnlua.env)
      if p ~= 'tensor' and p ~= 'sys' and p ~= 'xlua' and p ~= 'nnlua' and package.loaded[p] == nil then out[#out + 1] = p end
   end
   return out
end

-- The help text for a name typed after `?` (obj: its value when it has
-- one) or for a value given to help(); `nargs` 0 for help() itself.
function docs.text(name, obj, nargs)
   if (name == nil or name == '') and (nargs or 0) == 0 then return docs.usage end
   local d, cands = docs.lookup(name, obj)
   if d then
      local root = d.names[1]:match('^([%a_][%w_]*)')
      if root ~= 'torch' and root ~= 'nnlua' and package.loaded[root] == nil and (d.pkg == root) then
         return docs.format(d) .. string.format("\n\n(%s is not loaded yet: require '%s' first)", root, root)
      end
      return docs.format(d)
   end
   if cands then
      local e, lines = docs.load(), { string.format('%d matches for %s:', #cands, name) }
      for _, n in ipairs(cands) do
         lines[#lines + 1] = string.format('  %-28s %s', n, e[n].summary or '')
      end
      lines[#lines + 1] = 'Ask for one by its full name, e.g. ?' .. cands[1]
      return table.concat(lines, '\n')
   end
   local root = name and name:match('^([%a_][%w_]*)')
   if root and root ~= 'torch' and package.loaded[root] == nil then
      for _, p in ipairs(packages) do
         if p == root then
            return string.format("%s is not loaded: require '%s' first, then ?%s", root, root, name)
         end
      end
   end
   if name == nil and obj == nil then
      local u = unloaded()
      return "help: the value is nil. A package must be required before help(pkg): e.g. require 'nn'" ..
         (#u > 0 and (' (not loaded yet: ' .. table.concat(u, ', ') .. ')') or '')
   end
   if not docs.dir() then return 'no help for ' .. tostring(name or obj) .. ' (the API pages docs/api were not found)' end
   local what = ''
   if type(obj) == 'function' then
      local info = debug.getinfo(obj, 'S')
      what = info.what == 'C' and ' (a C function)' or string.format(' (a function defined at %s:%d)', info.short_src, info.linedefined)
   elseif obj ~= nil then
      what = ' (' .. ((package.loaded.torch and package.loaded.torch.type(obj)) or type(obj)) .. ')'
   end
   return 'no help for ' .. tostring(name or obj) .. what
end

return docs
