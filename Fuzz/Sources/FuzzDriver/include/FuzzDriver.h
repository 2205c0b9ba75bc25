// SwiftPM links an executable target with `main` defined as `<module>_main` (kaskada_fuzz_main);
// this file gives that symbol and hands control to libFuzzer's driver.
#pragma once
int kaskada_fuzz_main(int argc, char **argv);
