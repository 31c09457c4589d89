-- tests/conformance/cases/sort.lua: conformance cases for sort and topk
-- (runtime/sort.c). Integer inputs hold repeated values (stability).
return {
   sort = function(T) return { T.out(), T.out('long'), T{4, 5}, 1, 0 } end,
   ['sort#descending'] = function(T) return { T.out('float'), T.out('long'), T({5, 3}, 'float'), 0, 1 } end,
   ['sort#int'] = function(T) return { T.out('int'), T.out('long'), T({20}, 'int'), 0, 0 } end,
   ['sort#alias'] = function(T) local x = T{3, 4}; return { x, T.out('long'), x, 1, 0 } end,
   ['sort#empty'] = function(T) return { T.out(), T.out('long'), T{0}, 0, 0 } end,
   topk = function(T) return { T.out(), T.out('long'), T{4, 6}, 3, 1, 1, 1 } end,
   ['topk#smallest'] = function(T) return { T.out('short'), T.out('long'), T({5, 4}, 'short'), 2, 0, 0, 1 } end,
   ['topk#alias'] = function(T) local x = T{6}; return { x, T.out('long'), x, 2, 0, 1, 1 } end,
   ['topk#empty'] = function(T) return { T.out(), T.out('long'), T{3, 4}, 0, 1, 1, 1 } end,
}
