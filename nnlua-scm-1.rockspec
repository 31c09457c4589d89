package = "nnlua"
version = "scm-1"
source = {
   url = "git+https://github.com/nnlua/nnlua.git",
}
description = {
   summary = "Torch7-style deep learning on LuaJIT with a C/OpenBLAS/CUDA core",
   detailed = [[
      nnlua runs Torch7 scripts (torch, nn, optim, cutorch, cunn, paths, xlua)
      on a C runtime reached through LuaJIT's FFI.
   ]],
   license = "BSD-3-Clause",
}
dependencies = {
   "lua >= 5.1",
}
build = {
   type = "make",
   -- the program finds its Lua packages and libraries in the rock's folder
   -- (share/nnlua), which luarocks leaves in place
   build_variables = {
      CFLAGS = "$(CFLAGS)",
      NNLUA_DATADIR = "$(PREFIX)/share/nnlua",
   },
   install_variables = {
      PREFIX = "$(PREFIX)",
      NNLUA_DATADIR = "$(PREFIX)/share/nnlua",
      NNLUA_LIBDIR = "$(PREFIX)/share/nnlua/lib",
   },
}
