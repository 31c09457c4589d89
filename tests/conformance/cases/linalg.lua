-- tests/conformance/cases/linalg.lua: conformance cases for the LAPACK
-- family (runtime/linalg.c). Matrices that must be invertible or positive
-- definite are T.spd; character arguments are their byte values.
local V, N, U, L, S, A = ('V'):byte(), ('N'):byte(), ('U'):byte(), ('L'):byte(), ('S'):byte(), ('A'):byte()

return {
   gesv = function(T) return { T.out(), T.out(), T{3, 2}, T.spd(3) } end,
   ['gesv#vector_float'] = function(T) return { T.out('float'), T.out('float'), T({4}, 'float'), T.spd(4, 'float') } end,
   ['gesv#alias'] = function(T) local b, a = T{3, 2}, T.spd(3); return { b, a, b, a } end,
   gels = function(T) return { T.out(), T.out(), T{5, 2}, T{5, 3} } end,
   ['gels#float'] = function(T) return { T.out('float'), T.out('float'), T({4}, 'float'), T({4, 2}, 'float') } end,
   inverse = function(T) return { T.out(), T.spd(3) } end,
   ['inverse#alias'] = function(T) local a = T.spd(4, 'float'); return { a, a } end,
   symeig = function(T) return { T.out(), T.out(), T.spd(3), V, U } end,
   ['symeig#values_lower'] = function(T) return { T.out('float'), T.out('float'), T.spd(4, 'float'), N, L } end,
   eig = function(T) return { T.out(), T.out(), T{3, 3}, V } end,
   ['eig#values'] = function(T) return { T.out('float'), T.out('float'), T.spd(3, 'float'), N } end,
   svd = function(T) return { T.out(), T.out(), T.out(), T{4, 3}, S } end,
   ['svd#all'] = function(T) return { T.out(), T.out(), T.out(), T{3, 4}, A } end,
   potrf = function(T) return { T.out(), T.spd(3), U } end,
   ['potrf#lower_float'] = function(T) return { T.out('float'), T.spd(4, 'float'), L } end,
   potrs = function(T) return { T.out(), T{3, 2}, T.spd(3), U } end,
   ['potrs#lower'] = function(T) return { T.out(), T{3}, T.spd(3), L } end,
   potri = function(T) return { T.out(), T.spd(3), U } end,
   ['potri#lower'] = function(T) return { T.out('float'), T.spd(3, 'float'), L } end,
   qr = function(T) return { T.out(), T.out(), T{4, 3} } end,
   ['qr#wide'] = function(T) return { T.out(), T.out(), T{3, 4} } end,
}
