-- nnlua.kernel.zmq: the few ZeroMQ calls the Jupyter kernel needs, through
-- the FFI to Debian's libzmq5 (no binding library): sockets, bind,
-- multipart send and receive, poll.
local ffi = require 'ffi'

local reg = debug.getregistry()
if not reg.nnlua_zmq_cdef then
   ffi.cdef [[
      typedef struct { unsigned char _[64]; } __attribute__((aligned(8))) nl_zmq_msg_t;
      typedef struct { void *socket; int fd; short events; short revents; } nl_zmq_pollitem_t;
      void *zmq_ctx_new(void);
      int zmq_ctx_term(void *ctx);
      void *zmq_socket(void *ctx, int type);
      int zmq_close(void *s);
      int zmq_bind(void *s, const char *addr);
      int zmq_setsockopt(void *s, int opt, const void *val, size_t len);
      int zmq_send(void *s, const void *buf, size_t len, int flags);
      int zmq_msg_init(nl_zmq_msg_t *m);
      int zmq_msg_recv(nl_zmq_msg_t *m, void *s, int flags);
      void *zmq_msg_data(nl_zmq_msg_t *m);
      size_t zmq_msg_size(const nl_zmq_msg_t *m);
      int zmq_msg_more(const nl_zmq_msg_t *m);
      int zmq_msg_close(nl_zmq_msg_t *m);
      int zmq_poll(nl_zmq_pollitem_t *items, int n, long timeout);
      int zmq_errno(void);
      const char *zmq_strerror(int err);
   ]]
   reg.nnlua_zmq_cdef = true
end

local M = { PUB = 1, REP = 4, ROUTER = 6, SNDMORE = 2, DONTWAIT = 1, LINGER = 17, SNDHWM = 23, POLLIN = 1, EINTR = 4 }

local lib
-- The library namespace, loaded on first use (a clear error when missing).
function M.lib()
   if lib then return lib end
   for _, name in ipairs { 'libzmq.so.5', 'zmq' } do
      local ok, l = pcall(ffi.load, name)
      if ok then lib = l return lib end
   end
   error('nnlua kernel: cannot load libzmq (install the Debian package libzmq5)', 0)
end

local function fail(what)
   local L = M.lib()
   error(string.format('nnlua kernel: %s: %s', what, ffi.string(L.zmq_strerror(L.zmq_errno()))), 0)
end

function M.context()
   local ctx = M.lib().zmq_ctx_new()
   if ctx == nil then fail('zmq_ctx_new') end
   return ctx
end

-- A socket of `kind` bound at endpoint; sends that cannot be delivered are
-- kept at most 1 s at close. A PUB socket queues without limit (the
-- default high-water mark, 1000 messages, would drop messages, the final
-- `idle` status among them, for a slow subscriber; a cell's output is
-- bounded anyway).
function M.bind(ctx, kind, endpoint)
   local L = M.lib()
   local s = L.zmq_socket(ctx, kind)
   if s == nil then fail('zmq_socket') end
   local v = ffi.new('int[1]', 1000)
   L.zmq_setsockopt(s, M.LINGER, v, ffi.sizeof('int'))
   if kind == M.PUB then
      v[0] = 0
      L.zmq_setsockopt(s, M.SNDHWM, v, ffi.sizeof('int'))
   end
   if L.zmq_bind(s, endpoint) ~= 0 then fail('cannot bind ' .. endpoint) end
   return s
end

function M.close(s) M.lib().zmq_close(s) end
function M.term(ctx) M.lib().zmq_ctx_term(ctx) end

-- Sends a list of strings as one multipart message; returns true, or
-- false and the reason.
function M.send(s, parts)
   local L = M.lib()
   for i, p in ipairs(parts) do
      if L.zmq_send(s, p, #p, i < #parts and M.SNDMORE or 0) < 0 then
         return false, ffi.string(L.zmq_strerror(L.zmq_errno()))
      end
   end
   return true
end

local msg = ffi.new('nl_zmq_msg_t')
-- Receives one multipart message as a list of strings (nil and the errno
-- when none could be read; EINTR when a signal came).
function M.recv(s, flags)
   local L = M.lib()
   local parts = {}
   repeat
      L.zmq_msg_init(msg)
      if L.zmq_msg_recv(msg, s, flags or 0) < 0 then
         L.zmq_msg_close(msg)
         return nil, L.zmq_errno()
      end
      parts[#parts + 1] = ffi.string(L.zmq_msg_data(msg), L.zmq_msg_size(msg))
      local more = L.zmq_msg_more(msg) ~= 0
      L.zmq_msg_close(msg)
   until not more
   return parts
end

-- Polls sockets for input; returns a table of the ready ones (by index),
-- or nil and errno (EINTR on a signal).
function M.poll(sockets, timeout_ms)
   local L = M.lib()
   local items = ffi.new('nl_zmq_pollitem_t[?]', #sockets)
   for i, s in ipairs(sockets) do
      items[i - 1].socket = s
      items[i - 1].events = M.POLLIN
   end
   local n = L.zmq_poll(items, #sockets, timeout_ms)
   if n < 0 then return nil, L.zmq_errno() end
   local ready = {}
   for i = 1, #sockets do ready[i] = bit.band(items[i - 1].revents, M.POLLIN) ~= 0 end
   return ready
end

return M
