-- nn.SpatialReflectionPadding(pad_l, [pad_r], [pad_t], [pad_b]): pads the last two
-- dimensions of (N,)C,H,W inputs, mirrored (the edge not repeated; pads smaller than the image); unset pads default to pad_l
-- as in Torch7. The class is made by nn/spatial_padding.lua (mode 1).
return require('nn.spatial_padding')('nn.SpatialReflectionPadding', 1)
