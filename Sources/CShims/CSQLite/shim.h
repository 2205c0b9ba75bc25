#include <sqlite3.h>

/* Binds a copy of the text or bytes (SQLITE_TRANSIENT, a cast of -1 that Swift cannot spell). */
static inline int kaskada_sqlite_bind_text(sqlite3_stmt *statement, int index, const char *text) {
    return sqlite3_bind_text(statement, index, text, -1, SQLITE_TRANSIENT);
}
static inline int kaskada_sqlite_bind_blob(sqlite3_stmt *statement, int index, const void *bytes, int count) {
    return sqlite3_bind_blob(statement, index, bytes, count, SQLITE_TRANSIENT);
}
