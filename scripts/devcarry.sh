#!/bin/sh
# Collects into build/devcarry/ what a lent GPU machine lacks to run the suite
# (it starts bare and cannot install packages): LuaJIT, OpenBLAS (OpenMP
# build) and its Fortran runtime, libgomp, readline, and busted with its
# Lua modules. scripts/device-env.sh makes them usable there; pass
# `build/devcarry` and the four build outputs (nnlua, libnnlua.so, libnnlua_cuda.so,
# libnnlua_standin.so) in the device tool's carry list (about 40 MB).
#   scripts/devcarry.sh && (on the device) . scripts/device-env.sh && nnlua_busted tests/cuda
set -eu
cd "$(dirname "$0")/.."
[ -x build/nnlua ] || { echo "devcarry: build first (make)"; exit 1; }
D=build/devcarry
rm -rf "$D"
mkdir -p "$D/bin" "$D/lib" "$D/share/lua" "$D/clib"
cp "$(readlink -f "$(command -v luajit)")" "$D/bin/luajit"
cp /usr/bin/busted "$D/bin/busted"
# the shared libraries of the host program and the runtime, outside glibc
for f in build/nnlua build/libnnlua.so "$D/bin/luajit"; do
   ldd "$f" | awk '/=> \// { print $3 }'
done | sort -u | while read -r lib; do
   case "$(basename "$lib")" in
      libc.so*|libm.so*|libdl.so*|libpthread.so*|librt.so*|ld-linux*|libnnlua*) ;;
      *) cp -L "$lib" "$D/lib/" ;;
   esac
done
# busted and what it requires (pure Lua, plus three small C modules)
for m in busted busted.lua cliargs cliargs.lua dkjson.lua luassert mediator.lua pl say system term; do
   [ -e "/usr/share/lua/5.1/$m" ] && cp -r "/usr/share/lua/5.1/$m" "$D/share/lua/"
done
C=/usr/lib/$(gcc -print-multiarch)/lua/5.1
for m in lfs.so system term; do
   [ -e "$C/$m" ] && cp -r "$C/$m" "$D/clib/"
done
du -sh "$D" | awk '{ print "devcarry: " $1 " in build/devcarry/" }'
