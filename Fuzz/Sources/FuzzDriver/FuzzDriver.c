// Declarations only: the definitions are libFuzzer's and the harness's.
#include "FuzzDriver.h"
