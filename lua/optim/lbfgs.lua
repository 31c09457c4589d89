-- optim.lbfgs: limited-memory BFGS (after minFunc), Torch7's algorithm,
-- config and state. config: maxIter (20), maxEval (1.25 maxIter), tolFun
-- (1e-5), tolX (1e-9), nCorrection (100), lineSearch (e.g. optim.lswolfe;
-- without one, fixed steps of learningRate), lineSearchOptions,
-- learningRate (1), verbose. state keeps the history (old_dirs, old_stps,
-- Hdiag, g_old, f_old, t, d, funcEval, nIter) so a later call continues.
-- Returns x, the list of f values (f[1] before, f[#f] after), and the
-- number of evaluations.
local torch = require 'torch'
local raise = torch._core.raise
local util = require 'optim._util'

local function lbfgs(opfunc, x, config, state)
   util.check_args('lbfgs', opfunc, x, config, state)
   config = config or {}
   state = state or config
   local maxIter = tonumber(config.maxIter) or 20
   local maxEval = tonumber(config.maxEval) or maxIter * 1.25
   local tolFun = config.tolFun or 1e-5
   local tolX = config.tolX or 1e-9
   local nCorrection = config.nCorrection or 100
   local lineSearch = config.lineSearch
   local lineSearchOpts = config.lineSearchOptions
   local learningRate = config.learningRate or 1
   local verbose = config.verbose and function(...) print('<optim.lbfgs> ', ...) end or function() end
   if lineSearch ~= nil and type(lineSearch) ~= 'function' then
      raise('optim.lbfgs: lineSearch should be a function (e.g. optim.lswolfe), got ' .. type(lineSearch))
   end
   state.funcEval = state.funcEval or 0
   state.nIter = state.nIter or 0

   local f, g = util.eval('lbfgs', opfunc, x)
   local f_hist = { f }
   local currentFuncEval = 1
   state.funcEval = state.funcEval + 1

   state.tmp1 = state.tmp1 or g.new():resizeAs(g):zero()
   local tmp1 = state.tmp1
   tmp1:copy(g):abs()
   if tmp1:sum() <= tolFun then
      verbose('optimality condition below tolFun')
      return x, f_hist, currentFuncEval
   end

   -- recycled y/s buffers (allocated when first needed)
   state.dir_bufs = state.dir_bufs or {}
   state.stp_bufs = state.stp_bufs or {}
   local function pop(pool)
      return table.remove(pool) or g.new():resizeAs(g)
   end

   local d, t = state.d, state.t
   local old_dirs, old_stps = state.old_dirs, state.old_stps
   local Hdiag, g_old, f_old = state.Hdiag, state.g_old, state.f_old

   local nIter = 0
   while nIter < maxIter do
      nIter = nIter + 1
      state.nIter = state.nIter + 1

      -- descent direction
      if state.nIter == 1 then
         d = g:clone():mul(-1)
         old_dirs, old_stps = {}, {}
         Hdiag = 1
      else
         local y = pop(state.dir_bufs)
         local s = pop(state.stp_bufs)
         y:add(g, -1, g_old)
         s:mul(d, t)
         local ys = y:dot(s)
         if ys > 1e-10 then
            if #old_dirs == nCorrection then
               table.insert(state.dir_bufs, table.remove(old_dirs, 1))
               table.insert(state.stp_bufs, table.remove(old_stps, 1))
            end
            table.insert(old_dirs, s)
            table.insert(old_stps, y)
            Hdiag = ys / y:dot(y)
         else
            table.insert(state.dir_bufs, y)
            table.insert(state.stp_bufs, s)
         end

         -- two-loop recursion: d = -H g
         local k = #old_dirs
         local ro, al = {}, {}
         for i = 1, k do ro[i] = 1 / old_stps[i]:dot(old_dirs[i]) end
         local q = tmp1
         q:mul(g, -1)
         for i = k, 1, -1 do
            al[i] = old_dirs[i]:dot(q) * ro[i]
            q:add(-al[i], old_stps[i])
         end
         d:mul(q, Hdiag)
         for i = 1, k do
            local be_i = old_stps[i]:dot(d) * ro[i]
            d:add(al[i] - be_i, old_dirs[i])
         end
      end
      g_old = g_old or g:clone()
      g_old:copy(g)
      f_old = f

      -- step length
      local gtd = g:dot(d)
      if gtd > -tolX then break end
      if state.nIter == 1 then
         tmp1:copy(g):abs()
         t = math.min(1, 1 / tmp1:sum()) * learningRate
      else
         t = learningRate
      end

      local lsFuncEval = 0
      if lineSearch then
         f, g, x, t, lsFuncEval = lineSearch(opfunc, x, t, d, f, g, gtd, lineSearchOpts)
         table.insert(f_hist, f)
      else
         x:add(t, d)
         if nIter ~= maxIter then
            -- the last iteration needs no new value (stochastic settings)
            f, g = util.eval('lbfgs', opfunc, x)
            lsFuncEval = 1
            table.insert(f_hist, f)
         end
      end
      currentFuncEval = currentFuncEval + lsFuncEval
      state.funcEval = state.funcEval + lsFuncEval

      -- stopping conditions
      if nIter == maxIter then verbose('reached max number of iterations') break end
      if currentFuncEval >= maxEval then verbose('max nb of function evals') break end
      tmp1:copy(g):abs()
      if tmp1:sum() <= tolFun then verbose('optimality condition below tolFun') break end
      tmp1:copy(d):mul(t):abs()
      if tmp1:sum() <= tolX then verbose('step size below tolX') break end
      if math.abs(f - f_old) < tolX then verbose('function value changing less than tolX') break end
   end

   state.old_dirs, state.old_stps = old_dirs, old_stps
   state.Hdiag, state.g_old, state.f_old = Hdiag, g_old, f_old
   state.t, state.d = t, d
   return x, f_hist, currentFuncEval
end

return lbfgs
