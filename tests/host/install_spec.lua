-- `make install PREFIX=...` installs a program that runs from any folder
-- (the luarocks route shares its layout: see the rockspec and README).
local spec = require 'tests.helper'

describe('make install', function()
   it('installs nnlua into a prefix; it runs a script from another folder', function()
      local ph = io.popen('cd ' .. NNLUA_ROOT .. ' && pwd')
      local root = ph:read('*l')
      ph:close()
      local prefix = os.tmpname()
      os.remove(prefix)
      finally(function() os.execute('rm -rf ' .. prefix) end)
      local p = io.popen(string.format('cd %s && make -s install PREFIX=%s NVCC= 2>&1; echo "rc=$?"', root, prefix))
      local out = p:read('*a')
      p:close()
      assert.is_truthy(out:match('rc=0%s*$'), out)
      local script = prefix .. '/t.lua'
      local f = assert(io.open(script, 'w'))
      f:write("require 'nn'\nrequire 'image'\nlocal y = nn.Linear(3, 2):forward(torch.ones(3))\n"
         .. "print(y:size(1), paths ~= nil, image.lena():size(2))\n")
      f:close()
      p = io.popen(string.format('cd / && env -u NNLUA_BUILD -u LD_PRELOAD %s/bin/nnlua %s 2>&1; echo "rc=$?"', prefix, script))
      out = p:read('*a')
      p:close()
      assert.are.equal('2\ttrue\t512\nrc=0\n', out)
   end)
end)
