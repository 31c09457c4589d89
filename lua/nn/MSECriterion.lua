-- nn.MSECriterion: mean squared error: sum (x - y)^2, averaged unless sizeAverage is false.
-- Kernels in runtime/nn/criterion.c; the class is THNN.pointwiseCriterion's.
local torch = require 'torch'
local nn = require 'nn'

local MSECriterion, parent = torch.class('nn.MSECriterion', 'nn.Criterion')

nn.THNN.pointwiseCriterion(MSECriterion, parent, torch._core.C.NL_CRIT_MSE)
