-- nnlua.env: th's environment, set up by the nnlua program before a script,
-- `-e` code or the REPL runs (required once, after torch):
--   * globals `torch`, `paths`, `sys`, `xlua` (sys and xlua loaded on first
--     use), Penlight's lazily loaded globals (`lapp`, `stringx`, `tablex`,
--     `List`, `utils`, ...) and its `"%5.2f" % x` string operator, as th's
--     `require 'pl'` gave; `table.unpack`/`table.pack` under LuaJIT;
--   * `print` as th's (nnlua.pretty: tables as trees, tensors by size);
--   * `require './x'` relative to the calling file, and plain `require 'x'`
--     also finding ./x/init.lua, `x.lua` files by name, and files beside the
--     main script; `dofile` of a relative name that is not in the current
--     folder tries the calling file's folder;
--   * one clear line for packages classic scripts require that nnlua does
--     not provide (threads, qt, ...), from a searcher tried last.
--   * th's setprintlevel, import and who.
local torch = require 'torch'
local paths = require 'paths'
local pretty = require 'nnlua.pretty'

local env = {}

table.unpack = table.unpack or unpack
table.pack = table.pack or function(...) return { n = select('#', ...), ... } end

env.plain_print = env.plain_print or print   -- Lua's own, for setprintlevel(0)
_G.print = pretty.print

-- Penlight, as th's `pcall(require, 'pl')`: an __index on _G that loads pl
-- modules on first use; the `%` operator is installed now but loads
-- pl.stringx only when first used.
local has_pl = pcall(require, 'pl.import_into')
if not has_pl then
   -- a LUA_PATH without LuaJIT's defaults: Debian's lua-penlight lives here
   package.path = package.path .. ';/usr/share/lua/5.1/?.lua;/usr/share/lua/5.1/?/init.lua'
   has_pl = pcall(require, 'pl.import_into')
end
if has_pl then
   require 'pl'
   local smt = getmetatable('')
   if smt and not smt.__mod then
      smt.__mod = function(a, b)
         smt.__mod = nil
         require('pl.stringx').format_operator()
         return smt.__mod(a, b)
      end
   end
end

-- sys and xlua become globals when first used (both require on load).
do
   local gmt = getmetatable(_G)
   if not gmt then
      gmt = {}
      setmetatable(_G, gmt)
   end
   local prev = gmt.__index
   local lazy = { sys = 'sys', xlua = 'xlua' }
   gmt.__index = function(t, k)
      local m = lazy[k]
      if m then
         local v = require(m)
         rawset(t, k, v)
         return v
      end
      if type(prev) == 'function' then return prev(t, k) end
      if type(prev) == 'table' then return prev[k] end
      return nil
   end
end

-- The file of the Lua function `level` frames up (nil for a REPL line or
-- -e code).
local function caller_file(level)
   local info = debug.getinfo(level + 1, 'S')
   local src = info and info.source
   if src and src:sub(1, 1) == '@' then return src:sub(2) end
   return nil
end

local function is_file(p) return paths.filep(p) end

local function loadfile_or_error(path)
   local f, err = loadfile(path)
   if not f then error(err, 0) end
   return f
end

-- require './x' and '../x': relative to the calling file's folder (the
-- current folder from the REPL), as th's require did (x.lua, x, x.th or
-- x.net through torch.load, x/init.lua); cached under the absolute file
-- name, so two folders' './utils' stay apart.
local base_require = require
local function relative_require(name, level)
   local file = caller_file(level + 1)
   local dir = file and paths.dirname(file) or '.'
   local base = paths.concat(dir, name)
   local candidates = { base .. '.lua', base, base .. '.th', base .. '.net', base .. '/init.lua' }
   for _, path in ipairs(candidates) do
      if is_file(path) then
         local loaded = package.loaded[path]
         if loaded ~= nil then return loaded end
         -- a saved object (th read .th and .net files with torch.load)
         if path:match('%.th$') or path:match('%.net$') then
            require 'nn'
            return torch.load(path)
         end
         local res = loadfile_or_error(path)(name, path)
         if res == nil then res = package.loaded[path] end
         if res == nil then res = true end
         package.loaded[path] = res
         return res
      end
   end
   error(string.format("module '%s' not found: no file %s", name, table.concat(candidates, ', no file ')), level + 1)
end

function _G.require(name)
   if type(name) == 'string' and name:sub(1, 1) == '.' and not package.loaded[name] then
      local res = relative_require(name, 2)   -- not a tail call: keeps the caller's frame
      return res
   end
   return base_require(name)
end

-- dofile: a relative name missing from the current folder is looked up
-- beside the calling file (scripts run from another folder).
local base_dofile = dofile
function _G.dofile(name)
   if type(name) == 'string' and name:sub(1, 1) ~= '/' and not is_file(name) then
      local file = caller_file(2)
      if file then
         local alt = paths.concat(paths.dirname(file), name)
         if is_file(alt) then return base_dofile(alt) end
      end
   end
   return base_dofile(name)
end

local loaders = package.loaders or package.searchers

-- Searcher: ./x/init.lua, `x.lua` given by file name, and x.lua or
-- x/init.lua beside the main script.
local function local_searcher(name)
   local rel = name:gsub('%.lua$', ''):gsub('%.', '/')
   local tried = {}
   local cands = {}
   if name:match('%.lua$') then cands[#cands + 1] = name end
   cands[#cands + 1] = './' .. rel .. '.lua'
   cands[#cands + 1] = './' .. rel .. '/init.lua'
   local script = rawget(_G, 'arg') and arg[0]
   if type(script) == 'string' and script:match('%.lua$') and is_file(script) then
      local dir = paths.dirname(script)
      if name:match('%.lua$') then cands[#cands + 1] = dir .. '/' .. name end
      cands[#cands + 1] = dir .. '/' .. rel .. '.lua'
      cands[#cands + 1] = dir .. '/' .. rel .. '/init.lua'
   end
   for _, path in ipairs(cands) do
      if is_file(path) then return loadfile_or_error(path) end
      tried[#tried + 1] = '\n\tno file \'' .. path .. '\''
   end
   return table.concat(tried)
end

-- What classic scripts require that nnlua does not provide, and what to use.
env.missing = {
   threads = 'tensor operations already use every core (OpenMP); load data in the main loop',
   ipc = 'tensor operations already use every core (OpenMP); load data in the main loop',
   parallel = 'tensor operations already use every core (OpenMP); load data in the main loop',
   async = 'run the work in the main loop',
   fbcunn = "use the nn modules, on the GPU with require 'cunn' and :cuda()",
   qt = 'there is no Qt window system: image.display and gnuplot write PNG files and say where',
   qtwidget = 'there is no Qt window system: image.display and gnuplot write PNG files and say where',
   qttorch = 'there is no Qt window system: image.display and gnuplot write PNG files and say where',
   qtuiloader = 'there is no Qt window system: image.display and gnuplot write PNG files and say where',
   camera = 'load images from files with image.load',
   ffmpeg = 'extract frames to image files and load them with image.load',
   graphicsmagick = 'use image.load and image.save (PNG and JPEG)',
   hdf5 = 'save tensors with torch.save, read tables of numbers with csvigo',
   matio = 'save tensors with torch.save, read tables of numbers with csvigo',
   mattorch = 'save tensors with torch.save, read tables of numbers with csvigo',
   loadcaffe = 'build the network with nn modules and torch.load its weights',
   dok = 'use ?name or help(obj) in the nnlua REPL',
   dpnn = 'use the nn modules nnlua provides',
   sundown = 'print the text as it is',
   gfx = 'image.display and gnuplot write PNG files and say where',
   ['gfx.js'] = 'image.display and gnuplot write PNG files and say where',
}

local function missing_searcher(name)
   local advice = env.missing[name] or env.missing[name:match('^([^.]+)%.') or '']
   if not advice then return nil end
   return function()
      -- level 3: the line that called require (1 this loader, 2 require)
      error(string.format("module '%s' is not provided by nnlua: %s", name, advice), 3)
   end
end

-- th's helpers: setprintlevel(n) (0: Lua's plain print), import(pkg)
-- (its fields as globals), who() (the globals the user made).
local preloaded
function _G.setprintlevel(n)
   if type(n) ~= 'number' or n < 0 then error('setprintlevel: expected a number >= 0', 2) end
   n = math.floor(n)
   pretty.depth = n
   _G.print = n == 0 and env.plain_print or pretty.print
end

function _G.import(name, forced)
   local pkg = require(name)
   local symbols = rawget(_G, name) or pkg
   if type(symbols) ~= 'table' then error("import: package '" .. tostring(name) .. "' is not a table", 2) end
   for k, v in pairs(symbols) do
      if rawget(_G, k) == nil or forced then rawset(_G, k, v) end
   end
   return pkg
end

function _G.who()
   local names = {}
   for k in pairs(_G) do
      if not preloaded[k] then names[#names + 1] = tostring(k) end
   end
   table.sort(names)
   print('== User Variables ==')
   for _, k in ipairs(names) do print(string.format('[%s] = %s', k, torch.type(_G[k]))) end
   print('==')
end

if not env.installed then
   table.insert(loaders, local_searcher)
   table.insert(loaders, missing_searcher)
   package.preload.env = function() return env end
   package.preload.trepl = function() return require('nnlua.repl').run end
end
env.installed = true
preloaded = {}
for k in pairs(_G) do preloaded[k] = true end
env.has_penlight = has_pl
env.torch = torch
return env
