/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-reg-file-private.h: a reader for the text files regedit and
 * `reg export` write (.reg), REGEDIT4 (ANSI) and version 5.00 (UTF-16LE
 * with a BOM). The reader knows the syntax only; what the keys mean is the
 * importer's business, so it hands every key and value to callbacks. */
#pragma once

#include <glib.h>

#include "wsi-diag.h"

G_BEGIN_DECLS

/* Nothing wsinstall imports comes near this; a bigger value is refused
 * before it is allocated. */
#define WSI_REG_MAX_VALUE_SIZE (16u * 1024 * 1024)

typedef enum {
  WSI_REG_FILE_REGEDIT4,   /* "REGEDIT4": ANSI (Windows-1252) text */
  WSI_REG_FILE_REGEDIT5,   /* "Windows Registry Editor Version 5.00" */
} WsiRegFileFormat;

typedef enum {
  WSI_REG_KEY_SKIP,        /* not interesting: its values are not delivered */
  WSI_REG_KEY_WANT,        /* deliver its values */
  WSI_REG_KEY_ABORT,       /* stop; the callback has added a diagnostic */
} WsiRegKeyAction;

typedef struct {
  /* A key header "[PATH]" (@deleted: "[-PATH]"), PATH as written. */
  WsiRegKeyAction (*key)   (const char  *path,
                            gboolean     deleted,
                            int          line,
                            gpointer     user_data);
  /* A value of the last wanted key. @name is "" for the default value
   * ("@"). @data is NULL for a deletion ("name"=-). Strings (quoted, and
   * hex(1)/hex(2)/hex(7) of a REGEDIT4 file) are delivered as UTF-16LE
   * with their terminating NUL, as the registry stores them. Return FALSE
   * to stop (after adding a diagnostic). */
  gboolean        (*value) (const char  *name,
                            guint32      type,
                            GBytes      *data,
                            int          line,
                            gpointer     user_data);
} WsiRegFileHandler;

/* Parses a whole .reg file held in memory. Syntax errors add reg-malformed
 * (with the line) and return FALSE; a callback's refusal returns FALSE
 * too. *@format receives the file's format when the header was read. */
gboolean  wsi_reg_file_parse  (const guint8            *data,
                               gsize                    len,
                               const char              *display_name,
                               const WsiRegFileHandler *handler,
                               gpointer                 user_data,
                               WsiRegFileFormat        *format,
                               WsiDiagList             *diags);

/* Windows-1252 <-> Unicode, as MultiByteToWideChar does it (the five
 * undefined bytes map to the C1 controls of the same value). */
gunichar  wsi_cp1252_to_unichar (guint8    byte);
gboolean  wsi_unichar_to_cp1252 (gunichar  c,
                                 guint8   *out);

G_END_DECLS
