/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-test-util.c */
#include "wsi-test-util.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

char *
wsi_test_data_path (const char *name)
{
  const char *dir = g_getenv ("WSI_TEST_DATA");
  g_assert (dir != NULL);
  return g_build_filename (dir, name, NULL);
}

char *
wsi_test_source_path (const char *relative)
{
  const char *dir = g_getenv ("WSI_SOURCE_ROOT");
  g_assert (dir != NULL);
  return g_build_filename (dir, relative, NULL);
}

/* Under /dev/shm when there is one: the transaction tests write durable
 * snapshots thousands of times, and fsync on tmpfs costs nothing while
 * the atomic-rename semantics they test stay the same. */
char *
wsi_test_mkdtemp (void)
{
  g_autoptr(GError) error = NULL;
  char *dir;

  if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) && access ("/dev/shm", W_OK) == 0)
    {
      dir = g_strdup ("/dev/shm/wsi-test-XXXXXX");
      if (g_mkdtemp (dir) != NULL)
        return dir;
      g_free (dir);
    }
  dir = g_dir_make_tmp ("wsi-test-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

void
wsi_test_rmtree (const char *path)
{
  g_autoptr(GDir) d = g_dir_open (path, 0, NULL);
  const char *name;

  if (d != NULL)
    while ((name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);
        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          wsi_test_rmtree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

int
wsi_test_run_cli (const char * const *args, char **out, char **err)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *sout = NULL;
  g_autofree char *serr = NULL;
  const char *exe = g_getenv ("WSINSTALL");
  int status = 0;

  g_assert (exe != NULL);
  g_ptr_array_add (argv, (gpointer) exe);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &sout, &serr, &status, &error))
    g_error ("spawning %s: %s", exe, error->message);
  if (out != NULL)
    *out = g_steal_pointer (&sout);
  if (err != NULL)
    *err = g_steal_pointer (&serr);
  if (WIFEXITED (status))
    return WEXITSTATUS (status);
  return 128 + (WIFSIGNALED (status) ? WTERMSIG (status) : 0);
}

gboolean
wsi_test_has_diag (const WsiDiagList *diags, const char *tag, int line)
{
  for (guint i = 0; i < wsi_diag_list_get_size (diags); i++)
    {
      const WsiDiag *d = wsi_diag_list_get (diags, i);
      if (g_strcmp0 (d->tag, tag) == 0 && (line == 0 || d->line == line))
        return TRUE;
    }
  return FALSE;
}

char *
wsi_test_diags_to_string (const WsiDiagList *diags)
{
  return wsi_diag_render (diags, WSI_DIAG_FORMAT_TEXT);
}

int
wsi_test_run_suite (Suite *suite)
{
  SRunner *runner = srunner_create (suite);
  int failed;

  srunner_run_all (runner, CK_ENV);
  failed = srunner_ntests_failed (runner);
  srunner_free (runner);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

static WsiManifest *
wsi_test_load_manifest_at (const char *path)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  WsiManifest *m = wsi_manifest_load_file (path, diags);
  g_autofree char *all = wsi_test_diags_to_string (diags);

  ck_assert_msg (m != NULL, "%s does not load:\n%s", path, all);
  return m;
}

WsiManifest *
wsi_test_load_example (const char *name)
{
  g_autofree char *rel = g_strdup_printf ("manifests/%s", name);
  g_autofree char *path = wsi_test_source_path (rel);

  return wsi_test_load_manifest_at (path);
}

WsiManifest *
wsi_test_load_lifecycle (const char *name)
{
  g_autofree char *rel = g_strdup_printf ("lifecycle/%s", name);
  g_autofree char *path = wsi_test_data_path (rel);

  return wsi_test_load_manifest_at (path);
}

WsiMachine *
wsi_test_load_reference (const char *name)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autofree char *rel = g_strdup_printf ("data/reference/%s.xml", name);
  g_autofree char *path = wsi_test_source_path (rel);
  WsiMachine *m = wsi_snapshot_load_file (path, diags);

  ck_assert_msg (m != NULL, "cannot load %s", path);
  return m;
}

WsiGuid
wsi_test_guid (const char *text)
{
  WsiGuid g;

  ck_assert_msg (wsi_guid_parse (text, &g), "'%s' is not a GUID", text);
  return g;
}

WsiEntry *
wsi_test_base_entry (gint32 af, gint32 type, gint32 protocol, const char *name)
{
  WsiEntry *e = wsi_entry_new ();

  e->chain_len = 1;
  e->version = 2;
  e->address_family = af;
  e->socket_type = type;
  e->protocol = protocol;
  e->max_sockaddr = e->min_sockaddr = af == 23 ? 28 : 16;
  e->service_flags[0] = WSI_XP1_IFS_HANDLES | WSI_XP1_GRACEFUL_CLOSE | WSI_XP1_GUARANTEED_ORDER |
                        WSI_XP1_GUARANTEED_DELIVERY | WSI_XP1_EXPEDITED_DATA;
  e->provider_flags = WSI_PFL_MATCHES_PROTOCOL_ZERO;
  e->catalog_id = 4242;
  wsi_entry_set_name (e, name);
  return e;
}

gboolean
wsi_test_machines_equivalent (const WsiMachine *a, const WsiMachine *b, char **why)
{
  WsiDiff *diff = wsi_machine_diff (a, b);
  gboolean same = wsi_diff_is_equivalent (diff);

  if (!same && why != NULL)
    *why = wsi_diff_to_text (diff);
  wsi_diff_free (diff);
  return same;
}

WsiMachine *
wsi_test_reload_snapshot (const char *path, const char *what)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  WsiMachine *m = wsi_snapshot_load_file (path, diags);
  g_autofree char *all = wsi_test_diags_to_string (diags);

  ck_assert_msg (m != NULL, "%s: the snapshot %s does not load:\n%s", what, path, all);
  return m;
}

/* ---- the MSI phases on a backend the test keeps ---- */

typedef struct {
  WsiBackend  parent;
  WsiBackend *inner;
} WsiBorrowBackend;

#define INNER(b) (((WsiBorrowBackend *) (b))->inner)

static const WsiMachine *
borrow_peek (WsiBackend *b, GError **error)
{
  return wsi_backend_peek (INNER (b), error);
}

static gboolean
borrow_install (WsiBackend *b, WsiBitness bitness, const WsiGuid *guid, const char *path,
                const WsiEntry *const *infos, guint n, GError **error)
{
  return wsi_backend_install_provider (INNER (b), bitness, guid, path, infos, n, error);
}

static gboolean
borrow_install_64_32 (WsiBackend *b, const WsiGuid *guid, const char *path, const WsiEntry *const *infos, guint n,
                      GError **error)
{
  return wsi_backend_install_provider_64_32 (INNER (b), guid, path, infos, n, error);
}

static gboolean
borrow_deinstall (WsiBackend *b, WsiBitness bitness, const WsiGuid *guid, GError **error)
{
  return wsi_backend_deinstall_provider (INNER (b), bitness, guid, error);
}

static gboolean
borrow_update (WsiBackend *b, WsiBitness bitness, const WsiGuid *guid, const char *path,
               const WsiEntry *const *infos, guint n, GError **error)
{
  return wsi_backend_update_provider (INNER (b), bitness, guid, path, infos, n, error);
}

static gboolean
borrow_write_order (WsiBackend *b, WsiBitness bitness, const guint32 *ids, guint n, GError **error)
{
  return wsi_backend_write_order (INNER (b), bitness, ids, n, error);
}

static gboolean
borrow_categories (WsiBackend *b, WsiBitness bitness, const WsiGuid *guid, guint32 categories, GError **error)
{
  return wsi_backend_set_lsp_categories (INNER (b), bitness, guid, categories, error);
}

static gboolean
borrow_registry (WsiBackend *b, const char *key, const char *name, WsiRegType type, GBytes *data, GError **error)
{
  return wsi_backend_registry_set (INNER (b), key, name, type, data, error);
}

static gboolean
borrow_sync (WsiBackend *b, GError **error)
{
  return wsi_backend_sync (INNER (b), error);
}

static void
borrow_free (WsiBackend *b)
{
  g_free (b);
}

static const WsiBackendClass borrow_class = {
  .name = "borrowed",
  .peek = borrow_peek,
  .install_provider = borrow_install,
  .install_provider_64_32 = borrow_install_64_32,
  .deinstall_provider = borrow_deinstall,
  .update_provider = borrow_update,
  .write_order = borrow_write_order,
  .set_lsp_categories = borrow_categories,
  .registry_set = borrow_registry,
  .sync = borrow_sync,
  .free = borrow_free,
};

WsiBackend *
wsi_test_backend_borrow (WsiBackend *inner)
{
  WsiBorrowBackend *self = g_new0 (WsiBorrowBackend, 1);

  self->parent.klass = &borrow_class;
  self->inner = inner;
  return &self->parent;
}

WsiMsiOutcome
wsi_test_msi_run (WsiBackend *backend, const WsiMsiData *data, const WsiMsiCallbacks *callbacks, GError **error)
{
  g_autoptr(WsiSession) session = wsi_msi_session_new (data, NULL, callbacks);

  ck_assert (wsi_session_open_backend (session, wsi_test_backend_borrow (backend), "simulated machine",
                                       WSI_SESSION_OPEN_NO_RECOVERY, NULL));
  return wsi_msi_run (session, data, callbacks, error);
}

gboolean
wsi_test_msi_rollback (WsiBackend *backend, const char *journal, const WsiMsiCallbacks *callbacks,
                       WsiJournalState *found, GError **error)
{
  g_autoptr(WsiMsiData) data = wsi_msi_data_new ();
  g_autoptr(WsiSession) session = NULL;

  data->journal = g_strdup (journal);
  session = wsi_msi_session_new (data, NULL, callbacks);
  ck_assert (wsi_session_open_backend (session, wsi_test_backend_borrow (backend), "simulated machine",
                                       WSI_SESSION_OPEN_NO_RECOVERY, NULL));
  return wsi_msi_rollback (session, callbacks, found, error);
}
