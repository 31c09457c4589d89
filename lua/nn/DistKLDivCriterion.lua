-- nn.DistKLDivCriterion: Kullback-Leibler divergence of log-probabilities x against probabilities y.
-- Kernels in runtime/nn/criterion.c; the class is THNN.pointwiseCriterion's.
local torch = require 'torch'
local nn = require 'nn'

local DistKLDivCriterion, parent = torch.class('nn.DistKLDivCriterion', 'nn.Criterion')

nn.THNN.pointwiseCriterion(DistKLDivCriterion, parent, torch._core.C.NL_CRIT_DISTKLDIV)
