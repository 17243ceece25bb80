/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-io-private.h: the engine's own file operations on the machine it
 * changes — the journal, the snapshot's atomic replacement, the lock file —
 * go through these few calls and nothing else, so that the I/O fault
 * injector (WSINSTALL_FAULT "io-…" items, debug builds only) sees every one
 * of them, as SQLite's VFS shim does. Each returns what the POSIX call
 * returns (-1 and errno on failure).
 *
 * Operations, as named in the fault syntax: open, write, fsync, rename,
 * unlink, dirsync (fsync of a directory), truncate, lock. Every call of one
 * operation is counted from the start of the process (1-based). */
#pragma once

#include <glib.h>

#include "wsi-file-private.h"

G_BEGIN_DECLS

#ifndef O_NOFOLLOW
#define O_NOFOLLOW 0
#endif
#ifndef O_NONBLOCK
#define O_NONBLOCK 0
#endif

typedef enum {
  WSI_IO_OPEN,
  WSI_IO_WRITE,
  WSI_IO_FSYNC,
  WSI_IO_RENAME,
  WSI_IO_UNLINK,
  WSI_IO_DIRSYNC,
  WSI_IO_TRUNCATE,
  WSI_IO_LOCK,
  WSI_IO_N_OPS,
} WsiIoOp;

const char *wsi_io_op_to_string (WsiIoOp op);

/* open(2) of a file the engine owns: never follows a symbolic link as the
 * last component (O_NOFOLLOW) and never blocks on a FIFO (O_NONBLOCK, reset
 * once open); anything but a regular file is closed again and refused with
 * errno EINVAL (ELOOP for a link), so a device or a FIFO can never be
 * written, read without end, or truncated. */
int      wsi_io_open       (const char *path, int flags, int mode);
/* mkstemp in the directory of @tmpl (a name ending in XXXXXX); counted as
 * an open. */
int      wsi_io_mkstemp    (char *tmpl, int mode);
/* Writes all of @len bytes, looping over short writes and EINTR; -1 with
 * errno when the disk refuses (some bytes may then be on disk). */
int      wsi_io_write_all  (int fd, const void *buf, gsize len);
int      wsi_io_fsync      (int fd);
int      wsi_io_truncate   (int fd, gint64 size);
int      wsi_io_rename     (const char *from, const char *to);
int      wsi_io_unlink     (const char *path);
/* fsync of the directory holding @path, so a create or rename in it
 * survives a power cut (a no-op returning 0 on Windows). */
int      wsi_io_fsync_dir  (const char *path);
/* flock(LOCK_EX | LOCK_NB) (0 on Windows, which locks with a mutex). */
int      wsi_io_lock       (int fd);

/* Sets @error (WSI_ERROR_IO) from errno after a failed call above: "WHAT
 * PATH: reason", or, for a symbolic link, a directory, a device or a FIFO,
 * a message starting "file-not-regular: " (the CLI's tag). Returns FALSE. */
gboolean wsi_io_set_error  (GError **error, const char *what, const char *path);

/* Reads @fd to its end, at most @max bytes: FALSE with errno E2BIG when
 * there is more, so a size cap holds whatever fstat says. */
gboolean wsi_io_read_bounded (int fd, gsize max, GByteArray **out);

/* The I/O faults of @spec (the WSINSTALL_FAULT syntax; items that do not
 * start with "io-" are the backend's and skipped) replace the current ones
 * and the counters restart. FALSE with WSI_ERROR_INVALID_ARGUMENT for a
 * malformed io- item. Without fault injection in the build: no effect. */
gboolean wsi_io_faults_configure (const char *spec, GError **error);
/* Checks the io- items of @spec without arming them. */
gboolean wsi_io_faults_validate  (const char *spec, GError **error);
/* Whether @item (one comma-separated element of WSINSTALL_FAULT) is an
 * I/O fault; its syntax is checked by wsi_io_faults_configure(). */
gboolean wsi_io_fault_item_is_io (const char *item);
/* Whether an injected I/O fault fired since the last configure (tests use
 * it to tell when N has passed the last operation). */
gboolean wsi_io_faults_fired     (void);
/* Kills the process the way a crash does (fault injection's crash:N and
 * io-crash:...). */
G_GNUC_NORETURN void wsi_io_die  (void);
/* Calls of @op counted since the last configure (WSI_IO_N_OPS: of every
 * kind); only with fault injection in the build. A run without faults
 * tells the matrix how many cases of each kind there are: with a single
 * fault, the run is fault-free up to it. */
guint    wsi_io_get_count        (guint op);
/* Whether call @k (1-based, of any kind) could change what is on disk
 * (a write, truncate, rename, unlink, or an open that creates or
 * truncates). A process killed before call k+1 leaves the disk as one
 * killed before call k when call k could not: the matrix crashes only
 * after calls that could. */
gboolean wsi_io_call_modified    (guint k);

G_END_DECLS
