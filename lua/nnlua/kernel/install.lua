-- nnlua.kernel.install: writes the kernelspecs `nnlua` and `itorch` (the
-- name old iTorch notebooks carry in their metadata), each a folder with a
-- kernel.json whose argv runs this nnlua with --kernel.
--   nnlua --install-kernel            system-wide (/usr/local/share/jupyter/kernels) as root, else --user
--   nnlua --install-kernel --user     $JUPYTER_DATA_DIR or ~/.local/share/jupyter (XDG_DATA_HOME)
--   nnlua --install-kernel --prefix DIR   DIR/share/jupyter/kernels
local cjson = require 'cjson'

local install = {}

install.specs = {
   nnlua = 'nnlua (Lua, Torch7)',
   itorch = 'iTorch (nnlua)',
}

local function q(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

-- The kernels folder for the options; nil and a message on bad options.
function install.kernels_dir(args)
   local mode, prefix = nil, nil
   local i = 1
   while i <= #args do
      local a = args[i]
      if a == '--user' then mode = 'user'
      elseif a == '--sys-prefix' or a == '--system' then mode = 'system'
      elseif a == '--prefix' then
         prefix = args[i + 1]
         if not prefix then return nil, "'--prefix' needs a folder" end
         mode, i = 'prefix', i + 1
      elseif a:match('^%-%-prefix=') then mode, prefix = 'prefix', a:match('^%-%-prefix=(.*)$')
      else return nil, "unrecognized option '" .. a .. "'" end
      i = i + 1
   end
   if not mode then
      local p = io.popen('id -u 2>/dev/null')
      local uid = p and p:read('*l')
      if p then p:close() end
      mode = uid == '0' and 'system' or 'user'
   end
   if mode == 'prefix' then return prefix .. '/share/jupyter/kernels' end
   if mode == 'system' then return '/usr/local/share/jupyter/kernels' end
   local data = os.getenv('JUPYTER_DATA_DIR')
   if not data then
      local xdg = os.getenv('XDG_DATA_HOME')
      data = (xdg and xdg ~= '' and xdg or ((os.getenv('HOME') or '.') .. '/.local/share')) .. '/jupyter'
   end
   return data .. '/kernels'
end

-- The kernel.json text for a kernelspec.
function install.spec_json(exe, display_name)
   return cjson.encode {
      argv = { exe, '--kernel', '{connection_file}' },
      display_name = display_name,
      language = 'lua',
      interrupt_mode = 'signal',
      metadata = { debugger = false },
   }
end

function install.main(...)
   local args = { ... }
   local dir, err = install.kernels_dir(args)
   if not dir then
      io.stderr:write('nnlua --install-kernel: ', err, '\nusage: nnlua --install-kernel [--user | --prefix DIR]\n')
      return 1
   end
   local exe = rawget(_G, '_NNLUA_EXE') or 'nnlua'
   for _, name in ipairs { 'nnlua', 'itorch' } do
      local folder = dir .. '/' .. name
      if not os.execute('mkdir -p ' .. q(folder)) then
         io.stderr:write('nnlua --install-kernel: cannot create ', folder, '\n')
         return 1
      end
      local f, ferr = io.open(folder .. '/kernel.json', 'wb')
      if not f then
         io.stderr:write('nnlua --install-kernel: ', tostring(ferr), '\n')
         return 1
      end
      f:write(install.spec_json(exe, install.specs[name]), '\n')
      f:close()
      print(string.format('installed kernelspec %s in %s', name, folder))
   end
   return 0
end

return install
