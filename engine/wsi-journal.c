/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-journal.c */
#include "wsi-journal.h"
#include "wsi-error.h"

#include <string.h>
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>

#include "wsi-io-private.h"

/* Far above any plan's journal; bounds what recovery reads. */
#define WSI_JOURNAL_MAX_SIZE (64u * 1024 * 1024)

struct _WsiJournal {
  int      fd;
  char    *path;
  gsize    size;     /* bytes of complete records */
  guint    seq;      /* of the next record */
  gboolean broken;   /* a failed write could not be cut back */
};

const char *
wsi_journal_state_to_string (WsiJournalState state)
{
  switch (state)
    {
    case WSI_JOURNAL_NONE: return "not started";
    case WSI_JOURNAL_IN_PROGRESS: return "in progress";
    case WSI_JOURNAL_COMMITTED: return "committed";
    case WSI_JOURNAL_ROLLED_BACK: return "rolled back";
    case WSI_JOURNAL_ROLLBACK_INCOMPLETE: return "rollback incomplete";
    default: return "unknown";
    }
}

static const char *
wsi_journal_state_key (WsiJournalState state)
{
  switch (state)
    {
    case WSI_JOURNAL_COMMITTED: return "committed";
    case WSI_JOURNAL_ROLLED_BACK: return "rolled-back";
    case WSI_JOURNAL_ROLLBACK_INCOMPLETE: return "rollback-incomplete";
    default: return "in-progress";
    }
}

char *
wsi_journal_default_path (const char *machine_path)
{
  return g_strconcat (machine_path, ".journal", NULL);
}

/* ---- the record format ----
 *
 * Journal 2: one record a line, "JSON<TAB>SUM\n". The JSON object starts
 * with "seq", 0 for the begin record and one more for every record after
 * it; SUM is the first 16 hex digits of the SHA-256 of the JSON text. A
 * line without its newline is a write the crash cut (torn): it never
 * happened. A complete line whose sum or sequence number is wrong is
 * damage (journal-corrupt). Journal 1 (before sums) had bare JSON lines; it
 * is still read when no line has a sum, so a run interrupted by an older
 * wsinstall can be recovered by this one. */

#define WSI_JOURNAL_SUM_LEN 16

static void
wsi_journal_sum (const char *json, gsize len, char out[WSI_JOURNAL_SUM_LEN + 1])
{
  g_autofree char *hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) json, len);

  memcpy (out, hex, WSI_JOURNAL_SUM_LEN);
  out[WSI_JOURNAL_SUM_LEN] = '\0';
}

/* Appends one record (@json: an object "{...}" without "seq"). Every write
 * is checked; a failed one is cut back off the file, so the next record
 * starts where this one would have, and the journal never holds a torn line
 * in its middle. When even the cut fails the journal refuses further
 * records: the next recover cuts the tail when it opens the journal. */
static gboolean
wsi_journal_write (WsiJournal *self, const char *json, gboolean sync, GError **error)
{
  g_autofree char *line = NULL;
  g_autofree char *text = NULL;
  char sum[WSI_JOURNAL_SUM_LEN + 1];
  const char *what = "writing the journal";

  g_return_val_if_fail (json[0] == '{', FALSE);
  if (self->broken)
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_IO, "the journal %s is unwritable after an earlier failure", self->path);
      return FALSE;
    }
  line = json[1] == '}' ? g_strdup_printf ("{\"seq\":%u}", self->seq)
                        : g_strdup_printf ("{\"seq\":%u,%s", self->seq, json + 1);
  wsi_journal_sum (line, strlen (line), sum);
  text = g_strdup_printf ("%s\t%s\n", line, sum);
  if (wsi_io_write_all (self->fd, text, strlen (text)) == 0)
    {
      what = "syncing the journal";
      if (!sync || wsi_io_fsync (self->fd) == 0)
        {
          self->size += strlen (text);
          self->seq++;
          return TRUE;
        }
    }
  wsi_io_set_error (error, what, self->path);
  if (wsi_io_truncate (self->fd, (gint64) self->size) != 0 || wsi_io_fsync (self->fd) != 0)
    self->broken = TRUE;
  return FALSE;
}

static WsiJournal *
wsi_journal_open (const char *path, int flags, GError **error)
{
  WsiJournal *self;
  int fd = wsi_io_open (path, flags | O_WRONLY, 0600);

  if (fd < 0)
    {
      wsi_io_set_error (error, "cannot open the journal", path);
      return NULL;
    }
  self = g_new0 (WsiJournal, 1);
  self->fd = fd;
  self->path = g_strdup (path);
  return self;
}

WsiJournal *
wsi_journal_create (const char *path, const char *action, guint n_steps, GError **error)
{
  /* O_APPEND: after a failed record is cut back, the next one must land at
   * the new end, not at the old offset (a hole of zeros). */
  g_autoptr(WsiJournal) self = wsi_journal_open (path, O_CREAT | O_APPEND, error);
  g_autofree char *line = NULL;
  g_autofree char *quoted = NULL;

  if (self == NULL)
    return NULL;
  /* Truncated only once it is known to be a regular file (O_TRUNC at open
   * would have emptied whatever the path named). An old journal is
   * finished: recovery ran before this. */
  if (wsi_io_truncate (self->fd, 0) != 0)
    {
      wsi_io_set_error (error, "cannot empty the journal", path);
      return NULL;
    }
  {
    g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
    json_node_set_string (node, action);
    quoted = json_to_string (node, FALSE);
  }
  line = g_strdup_printf ("{\"record\":\"begin\",\"journal\":2,\"action\":%s,\"steps\":%u}", quoted, n_steps);
  if (!wsi_journal_write (self, line, TRUE, error))
    return NULL;
  /* The journal's directory entry must survive a power cut too. */
  if (wsi_io_fsync_dir (path) != 0)
    {
      wsi_io_set_error (error, "syncing the directory of the journal", path);
      return NULL;
    }
  return g_steal_pointer (&self);
}

gboolean
wsi_journal_intent (WsiJournal *self, const WsiPlanStep *step, GError **error)
{
  g_autofree char *json = wsi_plan_step_to_json (step);
  g_autofree char *line = g_strdup_printf ("{\"record\":\"intent\",\"step\":%s}", json);
  return wsi_journal_write (self, line, TRUE, error);
}

gboolean
wsi_journal_done (WsiJournal *self, guint index, GArray *assigned, GError **error)
{
  g_autoptr(GString) line = g_string_new (NULL);

  g_string_append_printf (line, "{\"record\":\"done\",\"index\":%u,\"assigned\":[", index);
  for (guint i = 0; assigned != NULL && i < assigned->len; i++)
    g_string_append_printf (line, "%s%u", i > 0 ? "," : "", g_array_index (assigned, guint32, i));
  g_string_append (line, "]}");
  return wsi_journal_write (self, line->str, FALSE, error);
}

gboolean
wsi_journal_undone (WsiJournal *self, guint index, gboolean ok, GError **error)
{
  g_autofree char *line = g_strdup_printf ("{\"record\":\"undone\",\"index\":%u,\"ok\":%s}", index,
                                           ok ? "true" : "false");
  return wsi_journal_write (self, line, FALSE, error);
}

gboolean
wsi_journal_end (WsiJournal *self, WsiJournalState state, GError **error)
{
  g_autofree char *line = g_strdup_printf ("{\"record\":\"end\",\"state\":\"%s\"}", wsi_journal_state_key (state));
  return wsi_journal_write (self, line, TRUE, error);
}

void
wsi_journal_close (WsiJournal *self)
{
  if (self == NULL)
    return;
  close (self->fd);
  g_free (self->path);
  g_free (self);
}

static gboolean
wsi_journal_corrupt (GError **error, const char *path, guint line, const char *what)
{
  g_set_error (error, WSI_ERROR, WSI_ERROR_JOURNAL_CORRUPT, "%s line %u: %s", path, line, what);
  return FALSE;
}

/* What a read of the journal found. */
typedef struct {
  WsiJournalState state;
  GPtrArray      *intents;   /* WsiPlanStep */
  gboolean        exists;
  gsize           good_len;  /* bytes of complete records; the rest is a torn tail */
  guint           next_seq;
} WsiJournalScan;

static void
wsi_journal_scan_clear (WsiJournalScan *scan)
{
  g_clear_pointer (&scan->intents, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (WsiJournalScan, wsi_journal_scan_clear)

/* Splits "JSON<TAB>SUM" and checks the sum; *json points into @line.
 * Returns FALSE for a line that has a sum that is wrong; *checked says
 * whether it had one. */
static gboolean
wsi_journal_check_sum (char *line, gboolean *checked)
{
  char *tab = strrchr (line, '\t');
  char sum[WSI_JOURNAL_SUM_LEN + 1];

  *checked = FALSE;
  if (tab == NULL)
    return TRUE;
  *checked = TRUE;
  if (strlen (tab + 1) != WSI_JOURNAL_SUM_LEN)
    return FALSE;
  wsi_journal_sum (line, (gsize) (tab - line), sum);
  if (memcmp (sum, tab + 1, WSI_JOURNAL_SUM_LEN) != 0)
    return FALSE;
  *tab = '\0';
  return TRUE;
}

static gboolean
wsi_journal_scan (const char *path, WsiJournalScan *scan, GError **error)
{
  g_autoptr(GByteArray) buf = NULL;
  g_autoptr(GError) local = NULL;
  gsize len, start = 0;
  guint lineno = 0;
  gboolean begun = FALSE;
  int any_checked = -1;   /* unknown until the first line */
  int fd;

  scan->state = WSI_JOURNAL_NONE;
  scan->intents = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_plan_step_free);
  fd = wsi_io_open (path, O_RDONLY, 0);
  if (fd < 0 && errno == ENOENT)
    return TRUE;
  if (fd < 0)
    return wsi_io_set_error (error, "cannot read the journal", path);
  scan->exists = TRUE;
  /* Bounded by what read() returns, not by st_size (0 for a device). */
  if (!wsi_io_read_bounded (fd, WSI_JOURNAL_MAX_SIZE, &buf))
    {
      int saved = errno;
      close (fd);
      if (saved == E2BIG)
        return wsi_journal_corrupt (error, path, 0, "larger than any journal wsinstall writes");
      errno = saved;
      return wsi_io_set_error (error, "cannot read the journal", path);
    }
  close (fd);
  len = buf->len;

  while (start < len)
    {
      const char *nl = memchr (buf->data + start, '\n', len - start);
      g_autofree char *line = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      gboolean checked = FALSE;
      JsonObject *o;
      const char *record;
      gsize llen;

      /* No newline: the write of the last record was cut by the crash or
       * the full disk; that record never happened. */
      if (nl == NULL)
        break;
      lineno++;
      llen = (gsize) (nl - (const char *) buf->data) - start;
      line = g_strndup ((const char *) buf->data + start, llen);
      start += llen + 1;
      if (memchr (buf->data + start - llen - 1, '\0', llen) != NULL)
        return wsi_journal_corrupt (error, path, lineno, "binary data");
      if (line[0] == '\0' && any_checked != 1)
        continue;   /* journal 1 ended a torn line with an empty one */
      if (!wsi_journal_check_sum (line, &checked))
        return wsi_journal_corrupt (error, path, lineno, "the record's checksum does not match");
      if (any_checked == -1)
        any_checked = checked;
      else if (any_checked != checked)
        return wsi_journal_corrupt (error, path, lineno, "records with and without checksums");
      if (!json_parser_load_from_data (parser, line, -1, NULL) || json_parser_get_root (parser) == NULL ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        return wsi_journal_corrupt (error, path, lineno, "not a JSON object");
      o = json_node_get_object (json_parser_get_root (parser));
      if (checked)
        {
          JsonNode *seq = json_object_get_member (o, "seq");
          if (seq == NULL || json_node_get_value_type (seq) != G_TYPE_INT64 ||
              json_node_get_int (seq) != (gint64) scan->next_seq)
            return wsi_journal_corrupt (error, path, lineno, "a record out of sequence");
        }
      scan->next_seq++;
      scan->good_len = start;
      record = json_object_get_string_member_with_default (o, "record", "");
      if (!begun && g_strcmp0 (record, "begin") != 0)
        return wsi_journal_corrupt (error, path, lineno, "the journal does not start with a begin record");
      if (g_strcmp0 (record, "begin") == 0)
        {
          if (begun)
            return wsi_journal_corrupt (error, path, lineno, "a second begin record");
          begun = TRUE;
          scan->state = WSI_JOURNAL_IN_PROGRESS;
        }
      else if (g_strcmp0 (record, "intent") == 0)
        {
          JsonNode *step_node = json_object_get_member (o, "step");
          g_autofree char *step_json = NULL;
          WsiPlanStep *step;
          if (step_node == NULL || !JSON_NODE_HOLDS_OBJECT (step_node))
            return wsi_journal_corrupt (error, path, lineno, "an intent without a step");
          step_json = json_to_string (step_node, FALSE);
          step = wsi_plan_step_from_json (step_json, &local);
          if (step == NULL || step->undo == NULL)
            {
              if (step != NULL)
                wsi_plan_step_free (step);
              return wsi_journal_corrupt (error, path, lineno,
                                          local != NULL ? local->message : "an intent without an undo");
            }
          g_ptr_array_add (scan->intents, step);
        }
      else if (g_strcmp0 (record, "end") == 0)
        {
          const char *s = json_object_get_string_member_with_default (o, "state", "");
          if (g_strcmp0 (s, "committed") == 0)
            scan->state = WSI_JOURNAL_COMMITTED;
          else if (g_strcmp0 (s, "rolled-back") == 0)
            scan->state = WSI_JOURNAL_ROLLED_BACK;
          else if (g_strcmp0 (s, "rollback-incomplete") == 0)
            scan->state = WSI_JOURNAL_ROLLBACK_INCOMPLETE;
          else
            return wsi_journal_corrupt (error, path, lineno, "an end record with an unknown state");
        }
      else if (g_strcmp0 (record, "done") != 0 && g_strcmp0 (record, "undone") != 0)
        return wsi_journal_corrupt (error, path, lineno, "an unknown record");
    }
  /* Empty, or the begin record never became durable (the truncating open,
   * then ENOSPC, EIO or a kill): nothing was started. */
  return TRUE;
}

gboolean
wsi_journal_read (const char *path, WsiJournalState *state, GPtrArray **intents, GError **error)
{
  g_auto(WsiJournalScan) scan = { 0 };

  *state = WSI_JOURNAL_NONE;
  *intents = NULL;
  if (!wsi_journal_scan (path, &scan, error))
    return FALSE;
  *state = scan.state;
  *intents = g_steal_pointer (&scan.intents);
  return TRUE;
}

gboolean
wsi_journal_is_stale (const char *path)
{
  GStatBuf st;
  g_auto(WsiJournalScan) scan = { 0 };

  return g_lstat (path, &st) == 0 && S_ISREG (st.st_mode) && wsi_journal_scan (path, &scan, NULL) &&
         scan.state == WSI_JOURNAL_NONE;
}

WsiJournal *
wsi_journal_open_append (const char *path, GError **error)
{
  g_auto(WsiJournalScan) scan = { 0 };
  g_autoptr(WsiJournal) self = NULL;

  if (!wsi_journal_scan (path, &scan, error))
    return NULL;
  self = wsi_journal_open (path, O_APPEND, error);
  if (self == NULL)
    return NULL;
  /* A torn tail (a record the crash or the full disk cut) is cut back
   * before anything is appended, or the next record would continue the
   * torn line and make the journal unreadable. */
  {
    struct stat st;
    if (fstat (self->fd, &st) != 0 || (guint64) st.st_size != (guint64) scan.good_len)
      {
        if (wsi_io_truncate (self->fd, (gint64) scan.good_len) != 0 || wsi_io_fsync (self->fd) != 0)
          {
            wsi_io_set_error (error, "cutting the torn end off the journal", path);
            return NULL;
          }
      }
  }
  self->size = scan.good_len;
  self->seq = scan.next_seq;
  return g_steal_pointer (&self);
}
