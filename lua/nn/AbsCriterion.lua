-- nn.AbsCriterion: sum |x - y|, averaged unless sizeAverage is false.
-- Kernels in runtime/nn/criterion.c; the class is THNN.pointwiseCriterion's.
local torch = require 'torch'
local nn = require 'nn'

local AbsCriterion, parent = torch.class('nn.AbsCriterion', 'nn.Criterion')

nn.THNN.pointwiseCriterion(AbsCriterion, parent, torch._core.C.NL_CRIT_ABS)
