-- gnuplot.histc and gnuplot.hist: Torch7's histogram of a tensor (a table
-- of bins with centres and counts, printable as a small text chart) and
-- its bar plot.
require 'torch'
local raise = torch._core.raise
local gnuplot = package.loaded.gnuplot

-- a text chart of the bins, `height` rows of bars over the bin centres
local function chart(h, height)
   height = height or 10
   local top = h[h.max].nb
   local lines = {}
   lines[1] = string.format('nsamples:  min:(bin:%d/#%d/cntr:%2.2f)  max:(bin:%d/#%d/cntr:%2.2f)',
      h.min, h[h.min].nb, h[h.min].val, h.max, h[h.max].nb, h[h.max].val)
   lines[2] = '--------:' .. string.rep('-', #h)
   for r = 1, height do
      local level = top * (height - r + 0.5) / height
      local row = {}
      for j = 1, #h do row[j] = h[j].nb >= level and h[j].nb > 0 and '|' or ' ' end
      lines[#lines + 1] = string.format('%1.2e:', top * (height - r + 1) / height) .. table.concat(row)
   end
   local axis, centres = {}, {}
   for j = 1, #h do
      local tick = (j - 2) % 6 == 0
      axis[j] = tick and '^' or '-'
      if tick then centres[#centres + 1] = string.format('%+.2f', h[j].val) end
   end
   lines[#lines + 1] = '--------:' .. table.concat(axis)
   lines[#lines + 1] = 'centers ' .. table.concat(centres, ' ')
   return table.concat(lines, '\n')
end

-- histc(t [, bins = 72, min, max, raw]): with raw, the counts tensor;
-- otherwise a table: h[i] = {val = centre, nb = count}, h.raw (counts),
-- h.bins, h.binwidth, h.max / h.min (indices of the fullest / emptiest bin)
function gnuplot.histc(t, bins, min, max, raw)
   if not torch.isTensor(t) then
      raise('gnuplot.histc: usage: gnuplot.histc(tensor [, nBins] [, min] [, max]); got a ' .. torch.type(t))
   end
   if t:nElement() == 0 then raise('gnuplot.histc: the tensor is empty') end
   bins = bins or 72
   if type(bins) ~= 'number' or bins < 1 or bins ~= math.floor(bins) then
      raise('gnuplot.histc: the number of bins must be a positive integer, got ' .. tostring(bins))
   end
   min = min or t:min()
   max = max or t:max()
   local counts = torch.histc(t:double(), bins, min, max)
   if raw then return counts end
   local h = { raw = counts, bins = bins, binwidth = (max - min) / bins }
   local lo, hi = 1, 1
   for i = 1, bins do
      h[i] = { val = min + (i - 0.5) * h.binwidth, nb = counts[i] }
      if counts[i] > counts[hi] then hi = i end
      if counts[i] < counts[lo] then lo = i end
   end
   h.max, h.min = hi, lo
   return setmetatable(h, { __tostring = chart })
end

-- hist(t [, bins, min, max]): plots the histogram as boxes; returns histc's table
function gnuplot.hist(t, bins, min, max)
   local h = gnuplot.histc(t, bins, min, max)
   local centres = torch.Tensor(#h)
   for i = 1, #h do centres[i] = h[i].val end
   gnuplot.bar(centres, h.raw)
   return h
end
