// LeakSanitizer suppressions compiled into `kaskada` and the test binary, so that
// `swift test --sanitize=address` reports only Kaskada's own leaks without any environment
// variable. LeakSanitizer calls this function at start-up when the program is built with a
// sanitizer; otherwise nothing calls it. Each entry is a leak outside Kaskada, with what was seen
// (Swift 6.3.1):
// - XCTest: its runner keeps its suite objects to the end of its (empty) pass, 368 bytes;
// - readBytesFromFile: Foundation's FileManager.contents(atPath:) keeps its 4 KiB buffer when it
//   reads an empty file (found by the fuzz targets; Fuzz/lsan.supp has the same line);
// - Foundation.Process.run: a 32-byte weak-reference side table per launched process.
#include "CSanitizerDefaults.h"

__attribute__((used, visibility("default")))
const char *__lsan_default_suppressions(void) {
    return "leak:XCTest\n"
           "leak:readBytesFromFile\n"
           "leak:Foundation7ProcessC3run\n";
}
