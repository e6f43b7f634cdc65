#ifndef APPJUDGE_CSYSTEM_H
#define APPJUDGE_CSYSTEM_H
#include <spawn.h>
/// glibc declares these only under _GNU_SOURCE, which Swift's Glibc module does not define.
int csystem_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);
int csystem_pipe_cloexec(int fds[2]);
/// prctl(PR_SET_CHILD_SUBREAPER, 1): orphans below this process are reparented to it (prctl is
/// variadic, which Swift cannot call).
int csystem_become_subreaper(void);
#endif
