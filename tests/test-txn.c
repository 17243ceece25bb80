/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-txn.c: the executor, the journal, the lock and the CLI's exit
 * contract, each failure path provoked by injecting it. The fault matrix
 * over every example, machine, command and operation is test-txn-matrix.c. */
#include "wsi-test-util.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "wsi-catalog-check.h"
#include "wsi-catalog-diff.h"
#include "wsi-io-private.h"
#include "wsi-lock.h"
#include "wsi-policy.h"
#include "wsi-manifest.h"
#include "wsi-plan.h"
#include "wsi-snapshot.h"
#include "wsi-txn.h"

static WsiMachine *
reload (const char *path)
{
  return wsi_test_reload_snapshot (path, "after the run");
}


static void
assert_equivalent (const WsiMachine *a, const WsiMachine *b, const char *what)
{
  g_autofree char *why = NULL;
  ck_assert_msg (wsi_test_machines_equivalent (a, b, &why), "%s: machines differ:\n%s", what, why);
}

static void
write_machine (const WsiMachine *m, const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *journal = g_strconcat (path, ".journal", NULL);

  ck_assert_msg (wsi_snapshot_save (m, path, &error), "%s", error != NULL ? error->message : "");
  unlink (journal);
}

static WsiBackend *
open_sim (const char *path, const char *fault)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(GError) error = NULL;
  WsiBackend *backend = wsi_backend_sim_new (path, diags);

  ck_assert_ptr_nonnull (backend);
  if (fault == NULL)
    return backend;
  backend = wsi_backend_fault_new (backend, fault, &error);
  ck_assert_msg (backend != NULL, "%s", error != NULL ? error->message : "");
  return backend;
}

/* Backend operations a successful apply of @plan makes. */
static guint
count_operations (const WsiMachine *machine, const WsiPlan *plan)
{
  g_autoptr(WsiBackend) mem = wsi_backend_memory_new (machine);

  for (guint i = 0; i < plan->steps->len; i++)
    ck_assert (wsi_plan_step_execute (g_ptr_array_index (plan->steps, i), mem, FALSE, NULL, NULL));
  return mem->n_operations;
}

static void
recover_in_process (const char *path)
{
  g_autoptr(WsiBackend) backend = open_sim (path, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *journal = g_strconcat (path, ".journal", NULL);
  WsiJournalState found;

  ck_assert_msg (wsi_txn_recover (backend, journal, &found, NULL, NULL, &error), "recover: %s",
                 error != NULL ? error->message : "");
}

/* Applies in a child that WSINSTALL_FAULT-style kills itself; returns TRUE
 * when the child died of SIGKILL. */
static gboolean
apply_in_child (const char *path, const WsiPlan *plan, const char *fault)
{
  g_autofree char *journal = g_strconcat (path, ".journal", NULL);
  int status = 0;
  pid_t pid;

  fflush (NULL);
  pid = fork ();
  ck_assert_int_ge (pid, 0);
  if (pid == 0)
    {
      WsiBackend *backend = open_sim (path, fault);
      wsi_txn_apply (backend, plan, journal, NULL, NULL, NULL);
      _exit (99);  /* the fault did not fire */
    }
  ck_assert_int_eq (waitpid (pid, &status, 0), pid);
  return WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL;
}

static void
run_matrix_case (const WsiMachine *before, const WsiPlan *plan, const char *path, const char *fault,
                 gboolean crash, const char *label)
{
  g_autoptr(WsiMachine) after = NULL;
  g_autofree char *what = g_strdup_printf ("%s with %s", label, fault);

  write_machine (before, path);
  if (crash)
    {
      ck_assert_msg (apply_in_child (path, plan, fault), "%s: the process was not killed", what);
      recover_in_process (path);
    }
  else
    {
      g_autoptr(WsiBackend) backend = open_sim (path, fault);
      g_autoptr(GError) error = NULL;
      g_autofree char *journal = g_strconcat (path, ".journal", NULL);
      WsiTxnOutcome outcome = wsi_txn_apply (backend, plan, journal, NULL, NULL, &error);
      ck_assert_msg (outcome == WSI_TXN_ROLLED_BACK, "%s: outcome %d", what, (int) outcome);
      ck_assert (error->domain == WSI_WSA_ERROR);
    }
  after = reload (path);
  assert_equivalent (before, after, what);
}

START_TEST (apply_then_uninstall_is_equivalent_and_apply_twice_is_a_no_op)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "machine.xml", NULL);
  g_autofree char *journal = g_strconcat (path, ".journal", NULL);
  g_autoptr(WsiMachine) before = wsi_test_load_reference ("win10-1709-x64");
  g_autoptr(WsiManifest) m = wsi_test_load_example ("woodgrove-stacked-layers.xml");
  g_autoptr(WsiBackend) backend = NULL;
  g_autoptr(WsiPlan) install = NULL;
  g_autoptr(WsiPlan) again = NULL;
  g_autoptr(WsiPlan) removal = NULL;
  g_autoptr(WsiMachine) after = NULL;
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  WsiJournalState state;
  g_autoptr(GPtrArray) intents = NULL;

  write_machine (before, path);
  backend = open_sim (path, NULL);
  install = wsi_plan_build (wsi_backend_peek (backend, NULL), &m, 1, 0, diags);
  ck_assert_ptr_nonnull (install);
  ck_assert_int_eq (wsi_txn_apply (backend, install, journal, NULL, NULL, NULL), WSI_TXN_COMMITTED);
  ck_assert (wsi_journal_read (journal, &state, &intents, NULL));
  ck_assert_int_eq (state, WSI_JOURNAL_COMMITTED);
  ck_assert_uint_eq (intents->len, install->steps->len);
  /* What the plan predicted is what the machine got. */
  after = reload (path);
  assert_equivalent (install->after, after, "predicted vs applied");
  for (int b = 0; b < 2; b++)
    {
      const WsiCatalog *want = wsi_machine_peek_catalog (install->after, b ? WSI_CATALOG_32 : WSI_CATALOG_64);
      const WsiCatalog *got = wsi_machine_peek_catalog (after, b ? WSI_CATALOG_32 : WSI_CATALOG_64);
      for (guint i = 0; i < wsi_catalog_get_size (got); i++)
        ck_assert_uint_eq (wsi_catalog_get_entry (got, i)->catalog_id, wsi_catalog_get_entry (want, i)->catalog_id);
    }
  again = wsi_plan_build (wsi_backend_peek (backend, NULL), &m, 1, 0, diags);
  ck_assert_uint_eq (again->steps->len, 0);
  removal = wsi_plan_build (wsi_backend_peek (backend, NULL), &m, 1, WSI_PLAN_FLAG_UNINSTALL, diags);
  ck_assert_ptr_nonnull (removal);
  ck_assert_int_eq (wsi_txn_apply (backend, removal, journal, NULL, NULL, NULL), WSI_TXN_COMMITTED);
  g_clear_pointer (&after, wsi_machine_free);
  after = reload (path);
  assert_equivalent (before, after, "install + uninstall");
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (vendor_b_over_a_survives_uninstalling_a)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "machine.xml", NULL);
  g_autofree char *journal = g_strconcat (path, ".journal", NULL);
  g_autoptr(WsiMachine) before = wsi_test_load_reference ("win10-x64");
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  const char *a_text =
    "<manifest xmlns=\"urn:wsinstall:manifest:1\">\n"
    "  <product id=\"vendor-a\" name=\"A\" vendor=\"A\" version=\"1\"/>\n"
    "  <target profile=\"desktop-x64\" catalogs=\"both\"/>\n"
    "  <layered-provider id=\"a\" guid=\"{0A0A0A0A-0000-0000-0000-00000000000A}\" name=\"A filter\"\n"
    "     path=\"C:\\A\\a64.dll\" path32=\"C:\\A\\a32.dll\" ifs=\"false\" categories=\"firewall\"/>\n"
    "  <chain layer=\"a\"><over all-base=\"true\"/></chain>\n"
    "</manifest>\n";
  const char *b_text =
    "<manifest xmlns=\"urn:wsinstall:manifest:1\">\n"
    "  <product id=\"vendor-b\" name=\"B\" vendor=\"B\" version=\"1\"/>\n"
    "  <target profile=\"desktop-x64\" catalogs=\"both\"/>\n"
    "  <layered-provider id=\"b\" guid=\"{0B0B0B0B-0000-0000-0000-00000000000B}\" name=\"B proxy\"\n"
    "     path=\"C:\\B\\b64.dll\" path32=\"C:\\B\\b32.dll\" ifs=\"false\" categories=\"proxy\"/>\n"
    "  <chain layer=\"b\">\n"
    "    <over af=\"inet\" type=\"stream\" protocol=\"tcp\" match=\"top-most\"/>\n"
    "    <over af=\"inet6\" type=\"stream\" protocol=\"tcp\" match=\"top-most\"/>\n"
    "  </chain>\n"
    "</manifest>\n";
  g_autoptr(WsiManifest) a = wsi_manifest_load_memory (a_text, strlen (a_text), "a.xml", diags);
  g_autoptr(WsiManifest) b = wsi_manifest_load_memory (b_text, strlen (b_text), "b.xml", diags);
  g_autoptr(WsiBackend) backend = NULL;
  WsiManifest *steps[3];
  g_autoptr(WsiMachine) after = NULL;
  g_autoptr(WsiDiagList) check = wsi_diag_list_new ();

  ck_assert_ptr_nonnull (a);
  ck_assert_ptr_nonnull (b);
  write_machine (before, path);
  backend = open_sim (path, NULL);
  /* With B layered over A, applying A again changes nothing: A does not
   * fight B for the top of the order. */
  {
    WsiManifest *ab[2] = { a, b };
    g_autoptr(WsiPlan) both = wsi_plan_build (wsi_backend_peek (backend, NULL), ab, 2, 0, diags);
    g_autoptr(WsiPlan) again = NULL;
    ck_assert_ptr_nonnull (both);
    again = wsi_plan_build (both->after, &a, 1, 0, diags);
    ck_assert_ptr_nonnull (again);
    ck_assert_uint_eq (again->steps->len, 0);
  }
  steps[0] = a;
  steps[1] = b;
  steps[2] = a;
  for (int i = 0; i < 3; i++)
    {
      g_autoptr(WsiPlan) plan = wsi_plan_build (wsi_backend_peek (backend, NULL), &steps[i], 1,
                                                i == 2 ? WSI_PLAN_FLAG_UNINSTALL : 0, diags);
      ck_assert_ptr_nonnull (plan);
      ck_assert_int_eq (wsi_txn_apply (backend, plan, journal, NULL, NULL, NULL), WSI_TXN_COMMITTED);
    }
  after = reload (path);
  wsi_catalog_check_machine (after, path, check);
  ck_assert_msg (!wsi_diag_list_has_errors (check), "%s", wsi_test_diags_to_string (check));
  for (int bits = 0; bits < 2; bits++)
    {
      const WsiCatalog *c = wsi_machine_peek_catalog (after, bits ? WSI_CATALOG_32 : WSI_CATALOG_64);
      static const gint32 afs[] = { 2, 23 };
      for (gsize f = 0; f < G_N_ELEMENTS (afs); f++)
        {
          const WsiEntry *sock = wsi_catalog_resolve_socket (c, afs[f], 1, 6);
          WsiGuid bg;
          ck_assert (wsi_guid_parse ("{0B0B0B0B-0000-0000-0000-00000000000B}", &bg));
          ck_assert_ptr_nonnull (sock);
          ck_assert_int_eq (sock->chain_len, 2);
          ck_assert (wsi_guid_equal (&wsi_catalog_find_id (c, sock->chain[0])->provider_id, &bg));
          ck_assert_int_eq (wsi_entry_get_kind (wsi_catalog_find_id (c, sock->chain[1])), WSI_ENTRY_BASE);
        }
    }
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (a_failing_rollback_is_incomplete_and_recover_finishes_it)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "machine.xml", NULL);
  g_autofree char *journal = g_strconcat (path, ".journal", NULL);
  g_autoptr(WsiMachine) before = wsi_test_load_reference ("win81-x64");
  g_autoptr(WsiManifest) m = wsi_test_load_example ("contoso-web-filter.xml");
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiPlan) plan = wsi_plan_build (before, &m, 1, 0, diags);
  g_autoptr(GError) error = NULL;
  g_autoptr(WsiMachine) after = NULL;
  WsiJournalState state;
  g_autoptr(GPtrArray) intents = NULL;

  ck_assert_ptr_nonnull (plan);
  write_machine (before, path);
  {
    /* Operation 4 fails; the first inverse (operation 5) fails too. */
    g_autoptr(WsiBackend) backend = open_sim (path, "fail:4,fail:5");
    ck_assert_int_eq (wsi_txn_apply (backend, plan, journal, NULL, NULL, &error), WSI_TXN_ROLLBACK_INCOMPLETE);
  }
  ck_assert (wsi_journal_read (journal, &state, &intents, NULL));
  ck_assert_int_eq (state, WSI_JOURNAL_ROLLBACK_INCOMPLETE);
  recover_in_process (path);
  ck_assert (wsi_journal_read (journal, &state, &intents, NULL));
  ck_assert_int_eq (state, WSI_JOURNAL_ROLLED_BACK);
  after = reload (path);
  assert_equivalent (before, after, "after recover");
  wsi_test_rmtree (dir);
}
END_TEST

/* A backend whose installs report success and change nothing, as Wine's
 * WSCInstallProvider stub does; everything else is a memory backend. */
typedef struct {
  WsiBackend  parent;
  WsiBackend *inner;
} LyingBackend;

static const WsiMachine *
lying_peek (WsiBackend *self, GError **error)
{
  return wsi_backend_peek (((LyingBackend *) self)->inner, error);
}

static gboolean
lying_install (WsiBackend *self, WsiBitness bitness, const WsiGuid *guid, const char *path,
               const WsiEntry *const *infos, guint n, GError **error)
{
  return TRUE;
}

static gboolean
lying_deinstall (WsiBackend *self, WsiBitness bitness, const WsiGuid *guid, GError **error)
{
  return wsi_backend_deinstall_provider (((LyingBackend *) self)->inner, bitness, guid, error);
}

static gboolean
lying_order (WsiBackend *self, WsiBitness bitness, const guint32 *ids, guint n, GError **error)
{
  return wsi_backend_write_order (((LyingBackend *) self)->inner, bitness, ids, n, error);
}

static gboolean
lying_registry (WsiBackend *self, const char *key, const char *name, WsiRegType type, GBytes *data, GError **error)
{
  return wsi_backend_registry_set (((LyingBackend *) self)->inner, key, name, type, data, error);
}

static void
lying_free (WsiBackend *self)
{
  wsi_backend_free (((LyingBackend *) self)->inner);
  g_free (self);
}

static const WsiBackendClass lying_class = {
  .name = "lying",
  .peek = lying_peek,
  .install_provider = lying_install,
  .deinstall_provider = lying_deinstall,
  .write_order = lying_order,
  .registry_set = lying_registry,
  .free = lying_free,
};

START_TEST (a_call_without_effect_is_detected_and_rolled_back)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *journal = g_build_filename (dir, "j.journal", NULL);
  g_autoptr(WsiMachine) before = wsi_test_load_reference ("win7-x86");
  g_autoptr(WsiManifest) m = wsi_test_load_example ("contoso-parental-x86.xml");
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiPlan) plan = wsi_plan_build (before, &m, 1, 0, diags);
  LyingBackend *lying = g_new0 (LyingBackend, 1);
  g_autoptr(WsiBackend) backend = &lying->parent;
  g_autoptr(GError) error = NULL;

  lying->parent.klass = &lying_class;
  lying->inner = wsi_backend_memory_new (before);
  ck_assert_ptr_nonnull (plan);
  ck_assert_int_eq (wsi_txn_apply (backend, plan, journal, NULL, NULL, &error), WSI_TXN_ROLLED_BACK);
  ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_NO_EFFECT));
  assert_equivalent (before, wsi_backend_peek (backend, NULL), "after a call without effect");
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (a_second_writer_waits_then_fails_with_locked)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "machine.xml", NULL);
  g_autoptr(WsiLock) held = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WsiLock) second = NULL;
  gint64 start;
  int status = 0;
  pid_t pid;

  held = wsi_lock_acquire (path, 1000, &error);
  ck_assert_ptr_nonnull (held);
  /* Another process: flock locks belong to the open file, so a second
   * writer is a second process, as in real use. */
  pid = fork ();
  if (pid == 0)
    {
      g_autoptr(GError) child_error = NULL;
      WsiLock *l = wsi_lock_acquire (path, 300, &child_error);
      _exit (l == NULL && g_error_matches (child_error, WSI_ERROR, WSI_ERROR_LOCKED) ? 0 : 1);
    }
  start = g_get_monotonic_time ();
  ck_assert_int_eq (waitpid (pid, &status, 0), pid);
  ck_assert (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  ck_assert_int_ge (g_get_monotonic_time () - start, 250 * 1000);
  g_clear_pointer (&held, wsi_lock_release);
  second = wsi_lock_acquire (path, 1000, &error);
  ck_assert_ptr_nonnull (second);
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (concurrent_applies_never_interleave)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "machine.xml", NULL);
  g_autoptr(WsiMachine) before = wsi_test_load_reference ("win10-1709-x64");
  g_autofree char *mpath = wsi_test_source_path ("manifests/contoso-web-filter.xml");
  g_autofree char *mpath2 = wsi_test_source_path ("manifests/fabrikam-ifs-redirector.xml");
  g_autoptr(WsiMachine) after = NULL;
  g_autoptr(WsiDiagList) check = wsi_diag_list_new ();
  const char *exe = g_getenv ("WSINSTALL");
  GPid pids[2];
  int rcs[2];

  write_machine (before, path);
  for (int i = 0; i < 2; i++)
    {
      const char *argv[] = { exe, "apply", "--quiet", "--machine", path, i == 0 ? mpath : mpath2, NULL };
      g_autoptr(GError) error = NULL;
      ck_assert (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                NULL, NULL, &pids[i], &error));
    }
  for (int i = 0; i < 2; i++)
    {
      int status = 0;
      ck_assert_int_eq (waitpid (pids[i], &status, 0), pids[i]);
      rcs[i] = WIFEXITED (status) ? WEXITSTATUS (status) : 128;
      g_spawn_close_pid (pids[i]);
    }
  ck_assert_int_eq (rcs[0], 0);
  ck_assert_int_eq (rcs[1], 0);
  /* Both products are fully there: neither wrote over the other. */
  after = reload (path);
  wsi_catalog_check_machine (after, path, check);
  ck_assert (!wsi_diag_list_has_errors (check));
  {
    g_autoptr(WsiManifest) a = wsi_test_load_example ("contoso-web-filter.xml");
    g_autoptr(WsiManifest) b = wsi_test_load_example ("fabrikam-ifs-redirector.xml");
    g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
    g_autoptr(WsiPlan) pa = wsi_plan_build (after, &a, 1, 0, diags);
    g_autoptr(WsiPlan) pb = wsi_plan_build (after, &b, 1, 0, diags);
    ck_assert_uint_eq (pa->steps->len, 0);
    ck_assert_uint_eq (pb->steps->len, 0);
  }
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (a_torn_journal_line_is_ignored_and_garbage_is_refused)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "j.journal", NULL);
  g_autoptr(GPtrArray) intents = NULL;
  g_autoptr(GError) error = NULL;
  WsiJournalState state;

  g_file_set_contents (path, "{\"record\":\"begin\",\"journal\":1,\"action\":\"install\",\"steps\":3}\n{\"record\":\"intent\",\"st", -1, NULL);
  ck_assert (wsi_journal_read (path, &state, &intents, &error));
  ck_assert_int_eq (state, WSI_JOURNAL_IN_PROGRESS);
  ck_assert_uint_eq (intents->len, 0);
  g_clear_pointer (&intents, g_ptr_array_unref);
  /* A line of blanks in the middle is damage, reported, not a crash. */
  g_file_set_contents (path, "{\"record\":\"begin\",\"journal\":1,\"action\":\"install\",\"steps\":3}\n   \n{\"record\":\"end\",\"state\":\"committed\"}\n", -1, NULL);
  ck_assert (!wsi_journal_read (path, &state, &intents, &error));
  ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_JOURNAL_CORRUPT));
  g_clear_error (&error);
  g_file_set_contents (path, "not a journal\n{}\n", -1, NULL);
  ck_assert (!wsi_journal_read (path, &state, &intents, &error));
  ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_JOURNAL_CORRUPT));
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (repair_fixes_the_damage_and_touches_nothing_healthy)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "machine.xml", NULL);
  g_autofree char *journal = g_strconcat (path, ".journal", NULL);
  g_autofree char *src = wsi_test_data_path ("snapshots/repairable-x64.xml");
  g_autoptr(WsiMachine) before = reload (src);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiPlan) plan = wsi_plan_build_repair (before, diags);
  g_autoptr(WsiMachine) after = NULL;
  g_autoptr(WsiDiagList) check = wsi_diag_list_new ();
  static const char *const fixed[] = { "orphan-chain", "dangling-chain-entry", "layered-entry-unused",
                                       "duplicate-layer-in-chain", "chain-too-long" };
  static const guint32 healthy[] = { 1001, 1002, 1003, 1004, 1005, 1011, 1012 };
  guint ops;

  ck_assert_ptr_nonnull (plan);
  ops = count_operations (before, plan);
  /* Every operation of the repair failed in turn: the machine stays as it was. */
  for (guint n = 1; n <= ops; n++)
    {
      g_autofree char *fault = g_strdup_printf ("fail:%u", n);
      run_matrix_case (before, plan, path, fault, FALSE, "repair");
    }
  write_machine (before, path);
  {
    g_autoptr(WsiBackend) backend = open_sim (path, NULL);
    ck_assert_int_eq (wsi_txn_apply (backend, plan, journal, NULL, NULL, NULL), WSI_TXN_COMMITTED);
  }
  after = reload (path);
  wsi_catalog_check_machine (after, path, check);
  for (gsize i = 0; i < G_N_ELEMENTS (fixed); i++)
    ck_assert_msg (!wsi_diag_list_has_tag (check, fixed[i]), "%s left", fixed[i]);
  for (gsize i = 0; i < G_N_ELEMENTS (healthy); i++)
    {
      const WsiCatalog *a = wsi_machine_peek_catalog (before, WSI_CATALOG_64);
      const WsiCatalog *b = wsi_machine_peek_catalog (after, WSI_CATALOG_64);
      ck_assert_msg (wsi_entry_equal (wsi_catalog_find_id (a, healthy[i]), wsi_catalog_find_id (b, healthy[i])),
                     "healthy entry %u changed", healthy[i]);
    }
  wsi_test_rmtree (dir);
}
END_TEST

/* The CLI's exit contract: 0 committed, 1 rolled back, 3 rollback
 * incomplete, and recover. */
START_TEST (cli_exit_codes_follow_the_contract)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "machine.xml", NULL);
  g_autofree char *manifest = wsi_test_source_path ("manifests/contoso-web-filter.xml");
  g_autoptr(WsiMachine) before = wsi_test_load_reference ("win10-x64");
  const char *apply[] = { "apply", "--quiet", "--machine", path, manifest, NULL };
  const char *recover[] = { "recover", "--machine", path, NULL };
  const char *uninstall[] = { "uninstall", "--quiet", "--machine", path, manifest, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(WsiMachine) after = NULL;

  write_machine (before, path);
  if (!wsi_fault_injection_available ())
    {
      /* A release build ignores the variable: the apply just works. */
      g_setenv ("WSINSTALL_FAULT", "fail:1", TRUE);
      ck_assert_int_eq (wsi_test_run_cli (apply, NULL, NULL), 0);
      return;
    }
  g_setenv ("WSINSTALL_FAULT", "fail:3", TRUE);
  ck_assert_int_eq (wsi_test_run_cli (apply, &out, &err), 1);
  ck_assert_msg (strstr (err, "[wsc-call-failed]") != NULL, "%s", err);
  g_clear_pointer (&err, g_free);
  g_setenv ("WSINSTALL_FAULT", "fail:3,fail:4", TRUE);
  ck_assert_int_eq (wsi_test_run_cli (apply, NULL, &err), 3);
  ck_assert_msg (strstr (err, "[rollback-incomplete]") != NULL, "%s", err);
  g_unsetenv ("WSINSTALL_FAULT");
  g_clear_pointer (&out, g_free);
  ck_assert_int_eq (wsi_test_run_cli (recover, &out, NULL), 0);
  ck_assert (strstr (out, "rolled back") != NULL);
  after = reload (path);
  assert_equivalent (before, after, "after recover");
  g_setenv ("WSINSTALL_FAULT", "crash:5", TRUE);
  ck_assert_int_eq (wsi_test_run_cli (apply, NULL, NULL), 128 + SIGKILL);
  g_unsetenv ("WSINSTALL_FAULT");
  /* The next apply recovers first, then installs. */
  ck_assert_int_eq (wsi_test_run_cli (apply, NULL, NULL), 0);
  ck_assert_int_eq (wsi_test_run_cli (uninstall, NULL, NULL), 0);
  g_clear_pointer (&after, wsi_machine_free);
  after = reload (path);
  assert_equivalent (before, after, "apply after a crash, then uninstall");
  g_setenv ("WSINSTALL_FAULT", "explode:1", TRUE);
  ck_assert_int_eq (wsi_test_run_cli (apply, NULL, NULL), 2);
  g_unsetenv ("WSINSTALL_FAULT");
  wsi_test_rmtree (dir);
}
END_TEST

/* A repair whose last step removes an entry no WSC call can re-create
 * (ChainLen 8) is killed right after that step: recover cannot roll it
 * back, so it finishes it. The machine ends in the repaired state, and a
 * failure of that last call still rolls everything back. */
START_TEST (cli_recover_finishes_a_repair_whose_last_step_cannot_be_undone)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "machine.xml", NULL);
  g_autofree char *source = wsi_test_data_path ("snapshots/repairable-x64.xml");
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) before = wsi_snapshot_load_file (source, diags);
  g_autoptr(WsiPlan) plan = NULL;
  g_autoptr(WsiMachine) after = NULL;
  const char *repair[] = { "repair", "--apply", "--quiet", "--machine", path, NULL };
  const char *recover[] = { "recover", "--machine", path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *last = NULL;
  guint n_ops;

  if (!wsi_fault_injection_available ())
    return;
  ck_assert_ptr_nonnull (before);
  plan = wsi_plan_build_repair (before, diags);
  ck_assert_ptr_nonnull (plan);
  /* One WSC call per step but the order checkpoint, which makes none. */
  n_ops = plan->steps->len - 1;
  last = g_strdup_printf ("crash:%u", n_ops);
  write_machine (before, path);
  g_setenv ("WSINSTALL_FAULT", last, TRUE);
  ck_assert_int_eq (wsi_test_run_cli (repair, NULL, NULL), 128 + SIGKILL);
  g_unsetenv ("WSINSTALL_FAULT");
  ck_assert_int_eq (wsi_test_run_cli (recover, &out, NULL), 0);
  ck_assert_msg (strstr (out, "new state") != NULL, "%s", out);
  after = reload (path);
  assert_equivalent (plan->after, after, "after a finished repair");
  /* Failing that last call instead: rolled back, old state. */
  g_clear_pointer (&last, g_free);
  g_clear_pointer (&after, wsi_machine_free);
  last = g_strdup_printf ("fail:%u", n_ops);
  write_machine (before, path);
  g_setenv ("WSINSTALL_FAULT", last, TRUE);
  ck_assert_int_eq (wsi_test_run_cli (repair, NULL, NULL), 1);
  g_unsetenv ("WSINSTALL_FAULT");
  after = reload (path);
  assert_equivalent (before, after, "after a failed repair");
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (cli_apply_on_a_locked_machine_fails_with_machine_locked)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "machine.xml", NULL);
  g_autofree char *manifest = wsi_test_source_path ("manifests/contoso-web-filter.xml");
  g_autoptr(WsiMachine) before = wsi_test_load_reference ("win10-x64");
  const char *apply[] = { "apply", "--quiet", "--lock-timeout", "1", "--machine", path, manifest, NULL };
  g_autofree char *err = NULL;
  g_autoptr(WsiLock) held = NULL;

  write_machine (before, path);
  held = wsi_lock_acquire (path, 1000, NULL);
  ck_assert_ptr_nonnull (held);
  ck_assert_int_eq (wsi_test_run_cli (apply, NULL, &err), 1);
  ck_assert_msg (strstr (err, "[machine-locked]") != NULL, "%s", err);
  wsi_test_rmtree (dir);
}
END_TEST


/* ---- the journal on a disk that fails ---- */

static char *
read_text (const char *path)
{
  char *text = NULL;
  ck_assert (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

START_TEST (journal_records_are_checksummed_and_sequenced)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "j.journal", NULL);
  g_autoptr(GPtrArray) intents = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  WsiJournalState state;

  {
    g_autoptr(WsiJournal) j = wsi_journal_create (path, "install", 0, &error);
    ck_assert_ptr_nonnull (j);
    ck_assert (wsi_journal_end (j, WSI_JOURNAL_COMMITTED, &error));
  }
  ck_assert (wsi_journal_read (path, &state, &intents, &error));
  ck_assert_int_eq (state, WSI_JOURNAL_COMMITTED);
  g_clear_pointer (&intents, g_ptr_array_unref);
  text = read_text (path);
  lines = g_strsplit (text, "\n", -1);
  ck_assert_uint_eq (g_strv_length (lines), 3);
  ck_assert_ptr_nonnull (strchr (lines[0], '\t'));
  ck_assert_ptr_nonnull (strstr (lines[1], "\"seq\":1"));
  /* One changed byte in a complete record: damage, not a torn write. */
  {
    g_autofree char *bad = g_strdup (text);
    char *p = strstr (bad, "committed");
    p[0] = 'C';
    ck_assert (g_file_set_contents (path, bad, -1, NULL));
    ck_assert (!wsi_journal_read (path, &state, &intents, &error));
    ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_JOURNAL_CORRUPT));
    g_clear_error (&error);
  }
  /* Records swapped: out of sequence. */
  {
    g_autofree char *swapped = g_strdup_printf ("%s\n%s\n", lines[1], lines[0]);
    ck_assert (g_file_set_contents (path, swapped, -1, NULL));
    ck_assert (!wsi_journal_read (path, &state, &intents, &error));
    ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_JOURNAL_CORRUPT));
    g_clear_error (&error);
  }
  /* A record with a checksum after one without: not one journal. */
  {
    g_autofree char *mixed = g_strdup_printf ("{\"record\":\"begin\",\"journal\":1,\"action\":\"install\",\"steps\":0}\n%s\n",
                                              lines[1]);
    ck_assert (g_file_set_contents (path, mixed, -1, NULL));
    ck_assert (!wsi_journal_read (path, &state, &intents, &error));
    ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_JOURNAL_CORRUPT));
    g_clear_error (&error);
  }
  /* Journal 1 (no checksums at all) is still read. */
  ck_assert (g_file_set_contents (path, "{\"record\":\"begin\",\"journal\":1,\"action\":\"install\",\"steps\":0}\n"
                                        "{\"record\":\"end\",\"state\":\"committed\"}\n", -1, NULL));
  ck_assert (wsi_journal_read (path, &state, &intents, &error));
  ck_assert_int_eq (state, WSI_JOURNAL_COMMITTED);
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (a_torn_tail_is_cut_back_before_the_next_record)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "j.journal", NULL);
  g_autoptr(GPtrArray) intents = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *good = NULL;
  g_autofree char *after = NULL;
  WsiJournalState state;

  {
    g_autoptr(WsiJournal) j = wsi_journal_create (path, "install", 2, &error);
    ck_assert_ptr_nonnull (j);
  }
  good = read_text (path);
  {
    /* A record the full disk cut: half a line, no newline. */
    g_autofree char *torn = g_strconcat (good, "{\"seq\":1,\"record\":\"don", NULL);
    ck_assert (g_file_set_contents (path, torn, -1, NULL));
  }
  ck_assert (wsi_journal_read (path, &state, &intents, &error));
  ck_assert_int_eq (state, WSI_JOURNAL_IN_PROGRESS);
  {
    g_autoptr(WsiJournal) j = wsi_journal_open_append (path, &error);
    ck_assert_ptr_nonnull (j);
    ck_assert (wsi_journal_end (j, WSI_JOURNAL_ROLLED_BACK, &error));
  }
  after = read_text (path);
  ck_assert (g_str_has_prefix (after, good));
  ck_assert_ptr_null (strstr (after, "\"don"));
  g_clear_pointer (&intents, g_ptr_array_unref);
  ck_assert (wsi_journal_read (path, &state, &intents, &error));
  ck_assert_int_eq (state, WSI_JOURNAL_ROLLED_BACK);
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (an_empty_or_unbegun_journal_is_not_started_and_removed)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "machine.xml", NULL);
  g_autofree char *journal = g_strconcat (path, ".journal", NULL);
  g_autoptr(WsiMachine) before = wsi_test_load_reference ("win10-x64");
  static const char *const contents[] = { "", "{\"seq\":0,\"record\":\"beg" };

  write_machine (before, path);
  for (gsize i = 0; i < G_N_ELEMENTS (contents); i++)
    {
      g_autoptr(WsiBackend) backend = open_sim (path, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) intents = NULL;
      WsiJournalState state;

      ck_assert (g_file_set_contents (journal, contents[i], -1, NULL));
      ck_assert (wsi_journal_read (journal, &state, &intents, &error));
      ck_assert_int_eq (state, WSI_JOURNAL_NONE);
      ck_assert (wsi_journal_is_stale (journal));
      ck_assert (wsi_txn_recover (backend, journal, &state, NULL, NULL, &error));
      ck_assert_int_eq (state, WSI_JOURNAL_NONE);
      ck_assert (!g_file_test (journal, G_FILE_TEST_EXISTS));
    }
  /* Through the CLI: an apply after a run killed right after the
   * journal's truncating open works, exit 0. */
  if (wsi_fault_injection_available ())
    {
      g_autofree char *manifest = wsi_test_source_path ("manifests/contoso-web-filter.xml");
      const char *apply[] = { "apply", "--quiet", "--machine", path, manifest, NULL };
      g_autoptr(GPtrArray) intents = NULL;
      WsiJournalState state;

      g_setenv ("WSINSTALL_FAULT", "io-crash:write:1", TRUE);
      ck_assert_int_eq (wsi_test_run_cli (apply, NULL, NULL), 128 + SIGKILL);
      g_setenv ("WSINSTALL_FAULT", "io-fail:write:1:ENOSPC", TRUE);
      ck_assert_int_eq (wsi_test_run_cli (apply, NULL, NULL), 2);
      g_unsetenv ("WSINSTALL_FAULT");
      ck_assert_int_eq (wsi_test_run_cli (apply, NULL, NULL), 0);
      ck_assert (wsi_journal_read (journal, &state, &intents, NULL));
      ck_assert_int_eq (state, WSI_JOURNAL_COMMITTED);
    }
  wsi_test_rmtree (dir);
}
END_TEST

/* The last fsync (or write) of a fault-free apply is the commit record's:
 * when it fails, the apply is not committed and rolls back. */
START_TEST (a_failed_commit_record_rolls_back)
{
  static const WsiIoOp ops[] = { WSI_IO_FSYNC, WSI_IO_WRITE };
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "machine.xml", NULL);
  g_autofree char *journal = g_strconcat (path, ".journal", NULL);
  g_autoptr(WsiMachine) before = wsi_test_load_reference ("win81-x64");
  g_autoptr(WsiManifest) m = wsi_test_load_example ("contoso-web-filter.xml");
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiPlan) plan = wsi_plan_build (before, &m, 1, 0, diags);
  guint last[G_N_ELEMENTS (ops)];

  if (!wsi_fault_injection_available ())
    return;
  ck_assert_ptr_nonnull (plan);
  write_machine (before, path);
  ck_assert (wsi_io_faults_configure ("", NULL));
  {
    g_autoptr(WsiBackend) backend = open_sim (path, NULL);
    ck_assert_int_eq (wsi_txn_apply (backend, plan, journal, NULL, NULL, NULL), WSI_TXN_COMMITTED);
  }
  for (gsize i = 0; i < G_N_ELEMENTS (ops); i++)
    last[i] = wsi_io_get_count (ops[i]);
  for (gsize i = 0; i < G_N_ELEMENTS (ops); i++)
    {
      g_autofree char *spec = g_strdup_printf ("io-fail:%s:%u:EIO", wsi_io_op_to_string (ops[i]), last[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) intents = NULL;
      g_autoptr(WsiMachine) after = NULL;
      WsiJournalState state;

      write_machine (before, path);
      ck_assert (wsi_io_faults_configure (spec, NULL));
      {
        g_autoptr(WsiBackend) backend = open_sim (path, NULL);
        ck_assert_int_eq (wsi_txn_apply (backend, plan, journal, NULL, NULL, &error), WSI_TXN_ROLLED_BACK);
      }
      ck_assert (wsi_io_faults_fired ());
      ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_IO));
      after = reload (path);
      assert_equivalent (before, after, spec);
      ck_assert (wsi_journal_read (journal, &state, &intents, NULL));
      ck_assert_int_eq (state, WSI_JOURNAL_ROLLED_BACK);
    }
  ck_assert (wsi_io_faults_configure ("", NULL));
  wsi_test_rmtree (dir);
}
END_TEST

/* Issue 12: two failures in one uninstall (the second in its rollback),
 * then recover; and an uninstall killed, its recover killed right after
 * each of its operations, then recovered again. The layered entry must get
 * its LSP categories back (the undo of its removal, an install, found it
 * present and skipped the provider info). */
START_TEST (recovering_an_uninstall_restores_lsp_categories)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "machine.xml", NULL);
  g_autofree char *manifest = wsi_test_source_path ("manifests/contoso-web-filter.xml");
  g_autoptr(WsiMachine) before = wsi_test_load_reference ("win10-x64");
  g_autoptr(WsiMachine) installed = NULL;
  const char *apply[] = { "apply", "--quiet", "--machine", path, manifest, NULL };
  const char *uninstall[] = { "uninstall", "--quiet", "--machine", path, manifest, NULL };
  const char *recover[] = { "recover", "--machine", path, NULL };
  gboolean has_categories = FALSE;

  if (!wsi_fault_injection_available ())
    return;
  write_machine (before, path);
  ck_assert_int_eq (wsi_test_run_cli (apply, NULL, NULL), 0);
  installed = reload (path);
  for (guint i = 0; i < wsi_catalog_get_size (wsi_machine_peek_catalog (installed, WSI_CATALOG_64)); i++)
    has_categories |= wsi_catalog_get_entry (wsi_machine_peek_catalog (installed, WSI_CATALOG_64), i)->lsp_categories != 0;
  ck_assert (has_categories);
  for (guint k = 0; k <= 8; k++)
    {
      g_autoptr(WsiMachine) after = NULL;
      g_autofree char *what = k == 0 ? g_strdup ("fail:7,fail:11") : g_strdup_printf ("crash:7, then crash:%u", k);

      write_machine (installed, path);
      if (k == 0)
        {
          g_setenv ("WSINSTALL_FAULT", "fail:7,fail:11", TRUE);
          ck_assert_int_eq (wsi_test_run_cli (uninstall, NULL, NULL), 3);
        }
      else
        {
          g_autofree char *fault = g_strdup_printf ("crash:%u", k);
          g_setenv ("WSINSTALL_FAULT", "crash:7", TRUE);
          ck_assert_int_eq (wsi_test_run_cli (uninstall, NULL, NULL), 128 + SIGKILL);
          g_setenv ("WSINSTALL_FAULT", fault, TRUE);
          wsi_test_run_cli (recover, NULL, NULL);
        }
      g_unsetenv ("WSINSTALL_FAULT");
      ck_assert_int_eq (wsi_test_run_cli (recover, NULL, NULL), 0);
      after = reload (path);
      assert_equivalent (installed, after, what);
    }
  wsi_test_rmtree (dir);
}
END_TEST

/* A journal is untrusted: a planted one whose undo installs a DLL from a
 * user-writable folder is refused before any call. */
START_TEST (a_planted_journal_outside_the_path_policy_is_refused)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "machine.xml", NULL);
  g_autofree char *journal = g_strconcat (path, ".journal", NULL);
  g_autoptr(WsiMachine) before = wsi_test_load_reference ("win10-x64");
  g_autoptr(WsiManifest) m = wsi_test_load_example ("contoso-web-filter.xml");
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiPlan) install = wsi_plan_build (before, &m, 1, 0, diags);
  g_autoptr(WsiPlan) removal = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WsiMachine) after = NULL;
  const char *recover[] = { "recover", "--machine", path, NULL };
  g_autofree char *err = NULL;
  WsiPlanStep *evil = NULL;

  ck_assert_ptr_nonnull (install);
  removal = wsi_plan_build (install->after, &m, 1, WSI_PLAN_FLAG_UNINSTALL, diags);
  ck_assert_ptr_nonnull (removal);
  write_machine (before, path);
  /* An uninstall's deinstall step, its undo pointed at evil.dll. */
  for (guint i = 0; i < removal->steps->len && evil == NULL; i++)
    {
      const WsiPlanStep *s = g_ptr_array_index (removal->steps, i);
      if (s->op == WSI_STEP_DEINSTALL_PROVIDER && s->bitness != 0)
        {
          evil = wsi_plan_step_copy (s);
          wsi_plan_step_free (evil->undo);
          evil->undo = wsi_plan_step_make_inverse (evil, install->after, &error);
          ck_assert_ptr_nonnull (evil->undo);
          g_free (evil->undo->path);
          evil->undo->path = g_strdup ("C:\\Users\\Public\\evil.dll");
        }
    }
  ck_assert_ptr_nonnull (evil);
  {
    g_autoptr(WsiJournal) j = wsi_journal_create (journal, "uninstall", 1, &error);
    ck_assert_ptr_nonnull (j);
    ck_assert (wsi_journal_intent (j, evil, &error));
  }
  wsi_plan_step_free (evil);
  {
    g_autoptr(WsiBackend) backend = open_sim (path, NULL);
    WsiJournalState found;
    gboolean started = TRUE;
    ck_assert (!wsi_txn_recover_full (backend, journal, &found, &started, NULL, NULL, &error));
    ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_JOURNAL_STEP_REFUSED));
    ck_assert (!started);
    ck_assert_uint_eq (backend->n_operations, 0);
  }
  ck_assert_int_eq (wsi_test_run_cli (recover, NULL, &err), 2);
  ck_assert_msg (strstr (err, "[journal-step-refused]") != NULL, "%s", err);
  after = reload (path);
  assert_equivalent (before, after, "after the refused journal");
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (registry_steps_from_a_journal_follow_the_write_policy)
{
  g_autoptr(GError) error = NULL;

  ck_assert (wsi_policy_check_registry_replay ("Winsock\\Parameters", "Transports", NULL));
  ck_assert (wsi_policy_check_registry_replay ("Winsock\\Parameters\\TCP on SAN", "Vendor", NULL));
  ck_assert (wsi_policy_check_registry_replay ("Litware\\Parameters\\Winsock", "HelperDllName", NULL));
  ck_assert (wsi_policy_check_registry_replay ("HKLM\\SOFTWARE\\wsinstall\\Products\\litware", "Version", NULL));
  ck_assert (!wsi_policy_check_registry_replay ("HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run", "x", &error));
  ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_POLICY));
  g_clear_error (&error);
  ck_assert (!wsi_policy_check_registry_replay ("Winsock\\Parameters", "Catalog", &error));
  g_clear_error (&error);
  ck_assert (!wsi_policy_check_registry_replay ("Tcpip\\Parameters\\Winsock\\..", "Mapping", &error));
  g_clear_error (&error);
  ck_assert (!wsi_policy_check_registry_replay ("HKLM\\SOFTWARE\\wsinstall\\Products\\a\\b", "x", &error));
  g_clear_error (&error);
  /* A transport of Windows is no manifest's, so no journal's either. */
  ck_assert (!wsi_policy_check_registry_replay ("Tcpip\\Parameters\\Winsock", "HelperDllName", &error));
  ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_POLICY));
  g_clear_error (&error);
  ck_assert (!wsi_policy_check_registry_replay ("afd\\Parameters\\Winsock", "Mapping", &error));
}
END_TEST

/* ---- files the engine owns: links, devices, FIFOs, modes, copies ---- */

START_TEST (cli_refuses_links_devices_fifos_and_directories_with_status_2)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "machine.xml", NULL);
  g_autofree char *manifest = wsi_test_source_path ("manifests/contoso-web-filter.xml");
  g_autofree char *fifo = g_build_filename (dir, "fifo", NULL);
  g_autofree char *subdir = g_build_filename (dir, "subdir", NULL);
  g_autofree char *link = g_build_filename (dir, "link.journal", NULL);
  g_autofree char *target = g_build_filename (dir, "elsewhere", NULL);
  g_autofree char *lock = g_strconcat (path, ".lock", NULL);
  g_autofree char *missing = g_build_filename (dir, "no", "such", "dir", NULL);
  g_autoptr(WsiMachine) before = wsi_test_load_reference ("win10-x64");
  const char *journals[] = { "/dev/full", fifo, subdir, link };

  write_machine (before, path);
  ck_assert_int_eq (mkfifo (fifo, 0600), 0);
  ck_assert_int_eq (g_mkdir (subdir, 0700), 0);
  ck_assert_int_eq (symlink (target, link), 0);
  for (gsize i = 0; i < G_N_ELEMENTS (journals); i++)
    {
      const char *apply[] = { "apply", "--quiet", "--machine", path, "--journal", journals[i], manifest, NULL };
      const char *recover[] = { "recover", "--machine", path, "--journal", journals[i], NULL };
      g_autofree char *err = NULL;
      g_autofree char *err2 = NULL;
      g_autoptr(WsiMachine) after = NULL;

      ck_assert_int_eq (wsi_test_run_cli (apply, NULL, &err), 2);
      ck_assert_msg (strstr (err, "[file-not-regular]") != NULL, "%s: %s", journals[i], err);
      ck_assert_int_eq (wsi_test_run_cli (recover, NULL, &err2), 2);
      ck_assert_msg (strstr (err2, "[file-not-regular]") != NULL, "%s: %s", journals[i], err2);
      after = reload (path);
      assert_equivalent (before, after, journals[i]);
    }
  ck_assert (!g_file_test (target, G_FILE_TEST_EXISTS));
  /* A journal that cannot be created: nothing ran, 2. */
  {
    const char *apply[] = { "apply", "--quiet", "--machine", path, "--journal", missing, manifest, NULL };
    ck_assert_int_eq (wsi_test_run_cli (apply, NULL, NULL), 2);
  }
  /* A planted lock link creates nothing where it points. */
  g_unlink (lock);
  ck_assert_int_eq (symlink (target, lock), 0);
  {
    const char *apply[] = { "apply", "--quiet", "--machine", path, manifest, NULL };
    g_autofree char *err = NULL;
    ck_assert_int_eq (wsi_test_run_cli (apply, NULL, &err), 2);
    ck_assert_msg (strstr (err, "[file-not-regular]") != NULL, "%s", err);
  }
  ck_assert (!g_file_test (target, G_FILE_TEST_EXISTS));
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (a_link_to_the_snapshot_shares_its_lock)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "machine.xml", NULL);
  g_autofree char *alias = g_build_filename (dir, "alias.xml", NULL);
  g_autofree char *manifest = wsi_test_source_path ("manifests/contoso-web-filter.xml");
  g_autoptr(WsiMachine) before = wsi_test_load_reference ("win10-x64");
  const char *apply[] = { "apply", "--quiet", "--lock-timeout", "1", "--machine", alias, manifest, NULL };
  const char *recover[] = { "recover", "--lock-timeout", "1", "--machine", alias, NULL };
  g_autofree char *err = NULL;
  g_autofree char *err2 = NULL;
  g_autoptr(WsiLock) held = NULL;
  GStatBuf st;

  write_machine (before, path);
  ck_assert_int_eq (symlink (path, alias), 0);
  held = wsi_lock_acquire (path, 1000, NULL);
  ck_assert_ptr_nonnull (held);
  ck_assert_int_eq (wsi_test_run_cli (apply, NULL, &err), 1);
  ck_assert_msg (strstr (err, "[machine-locked]") != NULL, "%s", err);
  /* recover on a locked machine: 1, as its --help says. */
  ck_assert_int_eq (wsi_test_run_cli (recover, NULL, &err2), 1);
  ck_assert_msg (strstr (err2, "[machine-locked]") != NULL, "%s", err2);
  g_clear_pointer (&held, wsi_lock_release);
  ck_assert_int_eq (wsi_test_run_cli (apply, NULL, NULL), 0);
  /* The real file changed; the alias is still a link to it. */
  ck_assert_int_eq (g_lstat (alias, &st), 0);
  ck_assert (S_ISLNK (st.st_mode));
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (apply_keeps_the_snapshot_mode_and_removes_stale_copies)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "machine.xml", NULL);
  g_autofree char *manifest = wsi_test_source_path ("manifests/contoso-web-filter.xml");
  g_autofree char *ours = g_strconcat (path, ".wsi-Ab12Cd", NULL);
  g_autofree char *legacy = g_strconcat (path, ".Xy34Zq", NULL);
  g_autofree char *backup = g_strconcat (path, ".backup", NULL);
  g_autofree char *text = NULL;
  g_autoptr(WsiMachine) before = wsi_test_load_reference ("win10-x64");
  const char *apply[] = { "apply", "--quiet", "--machine", path, manifest, NULL };
  const char *recover[] = { "recover", "--machine", path, NULL };
  GStatBuf st;

  write_machine (before, path);
  ck_assert_int_eq (g_chmod (path, 0600), 0);
  text = wsi_snapshot_to_string (before);
  ck_assert (g_file_set_contents (ours, "<?xml ver", -1, NULL));
  ck_assert (g_file_set_contents (legacy, text, -1, NULL));
  ck_assert (g_file_set_contents (backup, "my notes", -1, NULL));
  ck_assert_int_eq (wsi_test_run_cli (recover, NULL, NULL), 0);
  ck_assert (!g_file_test (ours, G_FILE_TEST_EXISTS));
  ck_assert (!g_file_test (legacy, G_FILE_TEST_EXISTS));
  ck_assert (g_file_test (backup, G_FILE_TEST_EXISTS));
  ck_assert_int_eq (wsi_test_run_cli (apply, NULL, NULL), 0);
  ck_assert_int_eq (g_stat (path, &st), 0);
  ck_assert_uint_eq (st.st_mode & 0777, 0600);
  ck_assert_uint_eq (st.st_uid, getuid ());
  /* A copy killed before its rename is removed by the next command. */
  if (wsi_fault_injection_available ())
    {
      const char *uninstall[] = { "uninstall", "--quiet", "--machine", path, manifest, NULL };
      g_autoptr(WsiMachine) after = reload (path);
      g_autoptr(WsiMachine) now = NULL;
      g_setenv ("WSINSTALL_FAULT", "io-crash:rename:1", TRUE);
      ck_assert_int_eq (wsi_test_run_cli (uninstall, NULL, NULL), 128 + SIGKILL);
      g_unsetenv ("WSINSTALL_FAULT");
      ck_assert_int_eq (wsi_test_run_cli (recover, NULL, NULL), 0);
      {
        g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
        const char *name;
        while ((name = g_dir_read_name (d)) != NULL)
          ck_assert_msg (strstr (name, ".wsi-") == NULL, "%s left", name);
      }
      now = reload (path);
      assert_equivalent (after, now, "uninstall killed before its first rename, then recover");
    }
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (io_fault_syntax_is_checked)
{
  g_autoptr(GError) error = NULL;
  static const char *const good[] = { "io-fail:write:3:ENOSPC", "io-short:write:2:crash", "io-short:write:1:continue",
                                      "io-crash:any:4", "io-fail:lock:1:EACCES", "fail:2,io-fail:dirsync:1:EIO" };
  static const char *const bad[] = { "io-fail:write:0:ENOSPC", "io-fail:seek:1:EIO", "io-fail:write:1:EPERM",
                                     "io-short:fsync:1:crash", "io-crash:write", "io-explode:1" };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    ck_assert_msg (wsi_io_faults_validate (good[i], NULL), "%s", good[i]);
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      ck_assert_msg (!wsi_io_faults_validate (bad[i], &error), "%s", bad[i]);
      ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_INVALID_ARGUMENT));
      g_clear_error (&error);
    }
  if (wsi_fault_injection_available ())
    {
      g_autofree char *dir = wsi_test_mkdtemp ();
      g_autofree char *path = g_build_filename (dir, "machine.xml", NULL);
      g_autofree char *manifest = wsi_test_source_path ("manifests/contoso-web-filter.xml");
      g_autoptr(WsiMachine) before = wsi_test_load_reference ("win10-x64");
      const char *apply[] = { "apply", "--quiet", "--machine", path, manifest, NULL };
      write_machine (before, path);
      g_setenv ("WSINSTALL_FAULT", "io-fail:write:x:EIO", TRUE);
      ck_assert_int_eq (wsi_test_run_cli (apply, NULL, NULL), 2);
      /* The lock fails: nothing ran. */
      g_setenv ("WSINSTALL_FAULT", "io-fail:lock:1:EIO", TRUE);
      ck_assert_int_eq (wsi_test_run_cli (apply, NULL, NULL), 2);
      g_unsetenv ("WSINSTALL_FAULT");
      wsi_test_rmtree (dir);
    }
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("txn");
  TCase *tc = tcase_create ("txn");

  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, apply_then_uninstall_is_equivalent_and_apply_twice_is_a_no_op);
  tcase_add_test (tc, vendor_b_over_a_survives_uninstalling_a);
  tcase_add_test (tc, a_failing_rollback_is_incomplete_and_recover_finishes_it);
  tcase_add_test (tc, a_call_without_effect_is_detected_and_rolled_back);
  tcase_add_test (tc, a_second_writer_waits_then_fails_with_locked);
  tcase_add_test (tc, concurrent_applies_never_interleave);
  tcase_add_test (tc, a_torn_journal_line_is_ignored_and_garbage_is_refused);
  tcase_add_test (tc, cli_exit_codes_follow_the_contract);
  tcase_add_test (tc, repair_fixes_the_damage_and_touches_nothing_healthy);
  tcase_add_test (tc, cli_apply_on_a_locked_machine_fails_with_machine_locked);
  tcase_add_test (tc, cli_recover_finishes_a_repair_whose_last_step_cannot_be_undone);
  tcase_add_test (tc, journal_records_are_checksummed_and_sequenced);
  tcase_add_test (tc, a_torn_tail_is_cut_back_before_the_next_record);
  tcase_add_test (tc, an_empty_or_unbegun_journal_is_not_started_and_removed);
  tcase_add_test (tc, a_failed_commit_record_rolls_back);
  tcase_add_test (tc, recovering_an_uninstall_restores_lsp_categories);
  tcase_add_test (tc, a_planted_journal_outside_the_path_policy_is_refused);
  tcase_add_test (tc, registry_steps_from_a_journal_follow_the_write_policy);
  tcase_add_test (tc, cli_refuses_links_devices_fifos_and_directories_with_status_2);
  tcase_add_test (tc, a_link_to_the_snapshot_shares_its_lock);
  tcase_add_test (tc, apply_keeps_the_snapshot_mode_and_removes_stale_copies);
  tcase_add_test (tc, io_fault_syntax_is_checked);
  suite_add_tcase (s, tc);
  return wsi_test_run_suite (s);
}
