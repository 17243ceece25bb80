/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-io.c: the engine's file operations on a machine, and the I/O fault
 * injector that can make each of them fail, tear or kill the process.
 *
 * WSINSTALL_FAULT items for I/O (debug builds only; see wsi-io-private.h
 * for the operation names):
 *   io-fail:OP:N:ERR       the Nth call of OP fails with ERR (ENOSPC, EIO or
 *                          EACCES) and has no effect;
 *   io-short:write:N:MODE  the Nth write puts only the first half of its
 *                          bytes on disk, then: crash (SIGKILL: a torn
 *                          write), continue (a legal short count; the rest
 *                          is written by the next call), or ENOSPC, EIO,
 *                          EACCES (the write fails with part of it on disk);
 *   io-crash:OP:N          SIGKILL right before the Nth call of OP; OP "any"
 *                          counts every I/O operation of every kind. */
#include "wsi-config.h"
#include "wsi-io-private.h"
#include "wsi-error.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#ifdef G_OS_WIN32
#include <windows.h>
#else
#include <sys/file.h>
#endif

/* A file the engine owns but that is no regular file: errno of
 * wsi_io_open(). */
#define WSI_IO_NOT_REGULAR ENODEV

static const char *const wsi_io_names[WSI_IO_N_OPS] = {
  "open", "write", "fsync", "rename", "unlink", "dirsync", "truncate", "lock",
};

const char *
wsi_io_op_to_string (WsiIoOp op)
{
  return op < WSI_IO_N_OPS ? wsi_io_names[op] : "unknown";
}

/* ---- the injector ---- */

typedef enum {
  WSI_IO_FAULT_FAIL,
  WSI_IO_FAULT_SHORT,
  WSI_IO_FAULT_CRASH,
} WsiIoFaultKind;

#define WSI_IO_ANY WSI_IO_N_OPS

typedef struct {
  WsiIoFaultKind kind;
  guint          op;      /* WsiIoOp, or WSI_IO_ANY */
  guint          nth;
  int            err;     /* 0: crash (short), -1: continue (short) */
} WsiIoFault;

static struct {
  gboolean  configured;
  gboolean  fired;
  GArray     *faults;                  /* WsiIoFault */
  GByteArray *trace;                   /* per call of any kind: 1 if it may modify the disk */
  guint     count[WSI_IO_N_OPS + 1];   /* per operation, and any */
} wsi_io_state;

static gboolean
wsi_io_parse_errno (const char *text, int *err)
{
  static const struct { const char *name; int value; } codes[] = {
    { "ENOSPC", ENOSPC }, { "EIO", EIO }, { "EACCES", EACCES },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (codes); i++)
    if (g_strcmp0 (text, codes[i].name) == 0)
      {
        *err = codes[i].value;
        return TRUE;
      }
  return FALSE;
}

static gboolean
wsi_io_parse_op (const char *text, gboolean any_ok, guint *op)
{
  if (any_ok && g_strcmp0 (text, "any") == 0)
    {
      *op = WSI_IO_ANY;
      return TRUE;
    }
  for (guint i = 0; i < WSI_IO_N_OPS; i++)
    if (g_strcmp0 (text, wsi_io_names[i]) == 0)
      {
        *op = i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
wsi_io_parse_item (const char *item, WsiIoFault *f)
{
  g_auto(GStrv) p = g_strsplit (item, ":", -1);
  guint n = g_strv_length (p);
  guint64 nth = 0;

  if (n < 3 || !g_ascii_string_to_unsigned (p[2], 10, 1, G_MAXUINT, &nth, NULL))
    return FALSE;
  f->nth = (guint) nth;
  if (g_strcmp0 (p[0], "io-fail") == 0)
    {
      f->kind = WSI_IO_FAULT_FAIL;
      return n == 4 && wsi_io_parse_op (p[1], FALSE, &f->op) && wsi_io_parse_errno (p[3], &f->err);
    }
  if (g_strcmp0 (p[0], "io-short") == 0)
    {
      f->kind = WSI_IO_FAULT_SHORT;
      f->op = WSI_IO_WRITE;
      if (n != 4 || g_strcmp0 (p[1], "write") != 0)
        return FALSE;
      if (g_strcmp0 (p[3], "crash") == 0)
        f->err = 0;
      else if (g_strcmp0 (p[3], "continue") == 0)
        f->err = -1;
      else if (!wsi_io_parse_errno (p[3], &f->err))
        return FALSE;
      return TRUE;
    }
  if (g_strcmp0 (p[0], "io-crash") == 0)
    {
      f->kind = WSI_IO_FAULT_CRASH;
      return n == 3 && wsi_io_parse_op (p[1], TRUE, &f->op);
    }
  return FALSE;
}

gboolean
wsi_io_fault_item_is_io (const char *item)
{
  return g_str_has_prefix (item, "io-");
}

static GArray *
wsi_io_faults_parse (const char *spec, GError **error)
{
  g_auto(GStrv) parts = g_strsplit (spec != NULL ? spec : "", ",", -1);
  g_autoptr(GArray) faults = g_array_new (FALSE, FALSE, sizeof (WsiIoFault));

  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *item = g_strstrip (parts[i]);
      WsiIoFault f = { 0 };
      if (!wsi_io_fault_item_is_io (item))
        continue;
      if (!wsi_io_parse_item (item, &f))
        {
          g_set_error (error, WSI_ERROR, WSI_ERROR_INVALID_ARGUMENT,
                       "WSINSTALL_FAULT: '%s' is not io-fail:OP:N:ERR, io-short:write:N:MODE or io-crash:OP:N", item);
          return NULL;
        }
      g_array_append_val (faults, f);
    }
  return g_steal_pointer (&faults);
}

gboolean
wsi_io_faults_validate (const char *spec, GError **error)
{
  g_autoptr(GArray) faults = wsi_io_faults_parse (spec, error);
  return faults != NULL;
}

gboolean
wsi_io_faults_configure (const char *spec, GError **error)
{
  g_autoptr(GArray) faults = wsi_io_faults_parse (spec, error);

  if (faults == NULL)
    return FALSE;
  if (!WSI_FAULT_INJECTION)
    return TRUE;
  g_clear_pointer (&wsi_io_state.faults, g_array_unref);
  g_clear_pointer (&wsi_io_state.trace, g_byte_array_unref);
  wsi_io_state.faults = g_steal_pointer (&faults);
  wsi_io_state.trace = g_byte_array_new ();
  memset (wsi_io_state.count, 0, sizeof wsi_io_state.count);
  wsi_io_state.configured = TRUE;
  wsi_io_state.fired = FALSE;
  return TRUE;
}

guint
wsi_io_get_count (guint op)
{
  return op <= WSI_IO_N_OPS ? wsi_io_state.count[op] : 0;
}

gboolean
wsi_io_call_modified (guint k)
{
  return wsi_io_state.trace != NULL && k >= 1 && k <= wsi_io_state.trace->len && wsi_io_state.trace->data[k - 1] != 0;
}

gboolean
wsi_io_faults_fired (void)
{
  return wsi_io_state.fired;
}

void
wsi_io_die (void)
{
  /* SIGKILL: no atexit handlers, nothing flushed, like a power cut for
   * whatever did not reach the disk (the WSC and the I/O injectors both). */
#ifdef G_OS_WIN32
  TerminateProcess (GetCurrentProcess (), 137);
#else
  kill (getpid (), SIGKILL);
#endif
  abort ();
}

/* Counts a call of @op (@modifying: whether it can change what is on disk;
 * the trace lets the matrix crash only where the disk state differs).
 * Returns the fault to inject into it, or NULL; dies for io-crash. */
static const WsiIoFault *
wsi_io_count (WsiIoOp op, gboolean modifying)
{
  const WsiIoFault *hit = NULL;

  if (!WSI_FAULT_INJECTION)
    return NULL;
  if (!wsi_io_state.configured)
    {
      /* Malformed items are reported by the backend's injector, which
       * parses the same variable; here they only disarm the I/O faults. */
      if (!wsi_io_faults_configure (g_getenv ("WSINSTALL_FAULT"), NULL))
        wsi_io_faults_configure (NULL, NULL);
    }
  wsi_io_state.count[op]++;
  wsi_io_state.count[WSI_IO_ANY]++;
  {
    guint8 m = modifying ? 1 : 0;
    g_byte_array_append (wsi_io_state.trace, &m, 1);
  }
  for (guint i = 0; i < wsi_io_state.faults->len; i++)
    {
      const WsiIoFault *f = &g_array_index (wsi_io_state.faults, WsiIoFault, i);
      if (f->nth != wsi_io_state.count[f->op] || (f->op != op && f->op != WSI_IO_ANY))
        continue;
      wsi_io_state.fired = TRUE;
      if (f->kind == WSI_IO_FAULT_CRASH)
        wsi_io_die ();
      hit = f;
    }
  return hit;
}

/* Applies an io-fail fault: -1 with its errno. */
static gboolean
wsi_io_failed (const WsiIoFault *f)
{
  if (f == NULL || f->kind != WSI_IO_FAULT_FAIL)
    return FALSE;
  errno = f->err;
  return TRUE;
}

/* ---- the operations ---- */

static int
wsi_io_check_regular (int fd)
{
  struct stat st;

  if (fstat (fd, &st) != 0)
    return -1;
  if (!S_ISREG (st.st_mode))
    {
      errno = S_ISDIR (st.st_mode) ? EISDIR : WSI_IO_NOT_REGULAR;
      return -1;
    }
  return 0;
}

int
wsi_io_open (const char *path, int flags, int mode)
{
  int fd;

  if (wsi_io_failed (wsi_io_count (WSI_IO_OPEN, (flags & (O_CREAT | O_TRUNC)) != 0)))
    return -1;
  fd = g_open (path, flags | O_BINARY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, mode);
  if (fd < 0)
    return -1;
  if (wsi_io_check_regular (fd) != 0)
    {
      int saved = errno;
      close (fd);
      errno = saved;
      return -1;
    }
#ifndef G_OS_WIN32
  /* O_NONBLOCK only kept a FIFO from blocking the open; a regular file's
   * reads and writes do not care, but say what is meant. */
  fcntl (fd, F_SETFL, fcntl (fd, F_GETFL) & ~O_NONBLOCK);
#endif
  return fd;
}

int
wsi_io_mkstemp (char *tmpl, int mode)
{
  if (wsi_io_failed (wsi_io_count (WSI_IO_OPEN, TRUE)))
    return -1;
  return g_mkstemp_full (tmpl, O_WRONLY | O_BINARY | O_CLOEXEC, mode);
}

static gssize
wsi_io_write_once (int fd, const char *buf, gsize len)
{
  gssize n;

  do
    n = write (fd, buf, len);
  while (n < 0 && errno == EINTR);
  if (n == 0)
    {
      /* A regular file that takes no byte is full. */
      errno = ENOSPC;
      return -1;
    }
  return n;
}

int
wsi_io_write_all (int fd, const void *data, gsize len)
{
  const char *buf = data;
  const WsiIoFault *f = wsi_io_count (WSI_IO_WRITE, TRUE);
  gsize off = 0;

  if (wsi_io_failed (f))
    return -1;
  if (f != NULL && f->kind == WSI_IO_FAULT_SHORT && len > 1)
    {
      gssize n = wsi_io_write_once (fd, buf, len / 2);
      if (n < 0)
        return -1;
      off = (gsize) n;
      if (f->err == 0)
        wsi_io_die ();
      if (f->err > 0)
        {
          errno = f->err;
          return -1;
        }
    }
  while (off < len)
    {
      gssize n = wsi_io_write_once (fd, buf + off, len - off);
      if (n < 0)
        return -1;
      off += (gsize) n;
    }
  return 0;
}

int
wsi_io_fsync (int fd)
{
  if (wsi_io_failed (wsi_io_count (WSI_IO_FSYNC, FALSE)))
    return -1;
  return fsync (fd);
}

int
wsi_io_truncate (int fd, gint64 size)
{
  if (wsi_io_failed (wsi_io_count (WSI_IO_TRUNCATE, TRUE)))
    return -1;
#ifdef G_OS_WIN32
  return _chsize_s (fd, size) == 0 ? 0 : -1;
#else
  return ftruncate (fd, (off_t) size);
#endif
}

int
wsi_io_rename (const char *from, const char *to)
{
  if (wsi_io_failed (wsi_io_count (WSI_IO_RENAME, TRUE)))
    return -1;
  return g_rename (from, to);
}

int
wsi_io_unlink (const char *path)
{
  if (wsi_io_failed (wsi_io_count (WSI_IO_UNLINK, TRUE)))
    return -1;
  return g_unlink (path);
}

int
wsi_io_fsync_dir (const char *path)
{
  if (wsi_io_failed (wsi_io_count (WSI_IO_DIRSYNC, FALSE)))
    return -1;
#ifdef G_OS_WIN32
  /* NTFS journals its metadata; there is no directory fsync. */
  return 0;
#else
  {
    g_autofree char *dir = g_path_get_dirname (path);
    int fd = open (dir, O_RDONLY | O_CLOEXEC);
    int rc, saved;
    if (fd < 0)
      return -1;
    rc = fsync (fd);
    saved = errno;
    close (fd);
    errno = saved;
    return rc;
  }
#endif
}

int
wsi_io_lock (int fd)
{
  if (wsi_io_failed (wsi_io_count (WSI_IO_LOCK, FALSE)))
    return -1;
#ifdef G_OS_WIN32
  return 0;
#else
  return flock (fd, LOCK_EX | LOCK_NB);
#endif
}

gboolean
wsi_io_set_error (GError **error, const char *what, const char *path)
{
  int saved = errno;

  if (saved == ELOOP || saved == EISDIR || saved == WSI_IO_NOT_REGULAR)
    g_set_error (error, WSI_ERROR, WSI_ERROR_FILE_NOT_REGULAR,
                 "%s %s: not a regular file (a symbolic link, a directory, a device or a FIFO)",
                 what, path);
  else
    g_set_error (error, WSI_ERROR, WSI_ERROR_IO, "%s %s: %s", what, path, g_strerror (saved));
  return FALSE;
}

gboolean
wsi_io_read_bounded (int fd, gsize max, GByteArray **out)
{
  g_autoptr(GByteArray) buf = g_byte_array_new ();

  for (;;)
    {
      guint8 chunk[65536];
      gssize n = read (fd, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return FALSE;
      if (n == 0)
        break;
      if (buf->len + (gsize) n > max)
        {
          errno = E2BIG;
          return FALSE;
        }
      g_byte_array_append (buf, chunk, (guint) n);
    }
  *out = g_steal_pointer (&buf);
  return TRUE;
}
