-- optim.lswolfe(opfunc, x, t, d, f, g, gtd [, options]): a line search
-- satisfying the strong Wolfe conditions (bracketing, then zoom with
-- cubic interpolation), Torch7's algorithm (from minFunc). options: c1
-- (1e-4), c2 (0.9), tolX (1e-9), maxIter (20). Moves x to x + t*d and
-- returns f_new, g_new, x, t, lsFuncEval.
local torch = require 'torch'
local raise = torch._core.raise
local polyinterp = require 'optim.polyinterp'

local function lswolfe(opfunc, x, t, d, f, g, gtd, options)
   if type(opfunc) ~= 'function' then raise('optim.lswolfe: expected a function as opfunc, got ' .. type(opfunc)) end
   if not torch.isTensor(x) or not torch.isTensor(d) or not torch.isTensor(g) then
      raise('optim.lswolfe: expected tensors x, d and g')
   end
   if type(t) ~= 'number' or type(f) ~= 'number' or type(gtd) ~= 'number' then
      raise('optim.lswolfe: expected numbers t, f and gtd')
   end
   options = options or {}
   local c1 = options.c1 or 1e-4
   local c2 = options.c2 or 0.9
   local tolX = options.tolX or 1e-9
   local maxIter = options.maxIter or 20
   local abs, min, max = math.abs, math.min, math.max
   local p = g:nElement()

   local x_init = x:clone()
   x:add(t, d)
   local f_new, g_new = opfunc(x)
   local lsFuncEval = 1
   local gtd_new = g_new:dot(d)

   -- bracket an interval containing a point satisfying the Wolfe criteria
   local LSiter, t_prev, done = 0, 0, false
   local f_prev, g_prev, gtd_prev = f, g:clone(), gtd
   local bt, bf, bg          -- bracket: steps, values, gradients (rows)
   local function bracket2(t1, f1, g1, t2, f2, g2)
      bt, bf = { t1, t2 }, { f1, f2 }
      bg = g.new(2, p)
      bg[1]:copy(g1)
      bg[2]:copy(g2)
   end
   while LSiter < maxIter do
      if f_new > f + c1 * t * gtd or (LSiter > 1 and f_new >= f_prev) then
         bracket2(t_prev, f_prev, g_prev, t, f_new, g_new)
         break
      elseif abs(gtd_new) <= -c2 * gtd then
         bt, bf = { t }, { f_new }
         bg = g.new(1, p)
         bg[1]:copy(g_new)
         done = true
         break
      elseif gtd_new >= 0 then
         bracket2(t_prev, f_prev, g_prev, t, f_new, g_new)
         break
      end
      -- extrapolate
      local tmp = t_prev
      t_prev = t
      local minStep = t + 0.01 * (t - tmp)
      local maxStep = t * 10
      t = polyinterp(torch.DoubleTensor { { tmp, f_prev, gtd_prev }, { t, f_new, gtd_new } }, minStep, maxStep)
      f_prev = f_new
      g_prev = g_new:clone()
      gtd_prev = gtd_new
      x:copy(x_init):add(t, d)
      f_new, g_new = opfunc(x)
      lsFuncEval = lsFuncEval + 1
      gtd_new = g_new:dot(d)
      LSiter = LSiter + 1
   end
   if LSiter == maxIter then
      bracket2(0, f, g, t, f_new, g_new)
   end

   -- zoom: refine the bracket until a point satisfies the criteria
   local insufProgress = false
   while not done and LSiter < maxIter do
      local LOpos = bf[2] < bf[1] and 2 or 1
      local f_LO = bf[LOpos]
      local HIpos = 3 - LOpos
      t = polyinterp(torch.DoubleTensor { { bt[1], bf[1], bg[1]:dot(d) }, { bt[2], bf[2], bg[2]:dot(d) } })
      local bmax, bmin = max(bt[1], bt[2]), min(bt[1], bt[2])
      if min(bmax - t, t - bmin) / (bmax - bmin) < 0.1 then
         if insufProgress or t >= bmax or t <= bmin then
            if abs(t - bmax) < abs(t - bmin) then t = bmax - 0.1 * (bmax - bmin)
            else t = bmin + 0.1 * (bmax - bmin) end
            insufProgress = false
         else
            insufProgress = true
         end
      else
         insufProgress = false
      end
      x:copy(x_init):add(t, d)
      f_new, g_new = opfunc(x)
      lsFuncEval = lsFuncEval + 1
      gtd_new = g_new:dot(d)
      LSiter = LSiter + 1
      if f_new > f + c1 * t * gtd or f_new >= f_LO then
         bt[HIpos], bf[HIpos] = t, f_new
         bg[HIpos]:copy(g_new)
      else
         if abs(gtd_new) <= -c2 * gtd then
            done = true
         elseif gtd_new * (bt[HIpos] - bt[LOpos]) >= 0 then
            bt[HIpos], bf[HIpos] = bt[LOpos], bf[LOpos]
            bg[HIpos]:copy(bg[LOpos])
         end
         bt[LOpos], bf[LOpos] = t, f_new
         bg[LOpos]:copy(g_new)
      end
      if not done and abs((bt[1] - bt[2]) * gtd_new) < tolX then break end
   end

   local LOpos = (#bf == 2 and bf[2] < bf[1]) and 2 or 1
   t = bt[LOpos]
   x:copy(x_init):add(t, d)
   return bf[LOpos], bg[LOpos], x, t, lsFuncEval
end

return lswolfe
