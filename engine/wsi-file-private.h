/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-file-private.h: the descriptor-level file I/O the engine shares
 * between Linux and Windows (the C runtime's open/read/close). */
#pragma once

#include <glib.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#ifdef G_OS_WIN32
#include <io.h>
/* The C runtime's flush to disk. */
#define fsync _commit
#else
#include <unistd.h>
#endif

/* Windows needs O_BINARY, or the C runtime turns CR LF into LF and stops at
 * ^Z (a .reg file is UTF-16 with CR LF); it has no O_CLOEXEC. */
#ifndef O_BINARY
#define O_BINARY 0
#endif
#ifndef O_CLOEXEC
#define O_CLOEXEC 0
#endif
