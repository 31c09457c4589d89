-- nnlua.kernel.protocol: Jupyter messages (protocol 5.3) on the wire.
--   [identities..., '<IDS|MSG>', signature, header, parent_header, metadata, content, buffers...]
-- The signature is HMAC-SHA256 over the four JSON frames under the
-- connection file's key; an empty key means unsigned messages. JSON is
-- Debian's lua-cjson.
local ffi = require 'ffi'
local cjson = require 'cjson'
local crypto = require 'nnlua.kernel.crypto'

local M = { version = '5.3' }
local DELIM = '<IDS|MSG>'

-- A JSON array even when empty (cjson writes an empty table as {}).
local EMPTY = '\1nnlua-empty-array\1'
M.empty_array = EMPTY

function M.encode(v)
   local s = cjson.encode(v)
   if s:find('\\u0001nnlua-empty-array\\u0001', 1, true) then
      s = s:gsub('"\\u0001nnlua%-empty%-array\\u0001"', '[]')
   end
   return s
end

function M.decode(s)
   local ok, v = pcall(cjson.decode, s)
   if not ok or type(v) ~= 'table' then return nil, 'not a JSON object' end
   return v
end

-- Valid UTF-8 of any string: bytes that do not form a character become
-- U+FFFD (the frontend decodes frames as UTF-8 and would drop the message).
function M.utf8(s)
   if not s:find('[\128-\255]') then return s end
   local out, i, n = {}, 1, #s
   while i <= n do
      local c = s:byte(i)
      local len = c < 0x80 and 1 or (c >= 0xC2 and c <= 0xDF) and 2 or (c >= 0xE0 and c <= 0xEF) and 3
         or (c >= 0xF0 and c <= 0xF4) and 4 or 0
      local ok = len > 0 and i + len - 1 <= n
      for k = 1, len - 1 do
         local b = ok and s:byte(i + k)
         if not b or b < 0x80 or b > 0xBF then ok = false break end
      end
      if ok and len == 3 then
         local b = s:byte(i + 1)
         ok = not (c == 0xE0 and b < 0xA0) and not (c == 0xED and b > 0x9F)
      elseif ok and len == 4 then
         local b = s:byte(i + 1)
         ok = not (c == 0xF0 and b < 0x90) and not (c == 0xF4 and b > 0x8F)
      end
      if ok then
         out[#out + 1] = s:sub(i, i + len - 1)
         i = i + len
      else
         out[#out + 1] = '\239\191\189'
         i = i + 1
      end
   end
   return table.concat(out)
end

-- Number of characters (code points) of a UTF-8 string, and the byte
-- offset of code point `cp` (the protocol counts cursors in code points).
function M.byte_offset(s, cp)
   local i, count = 1, 0
   while i <= #s and count < cp do
      local c = s:byte(i)
      i = i + (c < 0x80 and 1 or c < 0xE0 and 2 or c < 0xF0 and 3 or 4)
      count = count + 1
   end
   return i - 1
end

function M.char_count(s)
   local _, n = s:gsub('[^\128-\191]', '')
   return n
end

local reg = debug.getregistry()
if not reg.nnlua_kernel_time_cdef then
   ffi.cdef [[
      typedef struct { long tv_sec; long tv_usec; } nl_kernel_timeval;
      int nl_kernel_gettimeofday(nl_kernel_timeval *tv, void *tz) __asm__("gettimeofday");
   ]]
   reg.nnlua_kernel_time_cdef = true
end
local tv = ffi.new('nl_kernel_timeval')
-- Wall-clock seconds.
function M.now()
   ffi.C.nl_kernel_gettimeofday(tv, nil)
   return tonumber(tv.tv_sec) + tonumber(tv.tv_usec) * 1e-6
end

local function now_iso()
   ffi.C.nl_kernel_gettimeofday(tv, nil)
   return os.date('!%Y-%m-%dT%H:%M:%S', tonumber(tv.tv_sec)) .. string.format('.%06dZ', tonumber(tv.tv_usec))
end

-- A session: the key, the session id, the user name.
local Session = {}
Session.__index = Session

function M.session(key, scheme)
   if scheme and scheme ~= '' and scheme ~= 'hmac-sha256' then
      error('nnlua kernel: unsupported signature_scheme ' .. tostring(scheme) .. ' (expected hmac-sha256)', 2)
   end
   return setmetatable({ key = key or '', id = crypto.uuid(), username = 'kernel' }, Session)
end

function Session:sign(h, p, m, c)
   if self.key == '' then return '' end
   return crypto.hmac_sha256_hex(self.key, h .. p .. m .. c)
end

-- A new message of msg_type answering parent (a received message or nil).
function Session:msg(msg_type, content, parent, metadata)
   return {
      header = { msg_id = crypto.uuid(), session = self.id, username = self.username, date = now_iso(),
                 msg_type = msg_type, version = M.version },
      parent_header = parent and parent.header or {},
      metadata = metadata or {},
      content = content or {},
   }
end

-- The frames of msg, sent to identities (a list, or nil for iopub: the topic).
function Session:serialize(msg, identities)
   local h, p = M.encode(msg.header), M.encode(msg.parent_header)
   local m, c = M.encode(msg.metadata), M.encode(msg.content)
   local parts = {}
   if identities and #identities > 0 then
      for _, id in ipairs(identities) do parts[#parts + 1] = id end
   else
      parts[1] = msg.topic or ('kernel.' .. self.id .. '.' .. msg.header.msg_type)
   end
   for _, f in ipairs { DELIM, self:sign(h, p, m, c), h, p, m, c } do parts[#parts + 1] = f end
   return parts
end

-- A message from frames; nil and the reason when the frames are malformed
-- or the signature does not match.
function Session:deserialize(parts)
   local d
   for i, f in ipairs(parts) do
      if f == DELIM then d = i break end
   end
   if not d then return nil, 'no <IDS|MSG> delimiter' end
   if #parts < d + 5 then return nil, 'fewer than five frames after the delimiter' end
   local sig, h, p, m, c = parts[d + 1], parts[d + 2], parts[d + 3], parts[d + 4], parts[d + 5]
   if self.key ~= '' and not crypto.equal(sig, self:sign(h, p, m, c)) then return nil, 'bad signature' end
   local msg = { identities = {}, buffers = {} }
   for i = 1, d - 1 do msg.identities[i] = parts[i] end
   for i = d + 6, #parts do msg.buffers[#msg.buffers + 1] = parts[i] end
   msg.header, msg.parent_header, msg.metadata, msg.content = M.decode(h), M.decode(p), M.decode(m), M.decode(c)
   if not (msg.header and msg.parent_header and msg.metadata and msg.content) then
      return nil, 'a frame is not a JSON object'
   end
   if type(msg.header.msg_type) ~= 'string' then return nil, 'header without msg_type' end
   return msg
end

return M
