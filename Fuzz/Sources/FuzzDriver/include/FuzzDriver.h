// libFuzzer's entry points as C declarations, for the Swift side of the harnesses.
#include <stddef.h>
#include <stdint.h>

// Runs libFuzzer from a program that has a main of its own (LLVM 11 and later). The harnesses
// need it because SwiftPM makes each executable's Swift entry point the program's main.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

// The harness's test function, defined in Swift with @_cdecl.
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
