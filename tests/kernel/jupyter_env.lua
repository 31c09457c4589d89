-- Shared by the kernel specs: a private Jupyter folder (kernelspecs
-- installed there by `nnlua --install-kernel --prefix`, runtime files),
-- so the specs never depend on the machine's own Jupyter setup, and the
-- command prefix that points Debian's Python tools at it. Under the
-- sanitizer build the kernel runs with the sanitizer preloaded (through
-- the kernelspec's env) while Python runs without it.
local cjson = require 'cjson'
local spec = require 'tests.spec_util'

local J = {}

local function sh_quote(s) return "'" .. tostring(s):gsub("'", "'\\''") .. "'" end
J.quote = sh_quote

J.python = io.open('/usr/bin/python3', 'rb') and '/usr/bin/python3' or 'python3'

function J.read(path)
   local f = assert(io.open(path, 'rb'))
   local s = f:read('*a')
   f:close()
   return s
end

-- Runs a shell command; returns its output (stdout and stderr) and status.
function J.sh(cmd)
   local p = io.popen(cmd .. ' 2>&1; echo "rc=$?"')
   local out = p:read('*a')
   p:close()
   local rc = tonumber(out:match('rc=(%d+)%s*$'))
   return (out:gsub('rc=%d+%s*$', '')), rc
end

-- Creates the folder and installs the kernelspecs; returns the env table:
--   dir, kernels (the kernelspecs folder), install_out, install_rc, prefix
--   (the `env ...` words to put before a Python command).
function J.setup()
   local dir = os.tmpname()
   os.remove(dir)
   assert(os.execute('mkdir -p ' .. sh_quote(dir .. '/runtime') .. ' ' .. sh_quote(dir .. '/config')
      .. ' ' .. sh_quote(dir .. '/data')) == 0)
   local e = { dir = dir, kernels = dir .. '/share/jupyter/kernels' }
   e.install_out, e.install_rc = spec.run_nnlua('--install-kernel --prefix ' .. sh_quote(dir))
   local preload = os.getenv('LD_PRELOAD')
   if preload and preload ~= '' then
      for _, name in ipairs { 'nnlua', 'itorch' } do
         local path = e.kernels .. '/' .. name .. '/kernel.json'
         local ks = cjson.decode(J.read(path))
         ks.env = { LD_PRELOAD = preload, ASAN_OPTIONS = os.getenv('ASAN_OPTIONS') or '',
                    UBSAN_OPTIONS = os.getenv('UBSAN_OPTIONS') or '', NNLUA_BUILD = os.getenv('NNLUA_BUILD') or 'build' }
         local f = assert(io.open(path, 'wb'))
         f:write(cjson.encode(ks))
         f:close()
      end
   end
   e.prefix = table.concat({ 'env -u LD_PRELOAD',
      'JUPYTER_PATH=' .. sh_quote(dir .. '/share/jupyter'),
      'JUPYTER_RUNTIME_DIR=' .. sh_quote(dir .. '/runtime'),
      'JUPYTER_CONFIG_DIR=' .. sh_quote(dir .. '/config'),
      'JUPYTER_DATA_DIR=' .. sh_quote(dir .. '/data'),
      'JUPYTER_PLATFORM_DIRS=0', 'PYTHONWARNINGS=ignore' }, ' ')
   return e
end

function J.teardown(e)
   if e and e.dir and e.dir:match('^/tmp/') then os.execute('rm -rf ' .. sh_quote(e.dir)) end
end

return J
