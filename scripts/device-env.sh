# Sourced on a lent GPU machine (scripts/bench and GPU specs there): makes
# the carried Debian runtime (build/devcarry/: LuaJIT, OpenBLAS, busted) usable
# on a machine that cannot install packages.
D=$(pwd)/build/devcarry
export LD_LIBRARY_PATH="$D/lib:${CUDA_HOME:-/usr/local/cuda}/lib64:${LD_LIBRARY_PATH:-}"
export LUA_PATH="$D/share/lua/?.lua;$D/share/lua/?/init.lua;;"
export LUA_CPATH="$D/clib/?.so;;"
nnlua_busted() { "$D/bin/luajit" "$D/bin/busted" --helper=tests/helper.lua "$@"; }
