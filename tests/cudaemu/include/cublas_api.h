// cublas_api.h of the CUDA emulator
#pragma once
#include "cublas_v2.h"
