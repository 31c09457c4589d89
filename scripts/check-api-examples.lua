#!/usr/bin/env luajit
-- Runs the example of every entry of the API pages (docs/api/<pkg>.md) and
-- lists the ones that raise, so the examples the REPL's help shows stay
-- runnable. The examples of one page run in order in one environment (a
-- page reads top down: a method's example may use the object its class's
-- example made), inside a fresh temporary folder, since they write files.
--   luajit scripts/check-api-examples.lua [pkg ...]     (default: every page)
-- Needs the build (make); exits 1 when an example fails.
local root = (arg[0]:match('^(.*)/scripts/[^/]*$')) or '.'
if root:sub(1, 1) ~= '/' then root = os.getenv('PWD') .. '/' .. root end

if arg[1] ~= '--here' then
   local tmp = io.popen('mktemp -d'):read('*l')
   local pkgs = table.concat(arg, ' ')
   local ok = os.execute(string.format("cd '%s' && luajit '%s/scripts/check-api-examples.lua' --here %s", tmp, root, pkgs))
   os.execute(string.format("rm -rf '%s'", tmp))
   os.exit((ok == 0 or ok == true) and 0 or 1)
end

package.path = root .. '/lua/?.lua;' .. root .. '/lua/?/init.lua;' .. root .. '/bindings/?.lua;' .. package.path
NNLUA_ROOT = root
require 'torch'
require 'nnlua.env'
require 'nnlua.repl'   -- the global help (before xlua: its clearall example keeps older globals)
require 'nn'
require 'optim'
require 'nngraph'
local missing = {}
for p, f in pairs { image = 'load', gnuplot = 'plot', cutorch = 'getDeviceCount' } do
   local ok, m = pcall(require, p)
   if not (ok and type(m) == 'table' and m[f]) then missing[p] = true end
end
_G.sys, _G.xlua = require 'sys', require 'xlua'
local docs = require 'nnlua.docs'

-- examples that need what a check cannot have: a GPU, the script's own
-- command line, files or libraries of the reader's, or they end what the
-- later examples use
local needs = {
   ['torch.Tensor:cuda'] = 'a GPU', ['nn.Module:cuda'] = 'a GPU', ['nn.DataParallelTable'] = 'GPUs',
   ['torch.CmdLine:parse'] = "a script's arg", ['nn.gModule:read'] = 'a saved graph',
   ['nn.SparseJacobian'] = 'a sparse module', ['paths.dofile'] = 'a helpers.lua',
   ['paths.require'] = 'a C library', ['paths.thisfile'] = 'a script file',
   ['xlua.log'] = 'stdout kept', ['torch.CmdLine:log'] = 'stdout kept', ['torch.CmdLine:silent'] = 'stdout kept',
   ['image.Camera'] = 'a camera', ['itorch.audio'] = 'a sound file',
   ['mpi.finalize'] = 'the job kept',
}
local real_exit = os.exit
os.exit = function() error('os.exit called', 2) end

local pkgs = {}
for i = 2, #arg do pkgs[#pkgs + 1] = arg[i] end
_G.arg = {}   -- the examples' command-line parsers see no options
if #pkgs == 0 then pkgs = docs.packages end
local failed, total, skipped = 0, 0, 0
for _, pkg in ipairs(pkgs) do
   local f = not missing[pkg] and io.open(docs.dir() .. '/' .. pkg .. '.md', 'rb')
   if missing[pkg] then print(string.format('%-8s not checked: the package does not load here', pkg)) end
   if f then
      local text = f:read('*a')
      f:close()
      local e, ord, seen = {}, {}, {}
      docs.parse(text, pkg, e, ord)
      -- what the examples print is not shown; each page starts with the
      -- default tensor type (an example may change it)
      local env = setmetatable({ arg = {}, print = function() end }, { __index = _G })
      torch.setdefaulttensortype('torch.DoubleTensor')
      local n = 0
      for _, name in ipairs(ord) do
         local d = e[name]
         local code = not seen[d] and d.body:match('```lua\n(.-)\n```')
         seen[d] = true
         if code and needs[d.names[1]] then
            skipped = skipped + 1
         elseif code then
            n = n + 1
            local fn, err = loadstring(code, '=' .. d.names[1])
            if fn then
               setfenv(fn, env)
               local ok, e2 = pcall(fn)
               err = not ok and tostring(e2) or nil
            end
            if err then
               failed = failed + 1
               io.stderr:write(string.format('FAIL %-32s %s\n', d.names[1], err:sub(1, 200)))
            end
         end
      end
      total = total + n
      print(string.format('%-8s %3d examples run', pkg, n))
   end
end
print(string.format('%d examples run, %d failed, %d skipped (they need a GPU, a file or a command line)', total, failed, skipped))
real_exit(failed > 0 and 1 or 0)
