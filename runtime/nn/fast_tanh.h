/* fast_tanh.h: tanh for float as a rational function (odd degree-13
 * numerator over an even degree-6 denominator, clamped where tanh rounds
 * to +-1 in float): branch-free, so loops calling it vectorise. Within 2
 * ulp of tanhf over the float range. Used by nn.Tanh (activation.c) and
 * the LSTM cell (lstm.c). */
#ifndef NL_FAST_TANH_H
#define NL_FAST_TANH_H

static inline float nl_fast_tanhf(float x) {
   const float lim = 7.90531110763549805f;
   x = x > lim ? lim : (x < -lim ? -lim : x);
   const float x2 = x * x;
   float p = -2.76076847742355e-16f;
   p = p * x2 + 2.00018790482477e-13f;
   p = p * x2 - 8.60467152213735e-11f;
   p = p * x2 + 5.12229709037114e-08f;
   p = p * x2 + 1.48572235717979e-05f;
   p = p * x2 + 6.37261928875436e-04f;
   p = p * x2 + 4.89352455891786e-03f;
   p = p * x;
   float q = 1.19825839466702e-06f;
   q = q * x2 + 1.18534705686654e-04f;
   q = q * x2 + 2.26843463243900e-03f;
   q = q * x2 + 4.89352518554385e-03f;
   return p / q;
}

#endif
