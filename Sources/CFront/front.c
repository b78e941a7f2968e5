// The `porcheck` front's hand-over to the full porcheck, in C so that it can run before the
// Swift runtime starts.
//
// Why before: the front runs only `verify --no-record` itself; every other command line goes to
// porcheck-full. Starting the Swift runtime (its backtracer set-up, Dispatch's CPU count, its
// metadata) only to hand over costs ~0.9 ms and ~200 page faults, a tenth of a recorded check.
// A constructor runs before all of that and hands over at once when the line cannot be one the
// front runs: without the word `--no-record`, LeanVerify never runs (VerifyInvocation sets
// noRecord only from that exact word). Lines with it go on to main.swift, which decides exactly.
#include "CFront.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((noreturn)) void porcheck_exec_full(char *const argv[]) {
    static char beside[PATH_MAX + sizeof("porcheck-full")];
    const char *full = getenv("PORCHECK_FULL_BINARY");
    if (full == NULL) {
        full = "porcheck-full";
        ssize_t n = readlink("/proc/self/exe", beside, PATH_MAX);
        if (n > 0) {
            beside[n] = '\0';
            char *slash = strrchr(beside, '/');
            if (slash != NULL) {
                strcpy(slash + 1, "porcheck-full");
                full = beside;
            }
        }
    }
    execv(full, argv);
    char message[PATH_MAX + 256];
    int length = snprintf(message, sizeof message, "porcheck: cannot start %s (%s); it is installed beside porcheck\n",
                          full, strerror(errno));
    if (length > 0) {
        size_t size = (size_t)length < sizeof message ? (size_t)length : sizeof message - 1;
        ssize_t written = write(STDERR_FILENO, message, size);
        (void)written;
    }
    _exit(2);
}

// Priority 101, the first an application may use: before the Swift runtime's own initialisers.
// glibc hands constructors the program's arguments, as it does main.
__attribute__((constructor(101))) static void porcheck_front_hand_over_early(int argc, char **argv, char **envp) {
    (void)envp;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--no-record") == 0) return;
    }
    porcheck_exec_full(argv);
}
