// Atomic exchange of two paths (Linux renameat2 RENAME_EXCHANGE). Swift's Glibc module does not
// export renameat2 (it needs _GNU_SOURCE), so the call goes through this header.
#ifndef KASKADA_EXCHANGE_H
#define KASKADA_EXCHANGE_H

/// Swaps the two existing paths `a` and `b` in one atomic step. Returns 0 on success, else -1
/// with errno set (ENOSYS or EINVAL where the kernel or file system cannot exchange).
int kaskada_exchange_paths(const char *a, const char *b);

#endif
