-- nn.SoftMarginCriterion: two-class logistic loss log(1 + exp(-y x)), targets +-1.
-- Kernels in runtime/nn/criterion.c; the class is THNN.pointwiseCriterion's.
local torch = require 'torch'
local nn = require 'nn'

local SoftMarginCriterion, parent = torch.class('nn.SoftMarginCriterion', 'nn.Criterion')

nn.THNN.pointwiseCriterion(SoftMarginCriterion, parent, torch._core.C.NL_CRIT_SOFTMARGIN)
