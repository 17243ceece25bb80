/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-number-private.h: whole-string number parsing that is safe to run on
 * several threads at once (validate --jobs).
 *
 * Why not test errno after g_ascii_strtoll/g_ascii_strtoull: under glibc
 * they set up a "C" locale lazily, once, and a thread that waits for another
 * one to finish that set-up can come back with errno = EAGAIN although the
 * number parsed fine. errno means something only when the result is
 * saturated (ERANGE), so these helpers read it only then. GLib's own
 * g_ascii_string_to_signed/unsigned test any errno != 0 and have the same
 * race, so they are not used either. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A signed number in base 10 with the syntax of g_ascii_strtoll (optional
 * leading white space and sign), making up all of @text, from @min to @max. */
gboolean wsi_number_parse_signed   (const char *text,
                                    gint64      min,
                                    gint64      max,
                                    gint64     *out);

/* An unsigned number at the start of @text, up to @max: digits of @base
 * only (no white space, no sign; base 16 without "0x", which the caller
 * strips); base 0 reads C's 0x/0 prefixes as g_ascii_strtoull does.
 * *@end (when not NULL) points past the digits; FALSE when there are none
 * or the number exceeds @max. */
gboolean wsi_number_scan_unsigned  (const char  *text,
                                    guint        base,
                                    guint64      max,
                                    guint64     *out,
                                    const char **end);

/* The same, for a number that makes up all of @text. */
gboolean wsi_number_parse_unsigned (const char *text,
                                    guint       base,
                                    guint64     max,
                                    guint64    *out);

G_END_DECLS
