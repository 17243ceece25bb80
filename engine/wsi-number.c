/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-number.c: see wsi-number-private.h for why errno is read only when a
 * result is saturated. */
#include "wsi-number-private.h"

#include <errno.h>

gboolean
wsi_number_parse_signed (const char *text, gint64 min, gint64 max, gint64 *out)
{
  char *end = NULL;
  gint64 v;

  g_return_val_if_fail (out != NULL, FALSE);
  if (text == NULL || *text == '\0')
    return FALSE;
  errno = 0;
  v = g_ascii_strtoll (text, &end, 10);
  if (end == text || *end != '\0')
    return FALSE;
  /* A saturated result is an overflow only if the call said so; a number
   * that is exactly G_MAXINT64 or G_MININT64 is a number. */
  if ((v == G_MAXINT64 || v == G_MININT64) && errno == ERANGE)
    return FALSE;
  if (v < min || v > max)
    return FALSE;
  *out = v;
  return TRUE;
}

gboolean
wsi_number_scan_unsigned (const char *text, guint base, guint64 max, guint64 *out, const char **end)
{
  char *stop = NULL;
  guint64 v;

  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (base == 0 || (base >= 2 && base <= 36), FALSE);
  /* g_ascii_strtoull skips white space and negates after a '-'
   * ("-1" is G_MAXUINT64); and in base 16 it takes a second "0x". None of
   * these is a number any input of ours writes. */
  if (text == NULL || !g_ascii_isalnum (*text))
    return FALSE;
  if (base == 16 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
    return FALSE;
  errno = 0;
  v = g_ascii_strtoull (text, &stop, base);
  if (stop == text)
    return FALSE;
  if (v == G_MAXUINT64 && errno == ERANGE)
    return FALSE;
  if (v > max)
    return FALSE;
  *out = v;
  if (end != NULL)
    *end = stop;
  return TRUE;
}

gboolean
wsi_number_parse_unsigned (const char *text, guint base, guint64 max, guint64 *out)
{
  const char *end = NULL;
  guint64 v;

  if (!wsi_number_scan_unsigned (text, base, max, &v, &end) || *end != '\0')
    return FALSE;
  *out = v;
  return TRUE;
}
