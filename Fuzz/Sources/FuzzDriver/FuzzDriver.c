#include <stddef.h>
#include <stdint.h>
#include "FuzzDriver.h"

// libFuzzer's documented entry for programs that have their own main (compiler-rt FuzzerInterface.h).
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
// Defined in Swift (FuzzEntry.swift).
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int kaskada_fuzz_main(int argc, char **argv) {
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}
