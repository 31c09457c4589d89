-- nnlua.kernel.crypto: what the Jupyter kernel takes from OpenSSL's
-- libcrypto (Debian's libssl3) through the FFI: HMAC-SHA256 message
-- signatures, base64 for inline PNGs, random bytes for message ids.
local ffi = require 'ffi'

local reg = debug.getregistry()
if not reg.nnlua_crypto_cdef then
   ffi.cdef [[
      typedef struct nl_evp_md nl_evp_md;
      const nl_evp_md *EVP_sha256(void);
      unsigned char *HMAC(const nl_evp_md *md, const void *key, int key_len, const unsigned char *d, size_t n,
                          unsigned char *out, unsigned int *out_len);
      int EVP_EncodeBlock(unsigned char *t, const unsigned char *f, int n);
      int RAND_bytes(unsigned char *buf, int num);
   ]]
   reg.nnlua_crypto_cdef = true
end

local M = {}

local lib
local function L()
   if lib then return lib end
   for _, name in ipairs { 'libcrypto.so.3', 'crypto' } do
      local ok, l = pcall(ffi.load, name)
      if ok then lib = l return lib end
   end
   error('nnlua kernel: cannot load libcrypto (install the Debian package libssl3)', 0)
end

local md = ffi.new('unsigned char[64]')
local mdlen = ffi.new('unsigned int[1]')

-- HMAC-SHA256 of data under key, as 64 lower-case hex digits.
function M.hmac_sha256_hex(key, data)
   local C = L()
   if C.HMAC(C.EVP_sha256(), key, #key, data, #data, md, mdlen) == nil then
      error('nnlua kernel: HMAC failed', 2)
   end
   local out = {}
   for i = 0, mdlen[0] - 1 do out[#out + 1] = string.format('%02x', md[i]) end
   return table.concat(out)
end

-- Compares two strings in time independent of where they differ.
function M.equal(a, b)
   if #a ~= #b then return false end
   local d = 0
   for i = 1, #a do d = bit.bor(d, bit.bxor(a:byte(i), b:byte(i))) end
   return d == 0
end

function M.base64(s)
   local C = L()
   local buf = ffi.new('unsigned char[?]', 4 * math.ceil(#s / 3) + 1)
   local n = C.EVP_EncodeBlock(buf, s, #s)
   return ffi.string(buf, n)
end

-- n random bytes as 2n hex digits (message and session ids).
function M.random_hex(n)
   local C = L()
   local buf = ffi.new('unsigned char[?]', n)
   if C.RAND_bytes(buf, n) ~= 1 then
      for i = 0, n - 1 do buf[i] = math.random(0, 255) end
   end
   local out = {}
   for i = 0, n - 1 do out[#out + 1] = string.format('%02x', buf[i]) end
   return table.concat(out)
end

-- A version-4 UUID string.
function M.uuid()
   local h = M.random_hex(16)
   local v = string.format('%x', 8 + tonumber(h:sub(17, 17), 16) % 4)
   return h:sub(1, 8) .. '-' .. h:sub(9, 12) .. '-4' .. h:sub(14, 16) .. '-' .. v .. h:sub(18, 20) .. '-' .. h:sub(21, 32)
end

return M
