-- nn.SpatialZeroPadding(pad_l, [pad_r], [pad_t], [pad_b]): pads the last two
-- dimensions of (N,)C,H,W inputs, zeros (negative pads crop); unset pads default to pad_l
-- as in Torch7. The class is made by nn/spatial_padding.lua (mode 0).
return require('nn.spatial_padding')('nn.SpatialZeroPadding', 0)
