-- Torch7's recorded output for its image package on fixed small tensors
-- (colour spaces, scale in three modes, crop, flips, rotate, translate,
-- kernels, convolve, minmax, toDisplayTensor, y2jet, PNG/JPEG round trips,
-- lena's size): nnlua must print exactly the same, to the last digit.
local spec = require 'tests.spec_util'

describe('image: Torch7 fixture image_functions', function()
   it('prints exactly image_functions.expected', function()
      local dir = NNLUA_FIXTURES .. '/torch7/'
      local got, rc = spec.run_nnlua("'" .. dir .. "image_functions.lua'")
      local f = assert(io.open(dir .. 'image_functions.expected', 'rb'))
      local want = f:read('*a')
      f:close()
      local gl, wl = {}, {}
      for l in got:gmatch('([^\n]*)\n') do gl[#gl + 1] = l end
      for l in want:gmatch('([^\n]*)\n') do wl[#wl + 1] = l end
      assert.are.equal(#wl, #gl, got)
      for i = 1, #wl do assert.are.equal(wl[i], gl[i], 'line ' .. i) end
      assert.are.equal(0, rc)
   end)
end)
