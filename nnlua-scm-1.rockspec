package = "nnlua"
version = "scm-1"
source = {
   url = "git+file:///work/main",
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
   build_variables = {
      CFLAGS = "$(CFLAGS)",
   },
   install_variables = {
      PREFIX = "$(PREFIX)",
   },
}
