-- nn.SpatialReplicationPadding(pad_l, [pad_r], [pad_t], [pad_b]): pads the last two
-- dimensions of (N,)C,H,W inputs, the edge repeated; unset pads default to pad_l
-- as in Torch7. The class is made by nn/spatial_padding.lua (mode 2).
return require('nn.spatial_padding')('nn.SpatialReplicationPadding', 2)
