-- optim.polyinterp(points [, xminBound, xmaxBound]): the minimiser of the
-- polynomial interpolating N points given as an N x 3 tensor of
-- (x, f, f') rows, as Torch7's (from minFunc). Two points without bounds:
-- the closed-form cubic step. With bounds: the cubic's critical points
-- and the bounds are tested and the lowest value inside wins (Torch7
-- solves the system with gels and the roots with eig; here the 4x4
-- system is solved by elimination and the quadratic's roots in closed
-- form, which is all two points need). Returns minPos (and fmin when
-- bounded).
local torch = require 'torch'
local raise = torch._core.raise

-- Solves A c = b (n x n, Lua tables) by Gaussian elimination with
-- partial pivoting; nil when singular.
local function solve(A, b, n)
   for k = 1, n do
      local p, best = k, math.abs(A[k][k])
      for i = k + 1, n do
         if math.abs(A[i][k]) > best then p, best = i, math.abs(A[i][k]) end
      end
      if best == 0 then return nil end
      A[k], A[p] = A[p], A[k]
      b[k], b[p] = b[p], b[k]
      for i = k + 1, n do
         local m = A[i][k] / A[k][k]
         for j = k, n do A[i][j] = A[i][j] - m * A[k][j] end
         b[i] = b[i] - m * b[k]
      end
   end
   local c = {}
   for i = n, 1, -1 do
      local s = b[i]
      for j = i + 1, n do s = s - A[i][j] * c[j] end
      c[i] = s / A[i][i]
   end
   return c
end

-- Real roots of the polynomial with coefficients c (highest first), as
-- Torch7's roots(): tiny coefficients are zeroed, leading zeros dropped,
-- trailing zeros are roots at 0. Complex roots are left out.
local function real_roots(c)
   local cs = {}
   for i = 1, #c do cs[i] = math.abs(c[i]) < 1e-12 and 0 or c[i] end
   local first
   for i = 1, #cs do if cs[i] ~= 0 then first = i break end end
   if not first then return {} end
   local p = {}
   for i = first, #cs do p[#p + 1] = cs[i] end
   local nz = 0
   while #p > 0 and p[#p] == 0 do p[#p] = nil nz = nz + 1 end
   local r = {}
   local n = #p - 1
   if n == 1 then
      r[1] = -p[2] / p[1]
   elseif n == 2 then
      local a, b, cc = p[1], p[2], p[3]
      local disc = b * b - 4 * a * cc
      if disc >= 0 then
         local s = math.sqrt(disc)
         -- the stable pair of formulas
         local q = -0.5 * (b + (b >= 0 and s or -s))
         r[1] = q / a
         r[2] = q ~= 0 and cc / q or r[1]
      end
   elseif n > 2 then
      raise('optim.polyinterp: more than two points are not supported')
   end
   for _ = 1, nz do r[#r + 1] = 0 end
   return r
end

local function polyinterp(points, xminBound, xmaxBound)
   if not torch.isTensor(points) or points:dim() ~= 2 or points:size(2) ~= 3 then
      raise('optim.polyinterp: expected an N x 3 tensor of (x, f, df) rows')
   end
   local n = points:size(1)
   local P = {}
   for i = 1, n do P[i] = { points[i][1], points[i][2], points[i][3] } end
   local order = n * 2 - 1

   if n == 2 and not xminBound and not xmaxBound then
      local lo = P[2][1] < P[1][1] and 2 or 1   -- first minimum, as min(1)
      local hi = 3 - lo
      local d1 = P[lo][3] + P[hi][3] - 3 * (P[lo][2] - P[hi][2]) / (P[lo][1] - P[hi][1])
      local d2 = math.sqrt(d1 ^ 2 - P[lo][3] * P[hi][3])
      if d2 == d2 then
         local t = P[hi][1] - (P[hi][1] - P[lo][1]) * ((P[hi][3] + d2 - d1) / (P[hi][3] - P[lo][3] + 2 * d2))
         return math.min(math.max(t, P[lo][1]), P[hi][1])
      end
      return (P[1][1] + P[2][1]) / 2
   end
   if n > 2 then raise('optim.polyinterp: more than two points are not supported') end

   local xmin, xmax = math.huge, -math.huge
   for i = 1, n do xmin, xmax = math.min(xmin, P[i][1]), math.max(xmax, P[i][1]) end
   xminBound = xminBound or xmin
   xmaxBound = xmaxBound or xmax

   -- constraints on the values, then on the derivatives
   local A, b = {}, {}
   for i = 1, n do
      local row = {}
      for j = order, 0, -1 do row[order - j + 1] = P[i][1] ^ j end
      A[i], b[i] = row, P[i][2]
   end
   for i = 1, n do
      local row = {}
      for j = 1, order do row[j] = (order - j + 1) * P[i][1] ^ (order - j) end
      row[order + 1] = 0
      A[n + i], b[n + i] = row, P[i][3]
   end
   local params = solve(A, b, order + 1)
   local cand = { xminBound, xmaxBound }
   for i = 1, n do cand[#cand + 1] = P[i][1] end
   if params then
      for i = 1, #params do if math.abs(params[i]) <= 1e-12 then params[i] = 0 end end
      local dparams, finite = {}, true
      for i = 1, #params - 1 do
         dparams[i] = params[i] * (order - i + 1)
         if dparams[i] ~= dparams[i] or dparams[i] == math.huge then finite = false end
      end
      if finite then
         for _, r in ipairs(real_roots(dparams)) do cand[#cand + 1] = r end
      end
   end

   local fmin = math.huge
   local minPos = (xminBound + xmaxBound) / 2
   if not params then return minPos, fmin end
   for _, xc in ipairs(cand) do
      if xc >= xminBound and xc <= xmaxBound then
         local v, pw = 0, #params
         for i = 1, #params do
            pw = pw - 1
            v = v + params[i] * xc ^ pw
         end
         if v < fmin then minPos, fmin = xc, v end
      end
   end
   return minPos, fmin
end

return polyinterp
