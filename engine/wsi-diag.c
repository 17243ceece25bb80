/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-diag.c */
#include "wsi-diag.h"
#include "wsi-tags.h"

#include <stdarg.h>

struct _WsiDiagList {
  GPtrArray *items;  /* WsiDiag* */
  guint      next_seq;
};

const char *
wsi_severity_to_string (WsiSeverity severity)
{
  switch (severity)
    {
    case WSI_SEVERITY_ERROR: return "error";
    case WSI_SEVERITY_WARNING: return "warning";
    case WSI_SEVERITY_INFO: return "info";
    default: return "error";
    }
}

void
wsi_diag_free (WsiDiag *diag)
{
  if (diag == NULL)
    return;
  g_free (diag->tag);
  g_free (diag->file);
  g_free (diag->message);
  g_free (diag->hint);
  g_free (diag);
}

/* Takes @text; returns it, or a valid UTF-8 copy with U+FFFD for bad bytes. */
static char *
wsi_diag_utf8 (char *text)
{
  char *valid;

  if (text == NULL || g_utf8_validate (text, -1, NULL))
    return text;
  valid = g_utf8_make_valid (text, -1);
  g_free (text);
  return valid;
}

WsiDiagList *
wsi_diag_list_new (void)
{
  WsiDiagList *self = g_new0 (WsiDiagList, 1);
  self->items = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_diag_free);
  return self;
}

void
wsi_diag_list_free (WsiDiagList *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->items);
  g_free (self);
}

WsiDiag *
wsi_diag_list_add_valist (WsiDiagList *self, const char *tag, const char *file,
                          int line, const char *format, va_list args)
{
  const WsiTagInfo *info = wsi_tag_lookup (tag);
  WsiDiag *diag = g_new0 (WsiDiag, 1);

  /* An unregistered tag is a programming error: the registry is the contract. */
  if (info == NULL)
    g_critical ("diagnostic tag '%s' is not registered in wsi-tags.c", tag);
  diag->tag = g_strdup (tag);
  diag->severity = info != NULL ? info->severity : WSI_SEVERITY_ERROR;
  /* Messages quote untrusted input (and libxml2 cuts its excerpts in the
   * middle of a character); every renderer needs UTF-8. */
  diag->file = wsi_diag_utf8 (g_strdup (file));
  diag->line = MAX (line, 0);
  diag->message = wsi_diag_utf8 (g_strdup_vprintf (format, args));
  diag->hint = info != NULL && info->hint != NULL ? g_strdup (info->hint) : NULL;
  diag->seq = self->next_seq++;
  g_ptr_array_add (self->items, diag);
  return diag;
}

WsiDiag *
wsi_diag_list_add (WsiDiagList *self, const char *tag, const char *file,
                   int line, const char *format, ...)
{
  va_list args;
  WsiDiag *diag;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (tag != NULL, NULL);

  va_start (args, format);
  diag = wsi_diag_list_add_valist (self, tag, file, line, format, args);
  va_end (args);
  return diag;
}

void
wsi_diag_set_hint (WsiDiag *diag, const char *format, ...)
{
  va_list args;

  g_return_if_fail (diag != NULL);
  va_start (args, format);
  g_free (diag->hint);
  diag->hint = wsi_diag_utf8 (g_strdup_vprintf (format, args));
  va_end (args);
}

void
wsi_diag_list_take_all (WsiDiagList *self, WsiDiagList *other)
{
  g_return_if_fail (self != NULL && other != NULL);
  for (guint i = 0; i < other->items->len; i++)
    {
      WsiDiag *d = g_ptr_array_steal_index (other->items, i--);
      d->seq = self->next_seq++;
      g_ptr_array_add (self->items, d);
    }
}

guint
wsi_diag_list_get_size (const WsiDiagList *self)
{
  return self->items->len;
}

const WsiDiag *
wsi_diag_list_get (const WsiDiagList *self, guint index)
{
  g_return_val_if_fail (index < self->items->len, NULL);
  return g_ptr_array_index (self->items, index);
}

guint
wsi_diag_list_count (const WsiDiagList *self, WsiSeverity severity)
{
  guint n = 0;
  for (guint i = 0; i < self->items->len; i++)
    {
      const WsiDiag *d = g_ptr_array_index (self->items, i);
      if (d->severity == severity)
        n++;
    }
  return n;
}

gboolean
wsi_diag_list_has_errors (const WsiDiagList *self)
{
  return wsi_diag_list_count (self, WSI_SEVERITY_ERROR) > 0;
}

gboolean
wsi_diag_list_has_tag (const WsiDiagList *self, const char *tag)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      const WsiDiag *d = g_ptr_array_index (self->items, i);
      if (g_strcmp0 (d->tag, tag) == 0)
        return TRUE;
    }
  return FALSE;
}

static gint
wsi_diag_compare (gconstpointer a, gconstpointer b)
{
  const WsiDiag *da = *(const WsiDiag * const *) a;
  const WsiDiag *db = *(const WsiDiag * const *) b;
  int c = g_strcmp0 (da->file, db->file);

  if (c != 0)
    return c;
  if (da->line != db->line)
    return (da->line > db->line) - (da->line < db->line);
  /* g_ptr_array_sort is not stable: insertion order breaks ties. */
  return (da->seq > db->seq) - (da->seq < db->seq);
}

void
wsi_diag_list_sort (WsiDiagList *self)
{
  g_ptr_array_sort (self->items, wsi_diag_compare);
}
