-- Graphviz output for graph.Graph: graph.dot(g, title, filename) writes
-- filename.dot and, where Graphviz's `dot` program is installed (Debian
-- package graphviz), filename.svg. Without a filename the picture goes to
-- a notebook through nnlua.display, or to a temporary file whose name is
-- printed.
local torch = require 'torch'
local graph = require 'graph'

-- A Graphviz ID: plain words stay as they are, anything else is quoted
-- with newlines and quotes escaped.
function graph._dotEscape(str)
   if str:find('[^a-zA-Z]') then
      return '"' .. str:gsub('\n', '\\n'):gsub('"', '\\"') .. '"'
   end
   return str
end

-- ' color=blue tailport=s' from {color='blue', tailport='s'}, keys sorted.
function graph._attributeString(attributes)
   local keys = {}
   for k in pairs(attributes) do keys[#keys + 1] = k end
   table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
   local parts = {}
   for _, k in ipairs(keys) do
      parts[#parts + 1] = tostring(k) .. '=' .. graph._dotEscape(tostring(attributes[k]))
   end
   return ' ' .. table.concat(parts, ' ')
end

local function shell_quote(s)
   return "'" .. s:gsub("'", "'\\''") .. "'"
end

-- Runs a shell command; returns whether it exited with status 0, and
-- what it printed.
local function run(cmd)
   local p = io.popen(cmd .. ' 2>&1; echo "rc=$?"')
   local out = p:read('*a')
   p:close()
   local rc = tonumber(out:match('rc=(%d+)%s*$'))
   return rc == 0, (out:gsub('rc=%d+%s*$', ''))
end

-- True when Graphviz's `dot` program can be run.
local dot_found
function graph.hasDot()
   if dot_found == nil then
      dot_found = run('command -v dot')
   end
   return dot_found
end

local function write_file(name, text)
   local f, err = io.open(name, 'w')
   if not f then error(string.format('graph.dot: cannot write %s: %s', name, tostring(err)), 3) end
   f:write(text)
   f:close()
end

-- graphvizFile(g, algorithm, filename): renders g with Graphviz's
-- `algorithm` (dot, neato, ...) into filename, the format taken from its
-- extension (svg, png, pdf, dot).
function graph.graphvizFile(g, algorithm, fname)
   if not graph.hasDot() then
      error('graph.graphvizFile: Graphviz is not installed (the Debian package graphviz provides dot)', 2)
   end
   algorithm = algorithm or 'dot'
   local fmt = fname:match('%.(%w+)$')
   if not fmt then error('graph.graphvizFile: ' .. fname .. ' has no extension naming the format', 2) end
   local src = os.tmpname()
   write_file(src, g:todot())
   local ok, msg = run(string.format('%s -T%s -o %s %s', shell_quote(algorithm), fmt, shell_quote(fname), shell_quote(src)))
   os.remove(src)
   if not ok then error('graph.graphvizFile: ' .. algorithm .. ' failed: ' .. msg, 2) end
end

-- dot(g, title, filename): filename.dot always, filename.svg when
-- Graphviz is installed. Returns the names of the files written.
function graph.dot(g, title, fname)
   if torch.typename(g) ~= 'graph.Graph' then
      error('graph.dot: expected a graph.Graph (gmodule.fg or gmodule.bg), got ' .. torch.type(g), 2)
   end
   local text = g:todot(title)
   local show = fname == nil
   if show then
      fname = os.tmpname()
      os.remove(fname)
   end
   local dotname, svgname = fname .. '.dot', fname .. '.svg'
   write_file(dotname, text)
   local wrote_svg = false
   if graph.hasDot() then
      local ok, msg = run(string.format('dot -Tsvg -o %s %s', shell_quote(svgname), shell_quote(dotname)))
      if not ok then error('graph.dot: Graphviz failed on ' .. dotname .. ': ' .. msg, 2) end
      wrote_svg = true
   end
   if show then
      local display = require 'nnlua.display'
      local bundle = { ['text/plain'] = text }
      if wrote_svg then
         local f = io.open(svgname, 'rb')
         bundle['text/html'] = f:read('*a')
         f:close()
      end
      if display.show(bundle) then
         os.remove(dotname)
         if wrote_svg then os.remove(svgname) end
         return nil
      end
      print('graph.dot: wrote ' .. (wrote_svg and svgname or dotname))
   end
   return dotname, wrote_svg and svgname or nil
end

return graph
