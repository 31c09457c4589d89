-- nnlua.kernel: a Jupyter kernel for nnlua (messaging protocol 5.3).
--   nnlua --kernel CONNECTION_FILE     what a kernelspec's argv runs
--   nnlua --install-kernel [--user | --prefix DIR]   see nnlua.kernel.install
-- Sockets through libzmq (nnlua.kernel.zmq), signatures through libcrypto
-- (nnlua.kernel.crypto), JSON through lua-cjson; the heartbeat answers from
-- a C thread (build/libnnlua_kernel.so). One cell runs at a time in this
-- Lua state; SIGINT (the frontend's interrupt) stops it through the host's
-- interrupt hook and the state lives on.
local ffi = require 'ffi'
local cjson = require 'cjson'
local zmq = require 'nnlua.kernel.zmq'
local protocol = require 'nnlua.kernel.protocol'
local handlers = require 'nnlua.kernel.handlers'

local kernel = {}

local reg = debug.getregistry()
if not reg.nnlua_kernel_cdef then
   ffi.cdef [[
      typedef void (*nl_kernel_sighandler)(int);
      nl_kernel_sighandler nl_kernel_signal(int sig, nl_kernel_sighandler handler) __asm__("signal");
      int nl_kernel_heartbeat_start(void *ctx, const char *endpoint, int watch_parent);
      int nl_kernel_heartbeat_stop(void);
      const char *nl_kernel_heartbeat_error(void);
   ]]
   reg.nnlua_kernel_cdef = true
end

local SIGINT = 2
local SIG_IGN = ffi.cast('nl_kernel_sighandler', 1)

-- the process's stderr (the frontend's log), not the notebook's
local stderr = io.stderr
local function log(fmt, ...)
   stderr:write('[nnlua kernel] ', string.format(fmt, ...), '\n')
   stderr:flush()
end
kernel.log = log

-- The heartbeat library: next to libnnlua (build/ or lib/nnlua/), or one
-- folder up (a sanitizer build in build/asan/ uses build/'s).
local function heartbeat_lib()
   local dirs = {}
   local ok, loader = pcall(require, 'nnlua_loader')
   if ok and loader.libdir then dirs = { loader.libdir, loader.libdir .. '/..' } end
   if os.getenv('NNLUA_KERNEL_LIBDIR') then table.insert(dirs, 1, os.getenv('NNLUA_KERNEL_LIBDIR')) end
   for _, d in ipairs(dirs) do
      local p = d .. '/libnnlua_kernel.so'
      local f = io.open(p, 'rb')
      if f then
         f:close()
         return ffi.load(p)
      end
   end
   error('nnlua kernel: cannot find libnnlua_kernel.so (looked in ' .. table.concat(dirs, ', ') ..
      '); build it with make (needs libzmq5)', 0)
end

local function endpoint(cfg, port)
   if cfg.transport == 'ipc' then return string.format('ipc://%s-%d', cfg.ip, port) end
   return string.format('%s://%s:%d', cfg.transport or 'tcp', cfg.ip or '127.0.0.1', port)
end

-- Arms the host's interrupt hook for a cell; `disarm` ignores SIGINT again
-- (between cells an interrupt has nothing to stop and must not kill us).
local function arm()
   if rawget(_G, '_nnlua_arm_sigint') then _G._nnlua_arm_sigint() end
end
local function disarm()
   ffi.C.nl_kernel_signal(SIGINT, SIG_IGN)
   debug.sethook()
end
kernel.arm, kernel.disarm = arm, disarm

-- Runs the kernel for a connection file until a shutdown_request.
function kernel.run(connection_file)
   local f, err = io.open(connection_file, 'rb')
   if not f then error('nnlua --kernel: cannot read the connection file: ' .. tostring(err), 0) end
   local text = f:read('*a')
   f:close()
   local ok, cfg = pcall(cjson.decode, text)
   if not ok or type(cfg) ~= 'table' then error('nnlua --kernel: ' .. connection_file .. ' is not JSON', 0) end
   for _, k in ipairs { 'shell_port', 'iopub_port', 'stdin_port', 'control_port', 'hb_port' } do
      if type(cfg[k]) ~= 'number' then error('nnlua --kernel: ' .. connection_file .. ' has no ' .. k, 0) end
   end
   disarm()
   -- th's environment (paths, sys, xlua, Penlight, print), as for a script
   require 'nnlua.env'
   local session = protocol.session(type(cfg.key) == 'string' and cfg.key or '', cfg.signature_scheme)
   local ctx = zmq.context()
   local k = {
      session = session,
      shell = zmq.bind(ctx, zmq.ROUTER, endpoint(cfg, cfg.shell_port)),
      control = zmq.bind(ctx, zmq.ROUTER, endpoint(cfg, cfg.control_port)),
      stdin = zmq.bind(ctx, zmq.ROUTER, endpoint(cfg, cfg.stdin_port)),
      iopub = zmq.bind(ctx, zmq.PUB, endpoint(cfg, cfg.iopub_port)),
      log = log, arm = arm, disarm = disarm,
   }
   local hb = heartbeat_lib()
   if hb.nl_kernel_heartbeat_start(ctx, endpoint(cfg, cfg.hb_port), 1) ~= 0 then
      error('nnlua kernel: ' .. ffi.string(hb.nl_kernel_heartbeat_error()), 0)
   end
   handlers.setup(k)
   k.publish('status', { execution_state = 'starting' })
   k.running = true
   while k.running do
      local ready = zmq.poll({ k.control, k.shell, k.stdin }, 1000)
      if ready then
         if ready[1] then handlers.dispatch(k, k.control, 'control') end
         if ready[2] and k.running then handlers.dispatch(k, k.shell, 'shell') end
         -- a reply to an input_request that was given up on
         if ready[3] then zmq.recv(k.stdin, zmq.DONTWAIT) end
      end
   end
   hb.nl_kernel_heartbeat_stop()
   for _, s in ipairs { k.shell, k.control, k.stdin, k.iopub } do zmq.close(s) end
   zmq.term(ctx)
   return 0
end

-- The host's entry: `nnlua --kernel FILE` or `nnlua --install-kernel ...`.
function kernel.main(mode, ...)
   if mode == '--install-kernel' then return require('nnlua.kernel.install').main(...) end
   local file = ...
   if mode ~= '--kernel' or not file then
      io.stderr:write('usage: nnlua --kernel CONNECTION_FILE | nnlua --install-kernel [--user | --prefix DIR]\n')
      return 1
   end
   local ok, rc = pcall(kernel.run, file)
   if not ok then
      stderr:write(tostring(rc), '\n')
      return 1
   end
   return rc
end

return kernel
