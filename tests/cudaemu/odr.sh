#!/bin/sh
# odr.sh OBJECT...: fails when two of the CUDA backend's objects define the
# same weak (inline or template) symbol of the project's own code: the
# linker keeps one of the definitions, for the emulator as for nvcc's build
# (two files each with their own `struct Fill` and its run<T>: every call
# runs one file's code). Library code (thrust, the C++ library) is left out.
dups=$(for o in "$@"; do
   nm -C --defined-only "$o" | awk '$2 ~ /^[WVu]$/' | cut -d' ' -f3- | sort -u
done | grep -v -E 'thrust::|std::|cub::|__gnu_cxx|DW\.ref|nl_cuda_tmp::' | sort | uniq -d)
if [ -n "$dups" ]; then
   echo "cudaemu: these inline or template functions are defined in more than one cuda/*.cu file" >&2
   echo "(name clash: the linker keeps one definition; rename one or make it static):" >&2
   echo "$dups" | head -20 >&2
   exit 1
fi
