/* wsi-journal.c */
#include "wsi-journal.h"
#include "wsi-error.h"

#include <string.h>
#include <json-glib/json-glib.h>
#include <glib/gstdio.h>

#include "wsi-file-private.h"

/* Far above any plan's journal; bounds what recovery reads. */
#define WSI_JOURNAL_MAX_SIZE (64u * 1024 * 1024)

struct _WsiJournal {
  int   fd;
  char *path;
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

static gboolean
wsi_journal_write (WsiJournal *self, const char *line, gboolean sync, GError **error)
{
  g_autofree char *text = g_strconcat (line, "\n", NULL);
  gsize len = strlen (text), off = 0;

  while (off < len)
    {
      gssize n = write (self->fd, text + off, len - off);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          g_set_error (error, WSI_ERROR, WSI_ERROR_IO, "writing the journal %s: %s", self->path, g_strerror (errno));
          return FALSE;
        }
      off += (gsize) n;
    }
  if (sync && fsync (self->fd) != 0)
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_IO, "syncing the journal %s: %s", self->path, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static WsiJournal *
wsi_journal_open (const char *path, int flags, GError **error)
{
  WsiJournal *self;
  int fd = g_open (path, flags | O_WRONLY | O_BINARY | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_IO, "cannot open the journal %s: %s", path, g_strerror (errno));
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
  g_autoptr(WsiJournal) self = wsi_journal_open (path, O_CREAT | O_TRUNC, error);
  g_autofree char *line = NULL;
  g_autofree char *quoted = NULL;

  if (self == NULL)
    return NULL;
  {
    g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
    json_node_set_string (node, action);
    quoted = json_to_string (node, FALSE);
  }
  line = g_strdup_printf ("{\"record\":\"begin\",\"journal\":1,\"action\":%s,\"steps\":%u}", quoted, n_steps);
  if (!wsi_journal_write (self, line, TRUE, error))
    return NULL;
#ifndef G_OS_WIN32
  /* The journal's directory entry must survive a power cut too. */
  {
    g_autofree char *dir = g_path_get_dirname (path);
    int dfd = open (dir, O_RDONLY | O_CLOEXEC);
    if (dfd >= 0)
      {
        fsync (dfd);
        close (dfd);
      }
  }
#endif
  return g_steal_pointer (&self);
}

WsiJournal *
wsi_journal_open_append (const char *path, GError **error)
{
  g_autoptr(WsiJournal) self = wsi_journal_open (path, O_APPEND, error);
  int rfd;
  char last = '\n';

  if (self == NULL)
    return NULL;
  /* A torn last line (the crash cut the write) is ended first, so the next
   * record starts on a line of its own. */
  rfd = g_open (path, O_RDONLY | O_BINARY | O_CLOEXEC, 0);
  if (rfd >= 0)
    {
      if (lseek (rfd, -1, SEEK_END) >= 0 && read (rfd, &last, 1) != 1)
        last = '\n';
      close (rfd);
    }
  if (last != '\n' && !wsi_journal_write (self, "", TRUE, error))
    return NULL;
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
  g_set_error (error, WSI_ERROR, WSI_ERROR_INVALID_MACHINE, "journal-corrupt: %s line %u: %s", path, line, what);
  return FALSE;
}

gboolean
wsi_journal_read (const char *path, WsiJournalState *state, GPtrArray **intents, GError **error)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_plan_step_free);
  g_auto(GStrv) lines = NULL;
  gsize len = 0;
  guint n;
  gboolean begun = FALSE;

  *state = WSI_JOURNAL_NONE;
  *intents = NULL;
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      *intents = g_steal_pointer (&steps);
      return TRUE;
    }
  {
    GStatBuf st;
    if (g_stat (path, &st) == 0 && (guint64) st.st_size > WSI_JOURNAL_MAX_SIZE)
      return wsi_journal_corrupt (error, path, 0, "larger than any journal wsinstall writes");
  }
  if (!g_file_get_contents (path, &data, &len, &local))
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_IO, "%s", local->message);
      return FALSE;
    }
  if (memchr (data, '\0', len) != NULL)
    return wsi_journal_corrupt (error, path, 0, "binary data");
  lines = g_strsplit (data, "\n", -1);
  n = g_strv_length (lines);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *o;
      const char *record;
      gboolean last = i + 1 >= n || (i + 2 == n && lines[i + 1][0] == '\0');

      if (lines[i][0] == '\0')
        continue;
      if (!json_parser_load_from_data (parser, lines[i], -1, NULL) || json_parser_get_root (parser) == NULL ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          /* The write of the last line was cut by the crash: that record
           * never happened. Anything else is damage. */
          if (last && !g_str_has_suffix (data, "\n"))
            break;
          return wsi_journal_corrupt (error, path, i + 1, "not a JSON object");
        }
      o = json_node_get_object (json_parser_get_root (parser));
      record = json_object_get_string_member_with_default (o, "record", "");
      if (!begun && g_strcmp0 (record, "begin") != 0)
        return wsi_journal_corrupt (error, path, i + 1, "the journal does not start with a begin record");
      if (g_strcmp0 (record, "begin") == 0)
        {
          begun = TRUE;
          *state = WSI_JOURNAL_IN_PROGRESS;
        }
      else if (g_strcmp0 (record, "intent") == 0)
        {
          JsonNode *step_node = json_object_get_member (o, "step");
          g_autofree char *step_json = NULL;
          WsiPlanStep *step;
          if (step_node == NULL || !JSON_NODE_HOLDS_OBJECT (step_node))
            return wsi_journal_corrupt (error, path, i + 1, "an intent without a step");
          step_json = json_to_string (step_node, FALSE);
          step = wsi_plan_step_from_json (step_json, &local);
          if (step == NULL || step->undo == NULL)
            {
              if (step != NULL)
                wsi_plan_step_free (step);
              return wsi_journal_corrupt (error, path, i + 1, local != NULL ? local->message : "an intent without an undo");
            }
          g_ptr_array_add (steps, step);
        }
      else if (g_strcmp0 (record, "end") == 0)
        {
          const char *s = json_object_get_string_member_with_default (o, "state", "");
          if (g_strcmp0 (s, "committed") == 0)
            *state = WSI_JOURNAL_COMMITTED;
          else if (g_strcmp0 (s, "rolled-back") == 0)
            *state = WSI_JOURNAL_ROLLED_BACK;
          else if (g_strcmp0 (s, "rollback-incomplete") == 0)
            *state = WSI_JOURNAL_ROLLBACK_INCOMPLETE;
          else
            return wsi_journal_corrupt (error, path, i + 1, "an end record with an unknown state");
        }
      else if (g_strcmp0 (record, "done") != 0 && g_strcmp0 (record, "undone") != 0)
        return wsi_journal_corrupt (error, path, i + 1, "an unknown record");
    }
  if (!begun)
    return wsi_journal_corrupt (error, path, 1, "empty journal");
  *intents = g_steal_pointer (&steps);
  return TRUE;
}
