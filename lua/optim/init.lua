-- optim: Torch7's optimisation package. Each algorithm is one file with
-- Torch7's signature: x, {f} = optim.name(opfunc, x [, config [, state]]).
require 'torch'
local reg = debug.getregistry()
if reg.nnlua_optim then
   package.loaded.optim = reg.nnlua_optim
   _G.optim = reg.nnlua_optim
   return reg.nnlua_optim
end
local optim = {}
reg.nnlua_optim = optim
package.loaded.optim = optim
_G.optim = optim

for _, name in ipairs {
   'sgd', 'asgd', 'nag', 'adagrad', 'adadelta', 'adam', 'adamax', 'rmsprop', 'rprop', 'lbfgs', 'lswolfe',
   'cg', 'polyinterp', 'cmaes', 'de', 'ConfusionMatrix', 'Logger', 'checkgrad',
} do
   local v = require('optim.' .. name)
   if type(v) == 'function' then optim[name] = v end
end
-- Torch7 names FISTA optim.FistaLS
optim.FistaLS = require 'optim.fista'

return optim
