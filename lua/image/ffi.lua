-- image.ffi: opens libnnlua_image.so (the PNG/JPEG codecs and pixel loops,
-- runtime/image/) with its own declarations, and the helpers the image
-- files share: views of tensors for the C loops, the working type of a
-- pixel operation, errors raised at the user's line.
local ffi = require 'ffi'
local torch = require 'torch'
local loader = require 'nnlua_loader'
local core = torch._core

local M = {}

-- runtime/image/image.h without its # lines (tests/image/ffi_spec.lua
-- checks the two agree)
M.cdef = [[
typedef struct nl_image_view {
   void *data;
   int64_t size[3];   /* channels, height, width */
   int64_t stride[3];
} nl_image_view;

const char *nl_image_error(void);
void nl_image_free(void *p);

/* out8: c x h x w bytes (for 16-bit PNGs, the high bytes); out16: c x h x w
 * 16-bit samples for 16-bit PNGs, NULL otherwise. */
int nl_image_png_decode(const uint8_t *bytes, size_t n, uint8_t **out8, uint16_t **out16,
   int *channels, int *height, int *width, int *bit_depth);
int nl_image_jpeg_decode(const uint8_t *bytes, size_t n, uint8_t **out8,
   int *channels, int *height, int *width);
/* planar: channels x height x width bytes; channels 1, 2 (gray + alpha), 3 or 4 for PNG,
 * 1 or 3 for JPEG. */
int nl_image_png_encode(const uint8_t *planar, int channels, int height, int width,
   uint8_t **out, size_t *outlen);
int nl_image_jpeg_encode(const uint8_t *planar, int channels, int height, int width, int quality,
   uint8_t **out, size_t *outlen);

/* mode: 0 simple (nearest), 1 bilinear, 2 bicubic; dst and src have the same channels */
int nl_image_scale(int dtype, int mode, const nl_image_view *dst, const nl_image_view *src);
/* theta in radians about the centre; bilinear 0 or 1 */
int nl_image_rotate(int dtype, int bilinear, const nl_image_view *dst, const nl_image_view *src, double theta);
/* dst (already zeroed) receives src shifted by (dx, dy) */
int nl_image_translate(int dtype, const nl_image_view *dst, const nl_image_view *src, int64_t dx, int64_t dy);
/* flow: 2 x H x W (y, x) source positions (offsets when offset is 1); mode 0 simple,
 * 1 bilinear, 2 bicubic, 3 lanczos; pad 1: samples off the image take pad_value */
int nl_image_warp(int dtype, int mode, int offset, int pad, double pad_value,
   const nl_image_view *dst, const nl_image_view *src, const nl_image_view *flow);
/* dst = each channel of src convolved (flip 1) or correlated (flip 0) with
 * the kernel's matching channel (or its only one); full 1: the full result
 * (H + kh - 1), 0: the valid part (H - kh + 1); float or double */
int nl_image_conv2(int dtype, int full, int flip, const nl_image_view *dst, const nl_image_view *src,
   const nl_image_view *kernel);
/* op: 0 rgb2hsl, 1 hsl2rgb, 2 rgb2hsv, 3 hsv2rgb, 4 rgb2lab, 5 lab2rgb, 6 rgb2y (dst 1 channel),
 * 7 rgb2yuv, 8 yuv2rgb */
int nl_image_color(int dtype, int op, const nl_image_view *dst, const nl_image_view *src);
]]

-- ffi.cdef once per process (busted re-requires modules per spec file)
local reg = debug.getregistry()
if not reg.nnlua_image_cdef then
   ffi.cdef(M.cdef)
   reg.nnlua_image_cdef = true
end

local lib, liberr
function M.lib(fname)
   if lib then return lib end
   if not liberr then
      local ok, l = pcall(ffi.load, loader.libdir .. '/libnnlua_image.so')
      if ok then lib = l return lib end
      liberr = tostring(l)
   end
   core.raise(string.format('%s: cannot load libnnlua_image.so (%s); run make', fname, liberr))
end

M.raise = core.raise

-- rc from a C call: raise its message prefixed with fname
function M.check(fname, rc, what)
   if rc ~= 0 then
      local msg = ffi.string(lib.nl_image_error())
      core.raise(string.format('%s: %s%s', fname, what and (what .. ': ') or '', msg))
   end
end

local function shape(t) return table.concat(t:size():totable(), 'x') end
M.shape = shape

-- A tensor that is an image: 2-D (HxW) or 3-D (CxHxW), on the host
function M.check_image(fname, t, name, dims)
   name = name or 'image'
   if not torch.isTensor(t) then
      core.raise(string.format('%s: %s must be a tensor, got %s', fname, name, torch.type(t)))
   end
   local d = t:dim()
   local ok = false
   for _, v in ipairs(dims or { 2, 3 }) do ok = ok or d == v end
   if not ok or t:nElement() == 0 then
      local want = {}
      for _, v in ipairs(dims or { 2, 3 }) do want[#want + 1] = v == 2 and '2D (HxW)' or v == 3 and '3D (CxHxW)' or (v .. 'D') end
      core.raise(string.format('%s: %s must be a non-empty %s tensor, got %s', fname, name,
         table.concat(want, ' or '), d == 0 and 'an empty tensor' or (d .. 'D tensor of size ' .. shape(t))))
   end
   if not core.is_host(t) then
      core.raise(string.format('%s: %s must be a CPU tensor, got %s', fname, name, torch.typename(t)))
   end
end

local dtype_of = { ['torch.FloatTensor'] = 0, ['torch.DoubleTensor'] = 1, ['torch.ByteTensor'] = 2 }

-- The tensor the C loops work on for t and its dtype code: t itself when
-- float or double (or byte, when bytes is true: the loops then round as
-- Torch7 does), else a FloatTensor copy
function M.working(t, bytes)
   local d = dtype_of[torch.typename(t)]
   if d and (d < 2 or bytes) then return t, d end
   return t:float(), 0
end

-- res, a float or double result, as a tensor of type typename (integer
-- types are rounded and clamped to their range)
local int_range = {
   ['torch.ByteTensor'] = { 0, 255 }, ['torch.CharTensor'] = { -128, 127 },
   ['torch.ShortTensor'] = { -32768, 32767 }, ['torch.IntTensor'] = { -2 ^ 31, 2 ^ 31 - 1 },
   ['torch.LongTensor'] = { -2 ^ 53, 2 ^ 53 },
}
function M.back(res, typename)
   if torch.typename(res) == typename then return res end
   local r = int_range[typename]
   if r then res = res:clone():add(0.5):floor():clamp(r[1], r[2]) end
   return res:type(typename)
end

-- True when a and b start at the same memory (the loops read src while
-- writing dst, so such a src is copied first)
function M.same_data(a, b)
   if a == nil or a:nElement() == 0 or b:nElement() == 0 then return false end
   return ffi.cast('void *', a:data()) == ffi.cast('void *', b:data())
end

-- An nl_image_view of a 2-D or 3-D float/double tensor
function M.view(t)
   local v = ffi.new('nl_image_view')
   v.data = t:data()
   if t:dim() == 2 then
      v.size[0], v.size[1], v.size[2] = 1, t:size(1), t:size(2)
      v.stride[0], v.stride[1], v.stride[2] = 0, t:stride(1), t:stride(2)
   else
      for i = 0, 2 do
         v.size[i], v.stride[i] = t:size(i + 1), t:stride(i + 1)
      end
   end
   return v
end

return M
