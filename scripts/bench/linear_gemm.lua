-- scripts/bench/linear_gemm.lua: the layouts nn.Linear's three products
-- could use, at the MLP's shapes (batch 128; 784 -> 1000 and 1000 -> 10;
-- float, 2 threads), timed interleaved in one run (best of many short
-- rounds, so that a loaded machine hurts all variants alike):
--   forward       out (N, O) = x (N, I) W^T      W as stored, or a cached W^T copy
--   input grad    gi (N, I)  = go (N, O) W       W, or the cached W^T read transposed
--   weight grad   gW (O, I) += go^T x            go read transposed, a go^T copy,
--                                                or gW^T (I, O) += x^T go
-- and the bias: the forward's bias fill + GEMM with beta = 1 (what
-- nn.Linear does) against a GEMM then a rank-1 update (addr).
--   build/nnlua scripts/bench/linear_gemm.lua [rounds=15]
local B = dofile(arg[0]:match('^(.*)/') .. '/util.lua')
torch.setnumthreads(2)
local rounds = tonumber(arg[1]) or 15

for _, sh in ipairs { { 128, 784, 1000 }, { 128, 1000, 10 } } do
   local N, I, O = unpack(sh)
   local x = torch.FloatTensor(N, I):uniform()
   local W = torch.FloatTensor(O, I):uniform()
   local Wt = W:t():contiguous()
   local b = torch.FloatTensor(O):uniform()
   local ones = torch.FloatTensor(N):fill(1)
   local out, go = torch.FloatTensor(N, O), torch.FloatTensor(N, O):uniform()
   local goT = torch.FloatTensor(O, N)
   local gi, gW, gWt = torch.FloatTensor(N, I), torch.FloatTensor(O, I):zero(), torch.FloatTensor(I, O):zero()
   local groups = {
      { 'forward', {
         { 'x W^T (W as stored)', function() out:addmm(0, out, 1, x, W:t()) end },
         { 'x Wt (cached W^T)', function() out:addmm(0, out, 1, x, Wt) end } } },
      { 'input grad', {
         { 'go W (W as stored)', function() gi:addmm(0, gi, 1, go, W) end },
         { 'go Wt^T (cached W^T)', function() gi:addmm(0, gi, 1, go, Wt:t()) end } } },
      { 'weight grad', {
         { 'gW += go^T x', function() gW:addmm(1, gW, 1, go:t(), x) end },
         { 'gW += (go^T copy) x', function() goT:copy(go:t()); gW:addmm(1, gW, 1, goT, x) end },
         { 'gW^T += x^T go', function() gWt:addmm(1, gWt, 1, x:t(), go) end } } },
      { 'bias', {
         { 'GEMM, then addr', function() out:addmm(0, out, 1, x, W:t()); out:addr(1, ones, b) end },
         { 'bias fill, GEMM beta=1', function() out:copy(b:expand(N, O)); out:addmm(1, out, 1, x, W:t()) end } } },
   }
   for _, g in ipairs(groups) do
      local best = {}
      for _ = 1, rounds do
         for i, v in ipairs(g[2]) do best[i] = math.min(best[i] or math.huge, B.best(v[2], 0.02)) end
      end
      for i, v in ipairs(g[2]) do
         print(string.format('%d-%d-%d %-11s %-24s %9.1f us %7.1f GFLOP/s  %.2fx the first', N, I, O, g[1], v[1],
            best[i] * 1e6, 2 * N * I * O / best[i] * 1e-9, best[i] / best[1]))
      end
   end
end
