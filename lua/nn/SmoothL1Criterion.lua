-- nn.SmoothL1Criterion: Huber loss: 0.5 d^2 when |d| < 1, else |d| - 0.5.
-- Kernels in runtime/nn/criterion.c; the class is THNN.pointwiseCriterion's.
local torch = require 'torch'
local nn = require 'nn'

local SmoothL1Criterion, parent = torch.class('nn.SmoothL1Criterion', 'nn.Criterion')

nn.THNN.pointwiseCriterion(SmoothL1Criterion, parent, torch._core.C.NL_CRIT_SMOOTHL1)
