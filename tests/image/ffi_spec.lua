-- lua/image/ffi.lua declares libnnlua_image's functions itself: its cdef
-- must be runtime/image/image.h's declarations, and every one must resolve.
require 'image'
local I = require 'image.ffi'

describe('image ffi', function()
   it("declares exactly runtime/image/image.h's declarations", function()
      local f = assert(io.open(NNLUA_ROOT .. '/runtime/image/image.h', 'rb'))
      local h = f:read('*a')
      f:close()
      h = h:gsub('\n#[^\n]*', '\n')
      local decl = h:sub((h:find('typedef struct nl_image_view', 1, true)))
      local norm = function(s) return (s:gsub('%s+', ' '):gsub('^ ', ''):gsub(' $', '')) end
      assert.are.equal(norm(decl), norm(I.cdef))
   end)

   it('resolves every declared function in the library', function()
      local lib = I.lib('spec')
      local n = 0
      for name in I.cdef:gmatch('(nl_image_[%w_]+)%(') do
         assert.is_not_nil(lib[name], name)
         n = n + 1
      end
      assert.are.equal(12, n)
   end)
end)
