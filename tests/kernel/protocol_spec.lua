-- The kernel's parts that need no client: signatures, framing, JSON
-- arrays, UTF-8 repair, cursor offsets, the cell evaluator, the notebook
-- streams and the kernelspec options.
local cjson = require 'cjson'
local crypto = require 'nnlua.kernel.crypto'
local protocol = require 'nnlua.kernel.protocol'
local evaluate = require 'nnlua.kernel.evaluate'
local install = require 'nnlua.kernel.install'

describe('nnlua.kernel.crypto', function()
   it('computes HMAC-SHA256 (RFC 4231 case 2)', function()
      assert.are.equal('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
         crypto.hmac_sha256_hex('Jefe', 'what do ya want for nothing?'))
   end)
   it('encodes base64 (RFC 4648 vectors)', function()
      local v = { [''] = '', f = 'Zg==', fo = 'Zm8=', foo = 'Zm9v', foob = 'Zm9vYg==', fooba = 'Zm9vYmE=', foobar = 'Zm9vYmFy' }
      for k, e in pairs(v) do assert.are.equal(e, crypto.base64(k)) end
   end)
   it('makes version-4 UUIDs and compares strings', function()
      local u = crypto.uuid()
      assert.truthy(u:match('^%x%x%x%x%x%x%x%x%-%x%x%x%x%-4%x%x%x%-[89ab]%x%x%x%-%x%x%x%x%x%x%x%x%x%x%x%x$'), u)
      assert.are_not.equal(u, crypto.uuid())
      assert.is_true(crypto.equal('abc', 'abc'))
      assert.is_false(crypto.equal('abc', 'abd'))
      assert.is_false(crypto.equal('abc', 'ab'))
   end)
end)

describe('nnlua.kernel.protocol', function()
   local s = protocol.session('secret')

   it('round-trips a signed message with its identities', function()
      local m = s:msg('execute_request', { code = 'x = 1', n = 3 })
      local parts = s:serialize(m, { 'id1', 'id2' })
      assert.are.equal('id1', parts[1])
      assert.are.equal('<IDS|MSG>', parts[3])
      assert.are.equal(crypto.hmac_sha256_hex('secret', parts[5] .. parts[6] .. parts[7] .. parts[8]), parts[4])
      local back = assert(s:deserialize(parts))
      assert.are.same({ 'id1', 'id2' }, back.identities)
      assert.are.same({ code = 'x = 1', n = 3 }, back.content)
      assert.are.equal('execute_request', back.header.msg_type)
      assert.are.equal('5.3', back.header.version)
      assert.truthy(back.header.date:match('^%d%d%d%d%-%d%d%-%d%dT%d%d:%d%d:%d%d%.%d%d%d%d%d%dZ$'), back.header.date)
   end)

   it('publishes on iopub with a topic and the parent header', function()
      local req = s:msg('execute_request', {})
      local m = s:msg('stream', { name = 'stdout', text = 'hi' }, req)
      local parts = s:serialize(m)
      assert.are.equal('kernel.' .. s.id .. '.stream', parts[1])
      assert.are.equal(req.header.msg_id, cjson.decode(parts[5]).msg_id)
   end)

   it('drops forged, truncated and malformed messages with the reason', function()
      local parts = s:serialize(s:msg('execute_request', { code = 'x' }), { 'id' })
      local forged = { unpack(parts) }
      forged[7] = '{"code":"os.exit()"}'
      assert.are.same({ nil, 'bad signature' }, { s:deserialize(forged) })
      local other = protocol.session('another key')
      assert.are.same({ nil, 'bad signature' }, { other:deserialize(parts) })
      assert.are.same({ nil, 'no <IDS|MSG> delimiter' }, { s:deserialize({ 'garbage' }) })
      assert.are.same({ nil, 'fewer than five frames after the delimiter' }, { s:deserialize({ '<IDS|MSG>', 'x', '{}' }) })
      local bad = { '{not json', '{}', '{}', '{}' }
      local sig = crypto.hmac_sha256_hex('secret', table.concat(bad))
      assert.are.same({ nil, 'a frame is not a JSON object' }, { s:deserialize({ '<IDS|MSG>', sig, unpack(bad) }) })
      local typeless = { '{}', '{}', '{}', '{}' }
      sig = crypto.hmac_sha256_hex('secret', table.concat(typeless))
      assert.are.same({ nil, 'header without msg_type' }, { s:deserialize({ '<IDS|MSG>', sig, unpack(typeless) }) })
   end)

   it('accepts unsigned messages when the key is empty, and refuses other schemes', function()
      local u = protocol.session('')
      local parts = u:serialize(u:msg('kernel_info_request', {}), { 'id' })
      assert.are.equal('', parts[3])
      assert.is_table((u:deserialize(parts)))
      assert.has_error(function() protocol.session('k', 'hmac-md5') end,
         'nnlua kernel: unsupported signature_scheme hmac-md5 (expected hmac-sha256)')
   end)

   it('writes empty arrays as [] and empty tables as {}', function()
      local js = protocol.encode({ a = protocol.empty_array, b = {} })
      assert.is_true(js == '{"a":[],"b":{}}' or js == '{"b":{},"a":[]}', js)
      assert.are.equal('[1,2]', protocol.encode({ 1, 2 }))
   end)

   it('repairs invalid UTF-8 and keeps valid text', function()
      assert.are.equal('caf\195\169 \226\130\172 \240\159\152\128', protocol.utf8('caf\195\169 \226\130\172 \240\159\152\128'))
      local R = '\239\191\189'
      assert.are.equal('a' .. R .. 'b', protocol.utf8('a\255b'))
      assert.are.equal(R .. R, protocol.utf8('\192\128'))             -- overlong
      assert.are.equal(R .. R .. R, protocol.utf8('\237\160\128'))    -- a surrogate
      assert.are.equal('x' .. R .. R, protocol.utf8('x\226\130'))      -- cut short: each byte
   end)

   it('keeps its FFI declarations off libc names other packages declare', function()
      assert.is_true(protocol.now() > 1e9)
      assert.is_true(require('sys').clock() > 1e9)
   end)

   it('converts cursor positions in code points to bytes', function()
      local s8 = 'é = 1\nb'
      assert.are.equal(7, protocol.char_count(s8))
      assert.are.equal(2, protocol.byte_offset(s8, 1))
      assert.are.equal(8, protocol.byte_offset(s8, 7))
      assert.are.equal(0, protocol.byte_offset(s8, 0))
   end)
end)

describe('nnlua.kernel.evaluate', function()
   local function handler(e) return e end
   local function run(code) return evaluate.run(code, handler, '=cell') end

   it('returns the values of a last expression after statements', function()
      local ok, v = run('kx = 20\nkx + 1')
      assert.is_true(ok)
      assert.are.same({ n = 1, 21 }, v)
      ok, v = run('kx, 2, nil')
      assert.are.same({ n = 3, 20, 2 }, v)
      ok, v = run('local t = {\n  1,\n  2\n}\n#t')
      assert.are.same({ n = 1, 2 }, v)
      ok, v = run('=kx')
      assert.are.same({ n = 1, 20 }, v)
   end)

   it('returns nothing for statements, a trailing semicolon, and keeps return', function()
      assert.are.same({ n = 0 }, select(2, run('for i = 1, 2 do kx = kx + i end')))
      assert.are.equal(23, kx)
      assert.are.same({ n = 0 }, select(2, run('math.max(1, 2);')))
      assert.are.same({ n = 2, 7, 8 }, select(2, run('return 7, 8')))
      assert.are.same({ n = 0 }, select(2, run('kx = 1')))
   end)

   it('reports syntax errors and keeps the cell\'s line numbers', function()
      local ok, err, syntax = run('x = = 1')
      assert.is_false(ok)
      assert.is_true(syntax)
      assert.are.equal("cell:1: unexpected symbol near '='", err)
      ok, err, syntax = run('local a = 1\n\nerror("three")')
      assert.is_false(ok)
      assert.is_nil(syntax)
      assert.are.equal('cell:3: three', err)
      ok, err = run('local a = 1\nnil + a')
      assert.are.equal('cell:2: attempt to perform arithmetic on a nil value', err)
   end)

   it('formats tensors in Torch7\'s format', function()
      local ok, v = run('torch.Tensor({1, 2})')
      assert.is_true(ok)
      assert.are.equal(' 1\n 2\n[torch.DoubleTensor of size 2]\n', evaluate.format(v))
   end)
end)

describe('nnlua.kernel.io', function()
   local kio = require 'nnlua.kernel.io'
   -- install() replaces print and io's streams: restored after each case
   local function with_streams(opts, answers, fn)
      local sent = {}
      local ctl = kio.install(function(name, text) sent[#sent + 1] = { name, text } end,
         function() return table.remove(answers, 1) or error('no more input') end, opts)
      local ok, err = pcall(function()
         ctl.begin_cell()
         fn(ctl, sent)
         sent.dropped = ctl.end_cell()
      end)
      ctl.uninstall()
      assert(ok, err)
      return sent
   end

   it('sends print, io.write and the stream objects as stream text, gathered', function()
      local sent = with_streams({ interval = math.huge }, {}, function()
         print('a', 1, nil, true)
         io.write('b', 2.5, '\n'):write('c\n')
         io.stderr:write('e')
         assert(tostring(io.stdout):match('^file %('))
      end)
      -- the first write at once, the rest gathered until the cell ends
      assert.are.same({ { 'stdout', 'a\t1\tnil\ttrue\n' }, { 'stdout', 'b2.5\nc\n' }, { 'stderr', 'e' }, dropped = 0 }, sent)
   end)

   it('sends a write at once when the interval has passed, and on a tick', function()
      local sent = with_streams({ interval = 0 }, {}, function()
         print('one')
         io.write('two')
      end)
      assert.are.same({ { 'stdout', 'one\n' }, { 'stdout', 'two' }, dropped = 0 }, sent)
      sent = with_streams({ interval = 0.05 }, {}, function(ctl, got)
         print('first')          -- nothing sent before: at once
         print('second')         -- within the interval: buffered
         assert.are.equal(1, #got)
         ctl.tick()
         assert.are.equal(1, #got)
         os.execute('sleep 0.1')
         ctl.tick()              -- past the interval: sent
         assert.are.same({ 'stdout', 'second\n' }, got[2])
      end)
      assert.are.equal(2, #sent)
   end)

   it('bounds a cell\'s output and counts what it dropped', function()
      local sent = with_streams({ limit = 25, interval = 0 }, {}, function()
         for _ = 1, 10 do io.write('0123456789') end
      end)
      assert.are.same({ { 'stdout', '0123456789' }, { 'stdout', '0123456789' }, { 'stdout', '01234' }, dropped = 75 }, sent)
   end)

   it('reads lines, numbers and counts through the frontend', function()
      local got
      with_streams({}, { 'line one', '42', 'abcdef', 'x' }, function()
         got = { io.read(), io.read('*n'), io.read(3), io.stdin:read('*L') }
      end)
      assert.are.same({ 'line one', 42, 'abc', 'x\n' }, got)
   end)

   it('refuses a value io.write cannot write, naming it', function()
      local ok, err = pcall(with_streams, {}, {}, function() io.write({}) end)
      assert.is_false(ok)
      assert.truthy(tostring(err):find("bad argument #1 to 'write' (string expected, got table)", 1, true), err)
   end)
end)

describe('nnlua.kernel.install', function()
   it('finds the kernels folder for the options', function()
      assert.are.equal('/p/share/jupyter/kernels', install.kernels_dir({ '--prefix', '/p' }))
      assert.are.equal('/q/share/jupyter/kernels', install.kernels_dir({ '--prefix=/q' }))
      assert.are.equal('/usr/local/share/jupyter/kernels', install.kernels_dir({ '--system' }))
      assert.truthy(install.kernels_dir({ '--user' }):match('/jupyter/kernels$'))
      assert.are.same({ nil, "unrecognized option '--nope'" }, { install.kernels_dir({ '--nope' }) })
      assert.are.same({ nil, "'--prefix' needs a folder" }, { install.kernels_dir({ '--prefix' }) })
   end)

   it('writes a kernelspec that runs nnlua --kernel', function()
      local ks = cjson.decode(install.spec_json('/opt/bin/nnlua', 'iTorch (nnlua)'))
      assert.are.same({ '/opt/bin/nnlua', '--kernel', '{connection_file}' }, ks.argv)
      assert.are.equal('iTorch (nnlua)', ks.display_name)
      assert.are.equal('lua', ks.language)
      assert.are.equal('signal', ks.interrupt_mode)
   end)
end)

describe('nnlua --kernel', function()
   local spec = require 'tests.spec_util'
   it('refuses a missing or wrong connection file with one line', function()
      local out, rc = spec.run_nnlua('--kernel /nonexistent/connection.json')
      assert.are.equal(1, rc)
      assert.are.equal('nnlua --kernel: cannot read the connection file: /nonexistent/connection.json: No such file or directory\n', out)
      local tmp = os.tmpname()
      local f = assert(io.open(tmp, 'w'))
      f:write('{"ip": "127.0.0.1"}')
      f:close()
      out, rc = spec.run_nnlua('--kernel ' .. tmp)
      os.remove(tmp)
      assert.are.equal(1, rc)
      assert.are.equal('nnlua --kernel: ' .. tmp .. ' has no shell_port\n', out)
      out, rc = spec.run_nnlua('--kernel')
      assert.are.equal(1, rc)
      assert.truthy(out:find('usage: nnlua --kernel CONNECTION_FILE', 1, true), out)
   end)
end)
