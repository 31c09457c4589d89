-- optim.FistaLS(f, g, pl, xinit [, params]): FISTA with backtracking
-- (Beck & Teboulle 2009), Torch7's interface. f(x[, 'dx']) is the smooth
-- part (returns f and, when asked, its gradient), g(x) the non-smooth
-- part, pl(x, L) the proximal step (in place). params: L (0.1), Lstep
-- (1.5), maxiter (50), maxline (20), errthres (1e-4), doFistaUpdate
-- (FISTA's momentum step when true; nil or false: ISTA, as Torch7's
-- code), verbose; params keeps L and its buffers (xkm, y, ply).
-- Returns the solution (also copied into xinit) and the history
-- ({nline, L, F, Fply, Gply, Q} per iteration).
local torch = require 'torch'
local raise = torch._core.raise

local function FistaLS(f, g, pl, xinit, params)
   if type(f) ~= 'function' or type(g) ~= 'function' or type(pl) ~= 'function' then
      raise('optim.FistaLS: expected functions f, g and pl')
   end
   if not torch.isTensor(xinit) then raise('optim.FistaLS: expected a tensor as xinit, got ' .. torch.type(xinit)) end
   params = params or {}
   local L = params.L or 0.1
   local Lstep = params.Lstep or 1.5
   local maxiter = params.maxiter or 50
   local maxline = params.maxline or 20
   local errthres = params.errthres or 1e-4
   -- as Torch7's code (its doc says true): nil runs ISTA steps (y = x_k)
   local doFistaUpdate = params.doFistaUpdate
   local verbose = params.verbose

   params.xkm = params.xkm or xinit.new()
   params.y = params.y or xinit.new()
   params.ply = params.ply or xinit.new()
   local xkm, y, ply = params.xkm, params.y, params.ply
   local xk = xinit
   xkm:resizeAs(xk):zero()
   ply:resizeAs(xk):zero()
   y:resizeAs(xk):zero()

   local history = {}
   local niter = 0
   local tk, tkp = 1, 0
   local fval = math.huge
   while niter < maxiter do
      local fy, gfy = f(y, 'dx')
      local fply, gply, Q = 0, 0, 0
      -- backtracking: grow L until F(pl(y)) <= Q(pl(y), y)
      local nline = 0
      local done = false
      while not done do
         ply:copy(y):add(-1 / L, gfy)
         pl(ply, L)
         xk:copy(ply)
         fply = f(ply)
         ply:add(-1, y)
         local Q2 = gfy:dot(ply)
         local Q3 = L / 2 * ply:dot(ply)
         Q = fy + Q2 + Q3
         if verbose then
            print(string.format('nline=%d L=%g fply=%g Q=%g fy=%g Q2=%g Q3=%g', nline, L, fply, Q, fy, Q2, Q3))
         end
         if fply <= Q then
            done = true
         elseif nline >= maxline then
            done = true
            xk:copy(xkm)   -- no better point: keep the previous iterate
         else
            L = L * Lstep
         end
         nline = nline + 1
      end

      if doFistaUpdate then
         tkp = (1 + math.sqrt(1 + 4 * tk * tk)) / 2
         xkm:add(-1, xk)
         y:copy(xk):add((1 - tk) / tkp, xkm)
         xkm:copy(xk)
      else
         y:copy(xk)
      end
      tk = tkp
      fply = f(y)
      gply = g(y)
      if verbose then print(string.format('iter=%d eold=%g enew=%g', niter, fval, fply + gply)) end
      niter = niter + 1
      fval = fply + gply
      history[niter] = { nline = nline, L = L, F = fval, Fply = fply, Gply = gply, Q = Q }
      params.L = L
      if verbose then
         history[niter].xk = xk:clone()
         history[niter].y = y:clone()
      end
      if niter > 1 and math.abs(history[niter].F - history[niter - 1].F) <= errthres then break end
   end
   xinit:copy(y)
   return y, history
end

return FistaLS
