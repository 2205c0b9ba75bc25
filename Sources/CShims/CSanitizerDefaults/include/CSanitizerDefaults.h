// LeakSanitizer's built-in suppressions for builds with --sanitize=address (see the .c file).
#pragma once
const char *__lsan_default_suppressions(void);
