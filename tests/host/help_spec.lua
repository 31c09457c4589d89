-- Help coverage: every public function, class and method of the packages
-- nnlua provides answers `?name` (repl.help) with its entry from the API
-- pages (docs/api/*.md); lookups by short name, by `x:method`, by value
-- (help(x)); help() and `?` alone print how to use help; help(nn) before
-- require says to require it. Prints the number of names checked per package.
local repl = require 'nnlua.repl'
local docs = require 'nnlua.docs'

local function public(name) return type(name) == 'string' and not name:match('^_') end

local function sorted_keys(t, pred)
   local out = {}
   for k, v in pairs(t) do
      if public(k) and (not pred or pred(k, v)) then out[#out + 1] = k end
   end
   table.sort(out)
   return out
end

-- Own methods of a class (functions in its metatable, not inherited).
local function methods(cname)
   local mt = assert(torch.getmetatable(cname), cname)
   return sorted_keys(mt, function(k, v) return type(v) == 'function' end)
end

-- Names of a package's public values: functions and classes (tables).
local function members(pkg, root)
   local out = {}
   for _, k in ipairs(sorted_keys(pkg, function(_, v) return type(v) == 'function' or type(v) == 'table' end)) do
      out[#out + 1] = root .. '.' .. k
   end
   return out
end

local function has_lua(pkg)
   return io.open(NNLUA_ROOT .. '/lua/' .. pkg .. '/init.lua', 'rb') ~= nil
end

local function check_all(pkg, names)
   local missing = {}
   for _, n in ipairs(names) do
      local text = repl.help(n)
      local last = n:match('[%.:]([^%.:]+)$') or n
      if not (text and text:match('%S') and not text:match('^no help for') and not text:match('matches for')
              and text:find(last, 1, true)) then
         missing[#missing + 1] = n
      end
   end
   print(string.format('help: %-8s %4d names answered', pkg, #names - #missing))
   assert.are.same({}, missing)
   assert.is_true(#names > 0)
end

describe('help covers', function()
   it('torch functions and classes', function()
      local names = members(torch, 'torch')
      for _, c in ipairs { 'torch.Timer', 'torch.CmdLine', 'torch.File', 'torch.DiskFile', 'torch.MemoryFile', 'torch.Tester' } do
         for _, m in ipairs(methods(c)) do names[#names + 1] = c .. ':' .. m end
      end
      check_all('torch', names)
   end)

   it('every Tensor and Storage method', function()
      local names = {}
      for _, m in ipairs(sorted_keys(torch._core.TensorBase, function(_, v) return type(v) == 'function' end)) do
         names[#names + 1] = 'torch.DoubleTensor:' .. m
      end
      for _, m in ipairs(sorted_keys(torch._core.StorageBase, function(_, v) return type(v) == 'function' end)) do
         names[#names + 1] = 'torch.FloatStorage:' .. m
      end
      check_all('tensor', names)
   end)

   it('every nn class, function and container method', function()
      require 'nn'
      require 'nngraph'
      local names = members(nn, 'nn')
      for _, k in ipairs(sorted_keys(nn.utils, function(_, v) return type(v) == 'function' end)) do
         names[#names + 1] = 'nn.utils.' .. k
      end
      for _, c in ipairs { 'nn.Module', 'nn.Criterion', 'nn.Container', 'nn.Sequential', 'nn.Concat', 'nn.ConcatTable', 'nn.Parallel' } do
         for _, m in ipairs(methods(c)) do names[#names + 1] = c .. ':' .. m end
      end
      -- the methods a class adds to the module protocol (noBias, ceil, setp, ...)
      local base, cbase = torch.getmetatable('nn.Module'), torch.getmetatable('nn.Criterion')
      for _, k in ipairs(sorted_keys(nn)) do
         local mt = torch.getmetatable('nn.' .. k)
         if mt and k ~= 'Module' and k ~= 'Criterion' then
            for _, m in ipairs(methods('nn.' .. k)) do
               if base[m] == nil and cbase[m] == nil then names[#names + 1] = 'nn.' .. k .. ':' .. m end
            end
         end
      end
      check_all('nn', names)
   end)

   it('optim functions, Logger and ConfusionMatrix', function()
      require 'optim'
      local names = members(optim, 'optim')
      for _, c in ipairs { 'optim.Logger', 'optim.ConfusionMatrix' } do
         for _, m in ipairs(methods(c)) do names[#names + 1] = c .. ':' .. m end
      end
      check_all('optim', names)
   end)

   for _, pkg in ipairs { 'paths', 'sys', 'xlua', 'nngraph', 'image', 'gnuplot', 'itorch', 'csvigo', 'graph', 'mpi', 'distlearn', 'cutorch' } do
      it(pkg, function()
         if not has_lua(pkg) then
            pending(pkg .. ' is not in this tree (lua/' .. pkg .. ')')
            return
         end
         if pkg == 'cutorch' then
            local ok, why = pcall(require, 'cutorch')
            if not ok then
               pending('cutorch needs CUDA: ' .. tostring(why))
               return
            end
         end
         local p = require(pkg)
         local names = members(p, pkg)
         if pkg == 'nngraph' then
            for _, m in ipairs(methods('nngraph.Node')) do names[#names + 1] = 'nngraph.Node:' .. m end
            for _, m in ipairs(methods('nn.gModule')) do names[#names + 1] = 'nn.gModule:' .. m end
         end
         if pkg == 'graph' then
            for _, c in ipairs { 'graph.Graph', 'graph.Node' } do
               for _, m in ipairs(methods(c)) do names[#names + 1] = c .. ':' .. m end
            end
         end
         if pkg == 'itorch' then
            for _, m in ipairs(sorted_keys(require('itorch.Plot'), function(_, v) return type(v) == 'function' end)) do
               names[#names + 1] = 'itorch.Plot:' .. m
            end
         end
         check_all(pkg, names)
      end)
   end
end)

describe('help covers nnlua', function()
   it("the REPL's globals, nnlua.data and nnlua.display", function()
      local names = { 'help', 'setprintlevel', 'import', 'who' }
      for _, m in ipairs { 'data', 'display' } do
         for _, k in ipairs(sorted_keys(require('nnlua.' .. m), function(_, v) return type(v) == 'function' end)) do
            names[#names + 1] = 'nnlua.' .. m .. '.' .. k
         end
      end
      check_all('nnlua', names)
   end)
end)

describe('help lookups', function()
   require 'nn'
   it('by full name: signature, summary and example', function()
      local t = repl.help('torch.add')
      assert.matches('torch%.add%(%[res,%] tensor, value%)', t)
      assert.matches('\n    x = torch%.ones%(2%)\n', t)   -- the example, indented
      assert.is_nil(t:find('```', 1, true))
      assert.matches('nn%.Linear%(inputSize, outputSize', repl.help('nn.Linear'))
      assert.matches('torch%.randn%(%[res,%] m', repl.help('torch.randn'))
   end)

   it('by short name: one match shows the entry, several are listed', function()
      assert.matches('nn%.Linear%(inputSize', repl.help('Linear'))
      local t = repl.help('add')
      assert.matches('matches for add', t)
      assert.matches('torch%.add', t)
      assert.matches('nn%.Container:add', t)
      assert.matches('optim%.Logger:add', t)
   end)

   it('by method of a value: x:narrow, model:forward, model:add', function()
      _G.help_x = torch.FloatTensor(3, 4)
      _G.help_m = nn.Sequential():add(nn.Linear(2, 3))
      assert.matches('torch%.Tensor:narrow%(dim, index, size%)', repl.help('help_x:narrow'))
      assert.matches('torch%.add', repl.help('help_x:add'))
      assert.matches('nn%.Module:forward%(input%)', repl.help('help_m:forward'))
      assert.matches('nn%.Container:add%(module', repl.help('help_m:add'))
      -- the notebook kernel asks with a dot
      assert.matches('torch%.Tensor:narrow%(dim, index, size%)', repl.help('help_x.narrow'))
      assert.matches('nn%.Module:forward%(input%)', repl.help('help_m.forward'))
      _G.help_x, _G.help_m = nil, nil
   end)

   it('by value: help(nn.Linear), help(torch.add), help(x), help(model)', function()
      local printed = {}
      local old = _G.print
      _G.print = function(s) printed[#printed + 1] = tostring(s) end
      local ok, err = pcall(function()
         help(nn.Linear)
         help(torch.add)
         help(torch.ones(2))
         help(nn.Sequential())
         help(nn.ReLU())
         help(torch.Tensor.narrow)
      end)
      _G.print = old
      assert.is_true(ok, err)
      assert.matches('^nn%.Linear%(', printed[1])
      assert.matches('torch%.add%(', printed[2])
      assert.matches('^torch%.Tensor', printed[3])
      assert.matches('^nn%.Sequential%(', printed[4])
      assert.matches('^nn%.ReLU%(', printed[5])
      assert.matches('torch%.Tensor:narrow', printed[6])
   end)

   it('help() and ? alone print how to use help', function()
      local printed
      local old = _G.print
      _G.print = function(s) printed = s end
      help()
      _G.print = old
      assert.matches('%?name or help%(x%)', printed)
      assert.are.equal(printed, repl.help(''))
      assert.matches('%?x:narrow', repl.help('  '))
   end)

   it('help(nn) before require says to require it', function()
      local saved = package.loaded.optim
      package.loaded.optim = nil
      local printed
      local old = _G.print
      _G.print = function(s) printed = s end
      help(nil)   -- what help(optim) is while optim is not loaded
      _G.print = old
      assert.matches("require 'nn'", printed)
      assert.matches('optim', printed)
      assert.matches("optim is not loaded yet: require 'optim' first", repl.help('optim.sgd'))
      package.loaded.optim = saved
      assert.matches('optim%.sgd%(', repl.help('optim.sgd'))
   end)

   it('unknown names say so', function()
      assert.matches('^no help for torch%.nothing_here', repl.help('torch.nothing_here'))
      assert.matches('^no help for', repl.help('zzz_not_a_name'))
      _G.help_f = loadstring('return function() end', '=user.lua')()
      assert.matches('^no help for help_f %(a function defined at user%.lua:1%)', repl.help('help_f'))
      _G.help_f = nil
   end)

   it('docs.add gives packages of the user entries', function()
      docs.add('mypkg.frob', 'mypkg.frob(x)', 'Frobnicates x.\n\n    mypkg.frob(1)')
      assert.matches('^mypkg%.frob%(x%)\n\nFrobnicates x%.', repl.help('mypkg.frob'))
      assert.matches('^mypkg%.frob%(x%)', repl.help('frob'))
   end)

   it('every entry has a summary line and an example', function()
      local bad = {}
      for _, n in ipairs(docs.names()) do
         local d = docs.lookup(n)
         if d.pkg ~= 'user' and not (d.summary and #d.summary > 10 and not d.summary:match('^```') and d.body:match('```lua\n.-%S.-\n```')) then
            bad[#bad + 1] = n
         end
      end
      assert.are.same({}, bad)
      assert.is_true(#docs.names() > 700)
   end)

   it('the index lists every entry', function()
      local f = assert(io.open(NNLUA_ROOT .. '/docs/api/README.md', 'rb'))
      local idx = f:read('*a')
      f:close()
      local missing = {}
      for _, n in ipairs(docs.names()) do
         if docs.lookup(n).pkg ~= 'user' and not idx:find('[`' .. n .. '`]', 1, true) then missing[#missing + 1] = n end
      end
      assert.are.same({}, missing)
   end)
end)
