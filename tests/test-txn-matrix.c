/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-txn-matrix.c: the WSC and I/O fault matrix. "Old or new, whatever
 * the disk does", proven by injection:
 *
 * for apply (every example manifest on every reference machine where it
 * plans), uninstall (the same pairs, after the apply), repair (the damaged
 * test machines) and recover (of an apply killed half-way), each run as the
 * CLI runs it — lock, removal of stale copies, recovery, transaction — in a
 * child process, with
 *   - every WSC operation N: fail:N, crash:N, crash-before:N;
 *   - every I/O operation N of every kind: io-fail with ENOSPC, EIO and
 *     EACCES; for writes also a short write then a crash (torn), then
 *     success, then ENOSPC;
 * and each case followed by a recover killed at every one of its
 * operations, each of those followed by one more recover. After every case:
 *   - the exit status says where the machine is: 0 new, 1 and 2 old (2:
 *     nothing ran), 3 or killed: after a recover, old, or new if the commit
 *     record was durable;
 *   - every recover sequence ends where the plain recover ends (so a
 *     command that exited 0 is never rolled back), `catalog diff`-equivalent
 *     (the engine's diff: LSP categories and registry values included);
 *   - no temporary copy is left once a recover has run.
 *
 * The normal suite runs a deterministic slice (every WSI_FAULT_MATRIX_STRIDE
 * -th case of each kind, 40 by default, and recover crashes at the WSC
 * operations); WSI_FAULT_MATRIX=full runs every case, with recover crashes
 * at every I/O operation. */
#include "wsi-test-util.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "wsi-catalog-diff.h"
#include "wsi-io-private.h"
#include "wsi-lock.h"
#include "wsi-manifest.h"
#include "wsi-plan.h"
#include "wsi-snapshot.h"
#include "wsi-txn.h"

#define KILLED 137

typedef struct {
  char       *dir;
  char       *path;
  char       *journal;
  gboolean    full;
  guint       stride;
  guint       cases;      /* cases run */
  guint       children;   /* processes run for them */
  guint       total;      /* cases counted, run or not */
  GHashTable *kinds;      /* fault kind -> cases of it seen */
  GHashTable *ran_kinds;  /* fault kind -> cases of it run */
} Matrix;

/* One command on one starting point. */
typedef struct {
  const char       *label;
  const WsiPlan    *plan;       /* NULL: the command is recover */
  const WsiMachine *old;
  const WsiMachine *new;        /* NULL for recover: it always ends old */
  GHashTable       *setup;      /* file name -> GBytes: the directory to start from */
} Scenario;


/* ---- the directory as a value ---- */

static GHashTable *
dir_save (const char *dir)
{
  GHashTable *files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *full = g_build_filename (dir, name, NULL);
      char *data = NULL;
      gsize len = 0;
      if (g_str_has_suffix (name, ".lock"))
        continue;
      ck_assert (g_file_get_contents (full, &data, &len, NULL));
      g_hash_table_insert (files, g_strdup (name), g_bytes_new_take (data, len));
    }
  return files;
}

static void
dir_restore (const char *dir, GHashTable *files)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) old = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  GHashTableIter it;
  gpointer k, v;

  while ((name = g_dir_read_name (d)) != NULL)
    if (!g_str_has_suffix (name, ".lock"))
      g_ptr_array_add (old, g_build_filename (dir, name, NULL));
  for (guint i = 0; i < old->len; i++)
    g_unlink (g_ptr_array_index (old, i));
  g_hash_table_iter_init (&it, files);
  while (g_hash_table_iter_next (&it, &k, &v))
    {
      g_autofree char *full = g_build_filename (dir, (const char *) k, NULL);
      gsize len = 0;
      const char *data = g_bytes_get_data (v, &len);
      ck_assert (g_file_set_contents (full, data != NULL ? data : "", (gssize) len, NULL));
    }
}

static guint
count_temporaries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while ((name = g_dir_read_name (d)) != NULL)
    n += strstr (name, ".wsi-") != NULL;
  return n;
}

/* ---- one run, as the CLI runs it, in a child ---- */

/* What a run did: its exit status, and how many operations of each kind
 * it made (the fault-free run tells how many cases there are). */
typedef struct {
  int   rc;
  guint io[WSI_IO_N_OPS + 1];   /* per operation, then of any kind */
  guint wsc;                    /* WSC operations attempted */
  guint8 modified[4096];        /* per I/O call k (any kind), at k - 1: could it change the disk */
} RunCounts;

static int
child_main (Matrix *mx, const WsiPlan *plan, const char *spec, guint wsc_n, RunCounts *counts)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(WsiLock) lock = NULL;
  g_autoptr(WsiBackend) backend = NULL;
  WsiJournalState found;
  gboolean started = FALSE;
  gboolean wrapped = FALSE;
  int rc;

  /* No Check assertions in the child: its exit status is the answer. */
  if (!wsi_io_faults_configure (spec, NULL))
    return 99;
  lock = wsi_lock_acquire (mx->path, 1000, &error);
  if (lock == NULL || !wsi_snapshot_remove_stale_copies (mx->path, NULL, &error))
    rc = 2;
  else if ((backend = wsi_backend_sim_new (mx->path, diags)) == NULL)
    rc = 2;
  else
    {
      /* Always wrapped, so that the WSC operations are counted. */
      backend = wsi_backend_fault_new (g_steal_pointer (&backend), spec, &error);
      if (backend == NULL)
        return 99;
      wrapped = TRUE;
      if (!wsi_txn_recover_full (backend, mx->journal, &found, &started, NULL, NULL, &error))
        rc = started ? 3 : 2;
      else if (plan == NULL)
        rc = 0;
      else
        switch (wsi_txn_apply (backend, plan, mx->journal, NULL, NULL, &error))
          {
          case WSI_TXN_COMMITTED: rc = 0; break;
          case WSI_TXN_ROLLED_BACK: rc = 1; break;
          case WSI_TXN_NOT_STARTED: rc = 2; break;
          default: rc = 3; break;
          }
    }
  /* A run without faults must not fail: say why when it does. */
  if (rc != 0 && *spec == '\0')
    fprintf (stderr, "# unexpected exit %d: %s %s\n", rc, error != NULL ? error->message : "",
             wsi_test_diags_to_string (diags));
  counts->rc = rc;
  for (guint op = 0; op <= WSI_IO_N_OPS; op++)
    counts->io[op] = wsi_io_get_count (op);
  counts->wsc = wrapped ? wsi_backend_fault_get_attempts (backend) : 0;
  for (guint k = 1; k <= counts->io[WSI_IO_N_OPS] && k <= sizeof counts->modified; k++)
    counts->modified[k - 1] = wsi_io_call_modified (k);
  if (wsi_io_faults_fired () || (wrapped && wsc_n > 0 && counts->wsc >= wsc_n))
    return rc;
  return rc + 100;
}

/* Runs the command (@plan, or recover when NULL) with @spec; returns its
 * exit status (KILLED for SIGKILL); *fired says whether the fault hit;
 * @counts (may be NULL) receives what a run that was not killed did. */
static int
run_child_counted (Matrix *mx, const WsiPlan *plan, const char *spec, guint wsc_n, gboolean *fired,
                   RunCounts *counts)
{
  int status = 0;
  int fds[2];
  pid_t pid;

  fflush (NULL);
  ck_assert_int_eq (pipe (fds), 0);
  pid = fork ();
  ck_assert_int_ge (pid, 0);
  if (pid == 0)
    {
      RunCounts c = { 0 };
      int code;
      close (fds[0]);
      code = child_main (mx, plan, spec, wsc_n, &c);
      if (write (fds[1], &c, sizeof c) != (gssize) sizeof c)
        code = 98;
      _exit (code);
    }
  close (fds[1]);
  {
    /* Read even when not wanted: the child must not die of SIGPIPE. A
     * killed child wrote nothing. */
    RunCounts c = { 0 };
    if (read (fds[0], &c, sizeof c) != (gssize) sizeof c)
      memset (&c, 0, sizeof c);
    if (counts != NULL)
      *counts = c;
  }
  close (fds[0]);
  ck_assert_int_eq (waitpid (pid, &status, 0), pid);
  mx->children++;
  if (WIFSIGNALED (status))
    {
      ck_assert_int_eq (WTERMSIG (status), SIGKILL);
      *fired = TRUE;
      return KILLED;
    }
  ck_assert (WIFEXITED (status));
  ck_assert_msg (WEXITSTATUS (status) != 98 && WEXITSTATUS (status) != 99, "the child could not run (%s)", spec);
  *fired = WEXITSTATUS (status) < 100;
  return WEXITSTATUS (status) % 100;
}

static int
run_child (Matrix *mx, const WsiPlan *plan, const char *spec, guint wsc_n, gboolean *fired)
{
  return run_child_counted (mx, plan, spec, wsc_n, fired, NULL);
}

static void
assert_state (const char *path, const WsiMachine *want, const char *what)
{
  g_autoptr(WsiMachine) got = wsi_test_reload_snapshot (path, what);
  g_autofree char *why = NULL;

  ck_assert_msg (wsi_test_machines_equivalent (want, got, &why), "%s: the machine is not where it should be:\n%s",
                 what, why);
}

/* After a main run with exit status @rc: recovers (plain, then killed at
 * each of its operations and recovered again), each ending in the same,
 * right state. */
static void
check_after (Matrix *mx, const Scenario *sc, int rc, const char *what)
{
  g_autoptr(GHashTable) state = dir_save (mx->dir);
  g_autoptr(WsiMachine) baseline = NULL;
  gboolean fired;
  const WsiMachine *want = NULL;
  RunCounts plain;
  guint k_max;

  /* What the exit status promises, right away. */
  if (rc == 0)
    assert_state (mx->path, sc->plan != NULL ? sc->new : sc->old, what);
  else if (rc == 1 || (rc == 2 && sc->plan != NULL))
    assert_state (mx->path, sc->old, what);
  else
    ck_assert_msg (rc == 2 || rc == 3 || rc == KILLED, "%s: exit status %d", what, rc);

  /* The plain recover. */
  ck_assert_msg (run_child_counted (mx, NULL, "", 0, &fired, &plain) == 0, "%s, then recover: it failed", what);
  baseline = wsi_test_reload_snapshot (mx->path, what);
  /* Killed, or exit 3 (the rollback is incomplete: a step that cannot be
   * undone took effect, and recover finishes the run): old or new. */
  if (rc == 0 && sc->plan != NULL)
    want = sc->new;
  else if ((rc != KILLED && rc != 3) || sc->plan == NULL)
    want = sc->old;
  if (want != NULL)
    assert_state (mx->path, want, what);
  else
    ck_assert_msg (wsi_test_machines_equivalent (baseline, sc->old, NULL) ||
                     wsi_test_machines_equivalent (baseline, sc->new, NULL),
                   "%s: after recover, neither old nor new", what);
  ck_assert_msg (count_temporaries (mx->dir) == 0, "%s: a temporary copy is left", what);

  /* Recover killed at its operation k (every I/O operation in the full
   * matrix, every WSC operation in the slice), then recovered. Killed
   * before call k, the disk is as after call k - 1: when that call could
   * not change it (an fsync, a lock, an open that creates nothing), the
   * state is one already tried, and before call 1 it is the plain
   * recover's; those are skipped. */
  k_max = mx->full ? plain.io[WSI_IO_N_OPS] : plain.wsc;
  ck_assert_uint_le (k_max, sizeof plain.modified);
  for (guint k = 1; k <= k_max; k++)
    {
      g_autofree char *spec = mx->full ? g_strdup_printf ("io-crash:any:%u", k) : g_strdup_printf ("crash-before:%u", k);
      g_autofree char *sub = g_strdup_printf ("%s, then recover with %s", what, spec);
      int r;

      if (mx->full && (k == 1 || !plain.modified[k - 2]))
        continue;
      dir_restore (mx->dir, state);
      r = run_child (mx, NULL, spec, mx->full ? 0 : k, &fired);
      ck_assert_msg (r == KILLED, "%s: not killed (exit %d)", sub, r);
      r = run_child (mx, NULL, "", 0, &fired);
      ck_assert_msg (r == 0, "%s, then recover: exit %d", sub, r);
      assert_state (mx->path, baseline, sub);
      ck_assert_msg (count_temporaries (mx->dir) == 0, "%s: a temporary copy is left", sub);
    }
}

/* Whether the case with this index of this kind runs in the slice. */
static gboolean
take_case (Matrix *mx, const char *kind)
{
  guint seen = GPOINTER_TO_UINT (g_hash_table_lookup (mx->kinds, kind));

  g_hash_table_replace (mx->kinds, g_strdup (kind), GUINT_TO_POINTER (seen + 1));
  mx->total++;
  if (!mx->full && seen % mx->stride != 0)
    return FALSE;
  g_hash_table_replace (mx->ran_kinds, g_strdup (kind),
                        GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (mx->ran_kinds, kind)) + 1));
  return TRUE;
}

/* One case. Cases the slice skips are counted, not run. */
static void
run_case (Matrix *mx, const Scenario *sc, const char *spec, guint wsc_n, const char *kind)
{
  g_autofree char *what = g_strdup_printf ("%s with %s", sc->label, spec);
  gboolean fired = FALSE;
  int rc;

  if (!take_case (mx, kind))
    return;
  dir_restore (mx->dir, sc->setup);
  rc = run_child (mx, sc->plan, spec, wsc_n, &fired);
  /* With one fault, the run is the fault-free one up to it: it fires. */
  ck_assert_msg (fired, "%s: the fault did not fire", what);
  mx->cases++;
  check_after (mx, sc, rc, what);
}

static void
run_scenario (Matrix *mx, const Scenario *sc)
{
  const char *only = g_getenv ("WSI_FAULT_MATRIX_ONLY");
  static const char *const errs[] = { "ENOSPC", "EIO", "EACCES" };
  static const char *const short_modes[] = { "crash", "continue", "ENOSPC" };
  RunCounts clean;
  gboolean fired;

  /* WSI_FAULT_MATRIX_ONLY=TEXT: only the starting points whose label holds
   * TEXT (to study one, or to time it). */
  if (only != NULL && strstr (sc->label, only) == NULL)
    return;
  /* The fault-free run: how many operations of each kind there are. */
  dir_restore (mx->dir, sc->setup);
  ck_assert_int_eq (run_child_counted (mx, sc->plan, "", 0, &fired, &clean), 0);
  /* WSC operations. */
  for (guint n = 1; n <= clean.wsc; n++)
    {
      g_autofree char *fail = g_strdup_printf ("fail:%u", n);
      g_autofree char *crash = g_strdup_printf ("crash:%u", n);
      g_autofree char *before = g_strdup_printf ("crash-before:%u", n);
      run_case (mx, sc, fail, n, "wsc-fail");
      run_case (mx, sc, crash, n, "wsc-crash");
      run_case (mx, sc, before, n, "wsc-crash-before");
    }
  /* I/O operations. */
  for (guint op = 0; op < WSI_IO_N_OPS; op++)
    for (guint n = 1; n <= clean.io[op]; n++)
      {
        for (gsize e = 0; e < G_N_ELEMENTS (errs); e++)
          {
            g_autofree char *spec = g_strdup_printf ("io-fail:%s:%u:%s", wsi_io_op_to_string (op), n, errs[e]);
            g_autofree char *kind = g_strdup_printf ("io-fail:%s:%s", wsi_io_op_to_string (op), errs[e]);
            run_case (mx, sc, spec, 0, kind);
          }
        if (op == WSI_IO_WRITE)
          for (gsize m = 0; m < G_N_ELEMENTS (short_modes); m++)
            {
              g_autofree char *spec = g_strdup_printf ("io-short:write:%u:%s", n, short_modes[m]);
              g_autofree char *kind = g_strdup_printf ("io-short:%s", short_modes[m]);
              run_case (mx, sc, spec, 0, kind);
            }
      }
}

static GHashTable *
setup_of (Matrix *mx, const WsiMachine *machine)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) empty = g_hash_table_new (g_str_hash, g_str_equal);

  dir_restore (mx->dir, empty);
  ck_assert_msg (wsi_snapshot_save (machine, mx->path, &error), "%s", error != NULL ? error->message : "");
  return dir_save (mx->dir);
}

static void
matrix_init (Matrix *mx)
{
  const char *mode = g_getenv ("WSI_FAULT_MATRIX");
  const char *stride = g_getenv ("WSI_FAULT_MATRIX_STRIDE");
  guint64 s = 40;

  mx->dir = wsi_test_mkdtemp ();
  mx->path = g_build_filename (mx->dir, "m.xml", NULL);
  mx->journal = g_strconcat (mx->path, ".journal", NULL);
  mx->full = g_strcmp0 (mode, "full") == 0;
  if (stride != NULL)
    ck_assert (g_ascii_string_to_unsigned (stride, 10, 1, 100000, &s, NULL));
  mx->stride = (guint) s;
  mx->kinds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  mx->ran_kinds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static void
matrix_finish (Matrix *mx, const char *command, guint scenarios)
{
  GHashTableIter it;
  gpointer k, v;

  printf ("# fault matrix (%s, %s): %u cases run of %u, %u processes, %u starting points, %u fault kinds\n", command,
          mx->full ? "full" : "slice", mx->cases, mx->total, mx->children, scenarios,
          g_hash_table_size (mx->kinds));
  /* Every kind of fault the scenarios can meet ran at least once. */
  g_hash_table_iter_init (&it, mx->kinds);
  while (g_hash_table_iter_next (&it, &k, &v))
    ck_assert_msg (g_hash_table_contains (mx->ran_kinds, k), "the slice ran no case of %s", (const char *) k);
  ck_assert_uint_gt (mx->cases, 0);
  wsi_test_rmtree (mx->dir);
  g_free (mx->dir);
  g_free (mx->path);
  g_free (mx->journal);
  g_hash_table_unref (mx->kinds);
  g_hash_table_unref (mx->ran_kinds);
}

static const char *const machines[] = { "win7-x86", "win81-x64", "win10-x64", "win10-1709-x64", "win2000-x86" };

static GPtrArray *
example_names (void)
{
  g_autofree char *mdir = wsi_test_source_path ("manifests");
  g_autoptr(GDir) d = g_dir_open (mdir, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".xml"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  return names;
}

/* apply, then uninstall, of every example on every reference machine. */
static void
run_pairs (gboolean uninstall)
{
  Matrix mx = { 0 };
  g_autoptr(GPtrArray) names = example_names ();
  guint scenarios = 0;

  matrix_init (&mx);
  for (guint mi = 0; mi < names->len; mi++)
    for (gsize k = 0; k < G_N_ELEMENTS (machines); k++)
      {
        g_autoptr(WsiManifest) m = wsi_test_load_example (g_ptr_array_index (names, mi));
        g_autoptr(WsiMachine) before = wsi_test_load_reference (machines[k]);
        g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
        g_autoptr(WsiPlan) install = wsi_plan_build (before, &m, 1, 0, diags);
        g_autoptr(WsiPlan) removal = NULL;
        g_autofree char *label = NULL;
        Scenario sc = { 0 };

        if (install == NULL)
          continue;  /* test-plan covers which pairs may not plan */
        if (uninstall)
          {
            removal = wsi_plan_build (install->after, &m, 1, WSI_PLAN_FLAG_UNINSTALL, diags);
            ck_assert_ptr_nonnull (removal);
            ck_assert_uint_gt (removal->steps->len, 0);
          }
        label = g_strdup_printf ("%s %s on %s", uninstall ? "uninstall" : "apply",
                                 (char *) g_ptr_array_index (names, mi), machines[k]);
        sc.label = label;
        sc.plan = uninstall ? removal : install;
        sc.old = uninstall ? install->after : before;
        sc.new = uninstall ? removal->after : install->after;
        sc.setup = setup_of (&mx, sc.old);
        run_scenario (&mx, &sc);
        g_hash_table_unref (sc.setup);
        scenarios++;
      }
  ck_assert_uint_gt (scenarios, 20);
  matrix_finish (&mx, uninstall ? "uninstall" : "apply", scenarios);
}

START_TEST (matrix_apply)
{
  run_pairs (FALSE);
}
END_TEST

START_TEST (matrix_uninstall)
{
  run_pairs (TRUE);
}
END_TEST

START_TEST (matrix_repair)
{
  static const char *const damaged[] = { "repairable-x64.xml", "broken-x64.xml", "leftover-layer.xml",
                                         "win7-x86-lsp-reinstalled.xml" };
  Matrix mx = { 0 };
  guint scenarios = 0;

  matrix_init (&mx);
  for (gsize i = 0; i < G_N_ELEMENTS (damaged); i++)
    {
      g_autofree char *rel = g_strconcat ("snapshots/", damaged[i], NULL);
      g_autofree char *src = wsi_test_data_path (rel);
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
      g_autoptr(WsiMachine) before = wsi_snapshot_load_file (src, diags);
      g_autoptr(WsiPlan) plan = NULL;
      g_autofree char *label = g_strdup_printf ("repair of %s", damaged[i]);
      Scenario sc = { 0 };

      if (before == NULL)
        continue;
      plan = wsi_plan_build_repair (before, diags);
      if (plan == NULL || plan->steps->len == 0)
        continue;
      sc.label = label;
      sc.plan = plan;
      sc.old = before;
      sc.new = plan->after;
      sc.setup = setup_of (&mx, before);
      run_scenario (&mx, &sc);
      g_hash_table_unref (sc.setup);
      scenarios++;
    }
  ck_assert_uint_ge (scenarios, 1);
  matrix_finish (&mx, "repair", scenarios);
}
END_TEST

/* recover, itself under every fault, of an apply killed: half-way
 * through its WSC operations; right after the journal's truncating open
 * (an empty journal: "not started", removed); in the middle of writing
 * the first snapshot copy (a torn, stale temporary copy to remove). */
START_TEST (matrix_recover)
{
  Matrix mx = { 0 };
  g_autoptr(GPtrArray) names = example_names ();
  guint scenarios = 0;

  matrix_init (&mx);
  for (guint mi = 0; mi < names->len; mi++)
    for (gsize k = 0; k < G_N_ELEMENTS (machines); k++)
      {
        g_autoptr(WsiManifest) m = wsi_test_load_example (g_ptr_array_index (names, mi));
        g_autoptr(WsiMachine) before = wsi_test_load_reference (machines[k]);
        g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
        g_autoptr(WsiPlan) install = wsi_plan_build (before, &m, 1, 0, diags);
        g_autoptr(WsiBackend) mem = NULL;
        guint half;

        if (install == NULL)
          continue;
        mem = wsi_backend_memory_new (before);
        for (guint i = 0; i < install->steps->len; i++)
          ck_assert (wsi_plan_step_execute (g_ptr_array_index (install->steps, i), mem, FALSE, NULL, NULL));
        half = (mem->n_operations + 1) / 2 + 1;
        for (int start = 0; start < 3; start++)
          {
            g_autofree char *kill = start == 0 ? g_strdup_printf ("crash-before:%u", half)
                                  : g_strdup (start == 1 ? "io-crash:write:1" : "io-short:write:3:crash");
            g_autofree char *label = NULL;
            Scenario sc = { 0 };
            gboolean fired = FALSE;

            g_hash_table_unref (setup_of (&mx, before));
            ck_assert_int_eq (run_child (&mx, install, kill, start == 0 ? half : 0, &fired), KILLED);
            label = g_strdup_printf ("recover of apply %s on %s (%s)", (char *) g_ptr_array_index (names, mi),
                                     machines[k], kill);
            sc.label = label;
            sc.old = before;
            sc.setup = dir_save (mx.dir);
            run_scenario (&mx, &sc);
            g_hash_table_unref (sc.setup);
            scenarios++;
          }
      }
  matrix_finish (&mx, "recover", scenarios);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("txn-matrix");
  /* One case per command, so that meson runs them side by side
   * (CK_RUN_CASE picks one). The full matrix is long: its own time-out. */
  const struct { const char *name; const TTest *test; } commands[] = {
    { "apply", matrix_apply }, { "uninstall", matrix_uninstall }, { "repair", matrix_repair },
    { "recover", matrix_recover },
  };
  int timeout = g_strcmp0 (g_getenv ("WSI_FAULT_MATRIX"), "full") == 0 ? 4 * 3600 : 600;

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      TCase *tc = tcase_create (commands[i].name);
      tcase_set_timeout (tc, timeout);
      tcase_add_test (tc, commands[i].test);
      suite_add_tcase (s, tc);
    }
  if (timeout > 600)
    {
      /* The full matrix runs in this process: libcheck 0.15 sends a forked
       * test's duration to its parent as a 32-bit count of microseconds,
       * and a test longer than INT_MAX of them (35.8 minutes, easily
       * reached on a slow or busy machine) makes it exit 2 after every
       * case has passed. Each case already runs in a child of its own. */
      SRunner *runner = srunner_create (s);
      int failed;

      srunner_set_fork_status (runner, CK_NOFORK);
      srunner_run_all (runner, CK_ENV);
      failed = srunner_ntests_failed (runner);
      srunner_free (runner);
      return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
    }
  return wsi_test_run_suite (s);
}
