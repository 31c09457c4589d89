-- nn.SpatialPadding(pad_l [, pad_r, pad_t, pad_b]) (nnx): zero padding of
-- the last two dimensions (negative values crop), as nn.SpatialZeroPadding;
-- pad_r, pad_t, pad_b default to pad_l.
local nn = require 'nn'

local SpatialPadding, parent = torch.class('nn.SpatialPadding', 'nn.SpatialZeroPadding')

function SpatialPadding:__init(pad_l, pad_r, pad_t, pad_b, y_dim, x_dim, val)
   if type(pad_l) ~= 'number' then
      error('nn.SpatialPadding(pad_l [, pad_r, pad_t, pad_b]): pad_l should be a number, got ' .. type(pad_l), 3)
   end
   if (y_dim and y_dim ~= 2) or (x_dim and x_dim ~= 3) or (val and val ~= 0) then
      error('nn.SpatialPadding: only zero padding of the last two dimensions of a 3D input (y_dim 2, x_dim 3, val 0) is provided', 3)
   end
   parent.__init(self, pad_l, pad_r or pad_l, pad_t or pad_l, pad_b or pad_l)
end

return SpatialPadding
