-- tests/conformance/cases/copy.lua: conformance cases for the copy family
-- (runtime/copy.c): copy (same and converting dtypes, Half included,
-- reshaping, aliased, empty), fill, zero, get1, set1 (flat 0-based indices).
return {
   copy = function(T) return { T{4, 3}, T{4, 3} } end,
   ['copy#float_from_double'] = function(T) return { T({4, 3}, 'float'), T{4, 3} } end,
   ['copy#double_from_float'] = function(T) return { T{4, 3}, T({4, 3}, 'float') } end,
   ['copy#int_from_float'] = function(T) return { T({4, 3}, 'int'), T.ints({4, 3}, 'float', -50, 50) } end,
   ['copy#byte_from_long'] = function(T) return { T({3, 5}, 'byte'), T.long({3, 5}, 0, 255) } end,
   ['copy#char_from_short'] = function(T) return { T({6}, 'char'), T.ints({6}, 'short', -100, 100) } end,
   ['copy#long_from_byte'] = function(T) return { T({2, 3}, 'long'), T.ints({2, 3}, 'byte', 0, 255) } end,
   ['copy#half_from_double'] = function(T) return { T({4, 3}, 'half'), T{4, 3} } end,
   ['copy#float_from_half'] = function(T) return { T({4, 3}, 'float'), T({4, 3}, 'half') } end,
   ['copy#half_from_half'] = function(T) return { T({3, 4}, 'half'), T({3, 4}, 'half') } end,
   ['copy#half_from_int'] = function(T) return { T({5}, 'half'), T.ints({5}, 'int', -3000, 3000) } end,
   ['copy#reshape'] = function(T) return { T{12}, T{4, 3} } end,
   ['copy#alias'] = function(T) local x = T{4, 3}; return { x, x } end,
   ['copy#empty'] = function(T) return { T.out(), T.out() } end,

   fill = function(T) return { T{4, 3}, 0.5 } end,
   ['fill#int'] = function(T) return { T({5, 2}, 'int'), -7 } end,
   ['fill#byte'] = function(T) return { T({5}, 'byte'), 200 } end,
   ['fill#half'] = function(T) return { T({3, 2}, 'half'), 1 / 3 } end,
   ['fill#empty'] = function(T) return { T.out(), 1 } end,

   zero = function(T) return { T{4, 3} } end,
   ['zero#long'] = function(T) return { T({3, 2}, 'long') } end,
   ['zero#half'] = function(T) return { T({4}, 'half') } end,
   ['zero#empty'] = function(T) return { T.out('float') } end,

   get1 = function(T) return { T.box(), T{4, 3}, 5 } end,
   ['get1#long'] = function(T) return { T.box(), T.long({6}, 1, 9), 2 } end,
   ['get1#float'] = function(T) return { T.box(), T({2, 3}, 'float'), 5 } end,
   ['get1#half'] = function(T) return { T.box(), T({2, 3}, 'half'), 4 } end,

   set1 = function(T) return { T{4, 3}, 7, 0.25 } end,
   ['set1#char'] = function(T) return { T({5}, 'char'), 0, -3 } end,
   ['set1#float'] = function(T) return { T({2, 3}, 'float'), 4, 1.5 } end,
   ['set1#half'] = function(T) return { T({2, 3}, 'half'), 1, 0.1 } end,
}
