/* test-txn.c: the executor, proven by injecting failures. The fault matrix
 * runs every example manifest against every reference catalog and, for every
 * backend operation N of the plan, fails N, kills the process right after N,
 * and kills it right before N (and crashes the rollback that follows a
 * failure); each time the machine must end equivalent to its old state. */
#include "wsi-test-util.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wsi-catalog-check.h"
#include "wsi-catalog-diff.h"
#include "wsi-lock.h"
#include "wsi-manifest.h"
#include "wsi-plan.h"
#include "wsi-snapshot.h"
#include "wsi-txn.h"

static WsiMachine *
reload (const char *path)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  WsiMachine *m = wsi_snapshot_load_file (path, diags);
  g_autofree char *all = wsi_test_diags_to_string (diags);

  ck_assert_msg (m != NULL, "the snapshot %s does not load after the run:\n%s", path, all);
  return m;
}

static gboolean
equivalent (const WsiMachine *a, const WsiMachine *b, char **why)
{
  WsiDiff *diff = wsi_machine_diff (a, b);
  gboolean same = wsi_diff_is_equivalent (diff);

  if (!same && why != NULL)
    *why = wsi_diff_to_text (diff);
  wsi_diff_free (diff);
  return same;
}

static void
assert_equivalent (const WsiMachine *a, const WsiMachine *b, const char *what)
{
  g_autofree char *why = NULL;
  ck_assert_msg (equivalent (a, b, &why), "%s: machines differ:\n%s", what, why);
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

typedef struct {
  guint cases;
  guint pairs;
} MatrixCount;

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
      ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_WINSOCK));
    }
  after = reload (path);
  assert_equivalent (before, after, what);
}

START_TEST (fault_matrix_every_example_every_reference_every_operation)
{
  static const char *const machines[] = { "win7-x86", "win81-x64", "win10-x64", "win10-1709-x64", "win2000-x86" };
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *path = g_build_filename (dir, "machine.xml", NULL);
  g_autofree char *mdir = wsi_test_source_path ("manifests");
  g_autoptr(GDir) d = g_dir_open (mdir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  MatrixCount count = { 0 };

  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".xml"))
      g_ptr_array_add (names, g_strdup (name));
  for (guint mi = 0; mi < names->len; mi++)
    for (gsize k = 0; k < G_N_ELEMENTS (machines); k++)
      {
        g_autoptr(WsiManifest) m = wsi_test_load_example (g_ptr_array_index (names, mi));
        g_autoptr(WsiMachine) before = wsi_test_load_reference (machines[k]);
        g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
        g_autoptr(WsiPlan) plan = wsi_plan_build (before, &m, 1, 0, diags);
        g_autofree char *label = g_strdup_printf ("%s on %s", (char *) g_ptr_array_index (names, mi), machines[k]);
        guint ops;

        if (plan == NULL)
          continue;  /* test-plan covers which pairs may not plan */
        ops = count_operations (before, plan);
        ck_assert_uint_gt (ops, 0);
        count.pairs++;
        for (guint n = 1; n <= ops; n++)
          {
            g_autofree char *fail = g_strdup_printf ("fail:%u", n);
            g_autofree char *crash = g_strdup_printf ("crash:%u", n);
            g_autofree char *crash_before = g_strdup_printf ("crash-before:%u", n);
            /* The rollback after fail:N runs N-1 or fewer inverses: crash
             * its first one. */
            g_autofree char *crash_rollback = g_strdup_printf ("fail:%u,crash:%u", n, n + 1);

            run_matrix_case (before, plan, path, fail, FALSE, label);
            run_matrix_case (before, plan, path, crash, TRUE, label);
            run_matrix_case (before, plan, path, crash_before, TRUE, label);
            count.cases += 3;
            if (n > 1)
              {
                run_matrix_case (before, plan, path, crash_rollback, TRUE, label);
                count.cases++;
              }
          }
      }
  printf ("# fault matrix: %u cases over %u manifest x machine pairs\n", count.cases, count.pairs);
  ck_assert_uint_gt (count.pairs, 20);
  wsi_test_rmtree (dir);
}
END_TEST

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
  ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_INVALID_MACHINE));
  g_clear_error (&error);
  g_file_set_contents (path, "not a journal\n{}\n", -1, NULL);
  ck_assert (!wsi_journal_read (path, &state, &intents, &error));
  ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_INVALID_MACHINE));
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

int
main (void)
{
  Suite *s = suite_create ("txn");
  TCase *tc = tcase_create ("txn");
  TCase *matrix = tcase_create ("fault-matrix");

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
  suite_add_tcase (s, tc);
  tcase_set_timeout (matrix, 1800);
  tcase_add_test (matrix, fault_matrix_every_example_every_reference_every_operation);
  suite_add_tcase (s, matrix);
  return wsi_test_run_suite (s);
}
