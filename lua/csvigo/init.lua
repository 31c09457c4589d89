-- csvigo: CSV files to and from Lua tables, as Torch7's csvigo.
--   csvigo.load{path=, separator=',', mode='tidy', header='auto', verbose=true, skip=0, column_order=false}
--     modes: 'raw' (a list of rows, each a list of strings), 'tidy' (one
--     list of values per column name), 'query' (a function: query('all'),
--     query('vars'), query('union'|'inter', {var = {values}}), query('help')),
--     'large' (rows parsed when indexed). header 'auto': the first row is a
--     header when its first field is not a number.
--   csvigo.save{path=, data=, separator=',', mode='autodetect', header=true, verbose=true, column_order=, nan_as_missing=false}
--   csvigo.File(path, mode, separator): record by record.
-- Values read back are strings, as in Torch7. The verbose lines are
-- Torch7's ('<csv>', 'parsing file: ...').
local csvigo = {}
package.loaded.csvigo = csvigo
_G.csvigo = csvigo

require 'csvigo.File'

-- arguments given as one table of names or in order
local function getargs(fn, given, defs)
   local a = {}
   if #given == 1 and type(given[1]) == 'table' and getmetatable(given[1]) == nil then
      a = given[1]
   else
      for i, d in ipairs(defs) do a[d[1]] = given[i] end
   end
   local out = {}
   for _, d in ipairs(defs) do
      local v = a[d[1]]
      if v == nil then v = d[2] end
      if v == nil and d.req then error(string.format('csvigo.%s: missing argument %s (%s)', fn, d[1], d.help), 3) end
      out[d[1]] = v
   end
   return out
end

local function home(p) return (p:gsub('^~', os.getenv('HOME') or '~')) end

function csvigo.load(...)
   local args = getargs('load', { ... }, {
      { 'path', req = true, help = 'path to the file' }, { 'separator', ',' }, { 'mode', 'tidy' },
      { 'header', 'auto' }, { 'verbose', true }, { 'skip', 0 }, { 'column_order', false } })
   if type(args.path) ~= 'string' then error('csvigo.load: path should be a string, got ' .. type(args.path), 2) end
   local mode = args.mode
   if mode ~= 'raw' and mode ~= 'tidy' and mode ~= 'query' and mode ~= 'large' then
      error("csvigo.load: unknown mode '" .. tostring(mode) .. "' (expected raw, tidy, query or large)", 2)
   end
   local path = home(args.path)
   local function vprint(...) if args.verbose then print('<csv>', ...) end end
   vprint('parsing file: ' .. path)
   local ok, f = pcall(csvigo.File, path, 'r', args.separator)
   if not ok then error('csvigo.load: ' .. tostring(f):gsub('^.-csvigo%.File: ', ''), 2) end
   local loaded = f:readall(mode)
   f:close()
   if mode == 'raw' or mode == 'large' then
      vprint('parsing done')
      return loaded
   end
   vprint('tidying up entries')
   local start = 1 + args.skip
   local first = loaded[start] or {}
   local header = args.header
   if header == 'auto' then header = tonumber(first[1]) == nil
   elseif header == 'true' then header = true
   elseif header == 'false' then header = false end
   local names = {}
   if header then
      names = first
      start = start + 1
   else
      for i = 1, #first do names[i] = 'var_' .. i end
   end
   local tidy = {}
   for _, k in ipairs(names) do tidy[k] = {} end
   for r = start, #loaded do
      for i, v in ipairs(loaded[r]) do
         local col = tidy[names[i]]
         if not col then
            error(string.format('csvigo.load: row %d of %s has %d fields, the header %d', r, path, #loaded[r], #names), 2)
         end
         col[#col + 1] = v
      end
   end
   if mode == 'tidy' then
      vprint('returning tidy table')
      if args.column_order then return names, tidy end
      return tidy
   end
   vprint('generating reversed index for fast queries')
   local rev = {}
   for var, vals in pairs(tidy) do
      local idx = {}
      for i, v in ipairs(vals) do
         idx[v] = idx[v] or {}
         table.insert(idx[v], i)
      end
      rev[var] = idx
   end
   local function query(q, vars)
      q = q or 'all'
      if q == 'help' then
         print("query('all') | query('vars') | query('union', {var = {values}}) | query('inter', {var = {values}})")
         return
      elseif q == 'all' then
         return tidy
      elseif q == 'vars' then
         local v = {}
         for _, k in ipairs(names) do v[#v + 1] = k end
         return v
      elseif q ~= 'union' and q ~= 'inter' then
         error("csvigo query: unknown query '" .. tostring(q) .. "' (all, vars, union, inter, help)", 2)
      end
      if type(vars) ~= 'table' then error('csvigo query: expected a table {var = {values}} as argument 2', 2) end
      local counts, nvars = {}, 0
      for var, vals in pairs(vars) do
         if not rev[var] then error("csvigo query: no variable '" .. tostring(var) .. "'", 2) end
         if type(vals) ~= 'table' then vals = { vals } end
         nvars = nvars + 1
         local hit = {}
         for _, val in ipairs(vals) do
            for _, i in ipairs(rev[var][tostring(val)] or {}) do hit[i] = true end
         end
         for i in pairs(hit) do counts[i] = (counts[i] or 0) + 1 end
      end
      local rows = {}
      for i, c in pairs(counts) do
         if q == 'union' or c == nvars then rows[#rows + 1] = i end
      end
      table.sort(rows)
      local out = {}
      for k, vals in pairs(tidy) do
         local col = {}
         for j, i in ipairs(rows) do col[j] = vals[i] end
         out[k] = col
      end
      return out
   end
   vprint("returning query closure, type query('help') to get help")
   return query
end

function csvigo.save(...)
   local args = getargs('save', { ... }, {
      { 'path', req = true, help = 'path to the file' }, { 'data', req = true, help = 'the table to save' },
      { 'separator', ',' }, { 'mode', 'autodetect' }, { 'header', true }, { 'verbose', true },
      { 'column_order' }, { 'nan_as_missing', false } })
   local path, data, mode = home(args.path), args.data, args.mode
   local function vprint(...) if args.verbose then print('<csv>', ...) end end
   if mode == 'autodetect' then
      if type(data) == 'function' then mode = 'query'
      elseif type(data) == 'table' then mode = #data == 0 and 'tidy' or 'raw'
      else error('csvigo.save: data should be a table or a query function, got ' .. type(data), 2) end
   end
   if mode ~= 'raw' and mode ~= 'tidy' and mode ~= 'query' then
      error("csvigo.save: unknown mode '" .. tostring(mode) .. "' (expected raw, tidy or query)", 2)
   end
   vprint('writing to file: ' .. path)
   local ok, f = pcall(csvigo.File, path, 'w', args.separator, args.nan_as_missing)
   if not ok then error('csvigo.save: ' .. tostring(f):gsub('^.-csvigo%.File: ', ''), 2) end
   if mode == 'raw' then
      f:writeall(data)
   else
      if mode == 'query' then data = data('all') end
      local cols = {}
      if args.column_order then
         for _, k in ipairs(args.column_order) do cols[#cols + 1] = k end
      else
         for k in pairs(data) do cols[#cols + 1] = k end
         table.sort(cols, function(a, b) return tostring(a) < tostring(b) end)
      end
      if args.header then f:write(cols) end
      local n = 0
      for _, k in ipairs(cols) do n = math.max(n, #data[k]) end
      for i = 1, n do
         local r = {}
         for j, k in ipairs(cols) do r[j] = data[k][i] end
         f:write(r)
      end
   end
   f:close()
   vprint('writing done')
end

return csvigo
