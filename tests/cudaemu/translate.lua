-- translate.lua IN OUT: a CUDA source as host C++ for the emulator
-- (docs/cudaemu.md). Each kernel launch
--    kernel<T><<<grid, block, smem, stream>>>(a, b)
-- becomes
--    nl_emu::launch(nl_emu::cfg(grid, block, smem, stream), "file:line kernel",
--                   [&](auto &...a_) { kernel<T>(a_...); }, a, b)
-- and `extern __shared__ T name[];` a pointer to the launch's dynamic shared
-- memory; thrust's execution policy (thrust::device, thrust::cuda::par)
-- opens device memory to the host for the call (emu.cc). Nothing else changes; newlines are kept, so the compiler's line
-- numbers are the source's (a #line directive names the source file).
local inpath, outpath = arg[1], arg[2]
assert(inpath and outpath, 'usage: translate.lua IN OUT')
local f = assert(io.open(inpath, 'rb'))
local src = f:read('*a')
f:close()

-- code[i]: true where position i is code (not a comment, string or char literal)
local function code_mask(s)
   local mask, i, n = {}, 1, #s
   while i <= n do
      local c, c2 = s:sub(i, i), s:sub(i, i + 1)
      if c2 == '//' then
         local j = s:find('\n', i, true) or n + 1
         for k = i, j - 1 do mask[k] = false end
         i = j
      elseif c2 == '/*' then
         local _, j = s:find('*/', i + 2, true)
         j = j or n
         for k = i, j do mask[k] = false end
         i = j + 1
      elseif c == '"' or c == "'" then
         local j = i + 1
         while j <= n and s:sub(j, j) ~= c do
            if s:sub(j, j) == '\\' then j = j + 1 end
            j = j + 1
         end
         for k = i, j do mask[k] = false end
         i = j + 1
      else
         mask[i] = true
         i = i + 1
      end
   end
   return mask
end

local function line_of(s, pos)
   local _, count = s:sub(1, pos):gsub('\n', '')
   return count + 1
end

local OPEN, CLOSE = { ['('] = 1, ['['] = 1, ['{'] = 1 }, { [')'] = 1, [']'] = 1, ['}'] = 1 }

local function fail(pos, what)
   io.stderr:write(('%s:%d: translate.lua: %s\n'):format(inpath, line_of(src, pos), what))
   os.exit(1)
end

-- the start of the callee expression that ends just before position e
local function callee_start(s, e)
   local i = e
   while i > 0 and s:sub(i, i):match('%s') do i = i - 1 end
   if s:sub(i, i) == '>' then
      local depth = 0
      repeat
         local c = s:sub(i, i)
         if c == '>' then depth = depth + 1 elseif c == '<' then depth = depth - 1 end
         i = i - 1
      until depth == 0 or i < 1
      while i > 0 and s:sub(i, i):match('%s') do i = i - 1 end
   end
   while i > 0 and s:sub(i, i):match('[%w_:]') do i = i - 1 end
   return i + 1
end

-- the position of the closing `close` matching the bracket level at pos
local function find_close(s, mask, pos, close)
   local depth, i = 0, pos
   while i <= #s do
      if mask[i] then
         local c = s:sub(i, i)
         if depth == 0 and s:sub(i, i + #close - 1) == close then return i end
         if OPEN[c] then depth = depth + 1 elseif CLOSE[c] then depth = depth - 1 end
      end
      i = i + 1
   end
   return nil
end

-- After each `__shared__ ...;` declaration inside a function, a call that
-- fills the variables with 0xFF bytes (NaN, -1) once per block: shared
-- memory starts undefined on a GPU, and here the statics would otherwise
-- keep the previous block's values.
local function poison_shared(s)
   local mask = code_mask(s)
   local out, last, stack = {}, 1, {}
   local i, n = 1, #s
   while i <= n do
      if mask[i] then
         local c = s:sub(i, i)
         if c == '{' then
            local before = s:sub(math.max(1, i - 200), i - 1)
            local ns = before:match('namespace%s*[%w_:]*%s*$') or before:match('extern%s*"C"%s*$')
            stack[#stack + 1] = ns and 'ns' or 'code'
         elseif c == '}' then
            stack[#stack] = nil
         elseif s:sub(i, i + 9) == '__shared__' and not s:sub(i - 1, i - 1):match('[%w_]') and stack[#stack] == 'code'
            and not s:sub(math.max(1, i - 20), i - 1):match('extern%s+$') then
            local e = s:find(';', i, true)
            local decl = s:sub(i + 10, e - 1)
            -- the declarators: split at commas outside <> () []
            local names, depth, start = {}, 0, 1
            local function add(part)
               local name = part:gsub('%b[]', ''):gsub('=.*$', ''):match('([%a_][%w_]*)%s*$')
               if name then names[#names + 1] = name end
            end
            for k = 1, #decl do
               local ch = decl:sub(k, k)
               if ch == '<' or ch == '(' or ch == '[' then depth = depth + 1
               elseif ch == '>' or ch == ')' or ch == ']' then depth = depth - 1
               elseif ch == ',' and depth == 0 then add(decl:sub(start, k - 1)); start = k + 1 end
            end
            add(decl:sub(start))
            local calls = {}
            for _, name in ipairs(names) do
               calls[#calls + 1] = ('nl_emu::shared_poison(&%s, sizeof(%s));'):format(name, name)
            end
            out[#out + 1] = s:sub(last, e)
            out[#out + 1] = ' ' .. table.concat(calls, ' ')
            last = e + 1
            i = e
         end
      end
      i = i + 1
   end
   out[#out + 1] = s:sub(last)
   return table.concat(out)
end

local function translate(s)
   local mask = code_mask(s)
   local out, last = {}, 1
   local pos = 1
   while true do
      local p = s:find('<<<', pos, true)
      if not p then break end
      if mask[p] then
         local cs = callee_start(s, p - 1)
         local callee = s:sub(cs, p - 1):gsub('%s+$', '')
         if callee == '' then fail(p, 'a launch without a kernel name') end
         local ce = find_close(s, mask, p + 3, '>>>')
         if not ce then fail(p, 'a launch without >>>') end
         local config = s:sub(p + 3, ce - 1)
         local ap = ce + 3
         while s:sub(ap, ap):match('%s') do ap = ap + 1 end
         if s:sub(ap, ap) ~= '(' then fail(p, 'a launch without arguments') end
         local ae = find_close(s, mask, ap + 1, ')')
         if not ae then fail(p, 'unbalanced launch arguments') end
         local args = s:sub(ap + 1, ae - 1)
         local name = callee:match('[%w_]+') or callee
         local where = ('%s:%d %s'):format(inpath:match('[^/]*$'), line_of(s, p), name)
         out[#out + 1] = s:sub(last, cs - 1)
         out[#out + 1] = ('nl_emu::launch(nl_emu::cfg(%s), "%s", [&](auto &...nl_a_) { %s(nl_a_...); }%s%s)'):format(
            config, where, callee, args:match('%S') and ', ' or '', args)
         last = ae + 1
         pos = ae + 1
      else
         pos = p + 3
      end
   end
   out[#out + 1] = s:sub(last)
   s = table.concat(out)
   -- extern __shared__ T name[];  ->  T *name = (T *)nl_emu::dyn_smem();
   s = s:gsub('extern%s+__shared__%s+([^;%[]-)%s*([%w_]+)%s*%[%s*%]%s*;', function(ty, name)
      ty = ty:gsub('__align__%b()', ''):gsub('^%s+', ''):gsub('%s+$', '')
      return ('%s *%s = (%s *)nl_emu::dyn_smem();'):format(ty, name, ty)
   end)
   s = poison_shared(s)
   -- thrust runs on the host here: device memory is opened for the call
   -- (the temporary lives to the end of the full expression)
   local OPENED = '(nl_emu::Open(), thrust::device)'
   s = s:gsub('thrust::cuda::par%.on%s*%b()', '\1NLEMU\1'):gsub('thrust::cuda::par%f[^%w_]', '\1NLEMU\1')
   s = s:gsub('thrust::device%f[^%w_]', '\1NLEMU\1'):gsub('\1NLEMU\1', OPENED)
   return s
end

local o = assert(io.open(outpath, 'wb'))
o:write(('#line 1 "%s"\n'):format(inpath), translate(src))
o:close()
