#ifndef PORCHECK_CFRONT_H
#define PORCHECK_CFRONT_H

/// Replaces this process with the full porcheck (`porcheck-full` beside this executable, or the
/// one `PORCHECK_FULL_BINARY` names), with the same arguments and environment. Returns only by
/// exiting with code 2 and a one-line message, when that program cannot be started.
__attribute__((noreturn)) void porcheck_exec_full(char *const argv[]);

#endif
