-- paths on a temporary folder, with Torch7's return values (recorded from
-- Torch7 by hand: concat normalises and is absolute, dir() lists . and ..,
-- mkdir makes parents and answers nil, message, errno for an existing one).
local paths = require 'paths'

local function write(path, s)
   local f = assert(io.open(path, 'wb'))
   f:write(s)
   f:close()
end

local function sorted(it)
   local t = {}
   for x in it do t[#t + 1] = x end
   table.sort(t)
   return t
end

describe('paths', function()
   local d
   before_each(function()
      d = paths.tmpname()
      os.remove(d)
      assert.is_true(paths.mkdir(d))
      d = paths.concat(d)
   end)
   after_each(function() paths.rmall(d, 'yes') end)

   it('joins, normalises and makes names absolute as Torch7', function()
      local cwd = paths.cwd()
      assert.are.equal(cwd, paths.concat())
      assert.are.equal(cwd .. '/a', paths.concat('a'))
      assert.are.equal('/a/c', paths.concat('/a', 'b', '../c'))
      assert.are.equal('/b', paths.concat('a/', '/b'))
      assert.are.equal('/a/b/c', paths.concat('/a/./b//c/'))
      assert.are.equal('/', paths.concat('/a', '..'))
      assert.are.equal(cwd .. '/a/b', paths.concat('a', '', 'b'))
      assert.are.equal(cwd .. '/3', paths.concat(3))
   end)

   it('splits names as Torch7', function()
      assert.are.same({ '/a', '.', '/', 'a', '/', '.', '.' },
         { paths.dirname('/a/b/'), paths.dirname('a'), paths.dirname('/'), paths.dirname('a/b'),
           paths.dirname('/a'), paths.dirname(''), paths.dirname('a/') })
      assert.are.same({ 'b', 'a', 'a', '', 'a.tar', 'a.txt', 'abc' },
         { paths.basename('/a/b/'), paths.basename('a.txt', 'txt'), paths.basename('a.txt', '.txt'),
           paths.basename('/'), paths.basename('a.tar.gz', 'gz'), paths.basename('a.txt', 'x'), paths.basename('abc', 'c') })
      assert.are.same({ 'txt', 'bashrc', 'gz' }, { paths.extname('a.txt'), paths.extname('.bashrc'), paths.extname('a.tar.gz') })
      assert.is_nil(paths.extname('a'))
      assert.is_nil(paths.extname('a.b/c'))
      assert.has_error(function() paths.dirname({}) end, 'paths.dirname: expected a path string, got table')
      assert.has_error(function() paths.concat('a', true) end, 'paths.concat: expected a path string as argument 2, got boolean')
   end)

   it('makes and removes folders with Torch7\'s answers', function()
      assert.is_true(paths.mkdir(d .. '/q/r/s'))
      assert.is_true(paths.dirp(d .. '/q/r/s'))
      assert.are.same({ nil, d .. '/q: File exists', 17 }, { paths.mkdir(d .. '/q') })
      assert.are.same({ nil, d .. '/q: Directory not empty', 39 }, { paths.rmdir(d .. '/q') })
      assert.are.same({ nil, d .. '/none: No such file or directory', 2 }, { paths.rmdir(d .. '/none') })
      assert.is_true(paths.rmdir(d .. '/q/r/s'))
      assert.is_false(paths.dirp(d .. '/q/r/s'))
   end)

   it('lists folders: dir, files with a pattern or a filter, iterfiles, iterdirs', function()
      paths.mkdir(d .. '/sub')
      write(d .. '/a.txt', 'x')
      write(d .. '/b.log', 'y')
      local names = paths.dir(d)
      table.sort(names)
      assert.are.same({ '.', '..', 'a.txt', 'b.log', 'sub' }, names)
      assert.is_nil(paths.dir(d .. '/none'))
      assert.are.same({ 'a.txt' }, sorted(paths.files(d, '%.txt$')))
      assert.are.same({ 'b.log' }, sorted(paths.files(d, function(n) return n:sub(1, 1) == 'b' end)))
      assert.are.same({}, sorted(paths.files(d .. '/none')))
      assert.are.same({ 'a.txt', 'b.log' }, sorted(paths.iterfiles(d)))
      assert.are.same({ 'sub' }, sorted(paths.iterdirs(d)))
      assert.has_error(function() paths.files(d, 3) end, 'paths.files: expected a pattern string or a function as argument 2, got number')
      assert.is_true(paths.filep(d .. '/a.txt'))
      assert.is_false(paths.filep(d .. '/sub'))
      assert.is_false(paths.dirp(d .. '/a.txt'))
      assert.is_false(paths.filep(d .. '/none'))
   end)

   it('removes trees with rmall only when told yes', function()
      paths.mkdir(d .. '/t/u')
      write(d .. '/t/u/f', 'z')
      assert.are.same({ nil, "missing second argument ('yes')" }, { paths.rmall(d .. '/t') })
      assert.is_true(paths.dirp(d .. '/t/u'))
      assert.is_true(paths.rmall(d .. '/t', 'yes'))
      assert.is_false(paths.dirp(d .. '/t'))
      assert.are.same({ nil, 'not a file or directory', d .. '/t' }, { paths.rmall(d .. '/t', 'yes') })
   end)

   it('knows this file, runs files beside it, and the machine', function()
      assert.matches('/tests/th/paths_spec%.lua$', paths.thisfile())
      assert.are.equal(paths.dirname(paths.thisfile()) .. '/x.t7', paths.thisfile('x.t7'))
      write(d .. '/inc.lua', "return 6 * 7")
      write(d .. '/run.lua', "local v = paths.dofile('inc.lua') return v")
      assert.are.equal(42, dofile(d .. '/run.lua'))
      assert.are.equal(os.getenv('HOME'), paths.home)
      assert.are.equal('Linux', paths.uname())
      assert.is_falsy(paths.is_win())
      assert.is_falsy(paths.is_mac())
      assert.matches('/sh$', paths.findprogram('nosuchprogram', 'sh'))
      assert.is_nil(paths.findprogram('nosuchprogram'))
      local t1, t2 = paths.tmpname(), paths.tmpname()
      assert.are_not.equal(t1, t2)
      assert.are.equal('/tmp/', t1:sub(1, 5))
      assert.are.equal(require('torch'), paths.require('torch'))
   end)
end)
