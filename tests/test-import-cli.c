/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-import-cli.c: `wsinstall catalog import` and `catalog export` as a
 * user runs them (the built wsinstall), and the shipped reference catalogs
 * (data/reference) against what the importer makes of their .reg exports. */
#include "wsi-test-import.h"

#include <string.h>

#include "wsi-import-private.h"

START_TEST (cli_import_writes_the_snapshot_only_on_success)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *out = g_build_filename (dir, "m.xml", NULL);
  g_autofree char *reg = g_build_filename (dir, "m.reg", NULL);
  g_autofree char *good = wsi_test_data_path ("reg/win10-x64.reg");
  g_autofree char *bad = wsi_test_data_path ("reg/bad/win7-x86-truncated.reg");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) loaded = NULL;
  g_autoptr(WsiMachine) back = NULL;
  g_autoptr(WsiMachine) expected = wsi_test_import_reference ("win10-x64");
  const char *fail_new[] = { "catalog", "import", "--from=reg", bad, "-o", out, NULL };
  const char *ok[] = { "catalog", "import", "--from=reg", good, "-o", out, NULL };
  const char *export[] = { "catalog", "export", "--to=reg", out, "-o", reg, NULL };

  /* a damaged input: exit 1 and no file at all */
  ck_assert_int_eq (wsi_test_run_cli (fail_new, NULL, NULL), 1);
  ck_assert (!g_file_test (out, G_FILE_TEST_EXISTS));
  ck_assert_int_eq (wsi_test_run_cli (ok, NULL, NULL), 0);
  loaded = wsi_snapshot_load_file (out, diags);
  ck_assert_msg (loaded != NULL, "%s", wsi_test_diags_to_string (diags));
  ck_assert_machines_equal (loaded, expected);
  /* a failed import leaves the previous snapshot as it was */
  ck_assert (g_file_get_contents (out, &before, NULL, NULL));
  ck_assert_int_eq (wsi_test_run_cli (fail_new, NULL, NULL), 1);
  ck_assert (g_file_get_contents (out, &after, NULL, NULL));
  ck_assert_str_eq (before, after);
  /* and export gives back the same machine */
  ck_assert_int_eq (wsi_test_run_cli (export, NULL, NULL), 0);
  back = wsi_import_reg_file (reg, NULL, diags);
  ck_assert_ptr_nonnull (back);
  ck_assert_machines_equal (back, expected);
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (cli_reference_catalogs_are_what_the_importer_makes)
{
  /* data/reference/NAME.xml must stay what `catalog import` gives for the
   * .reg fixtures (tools/refcat/make-reference.sh), descriptions aside. */
  const char *name = wsi_test_reference_names[_i];
  g_autofree char *rel = g_strconcat ("data/reference/", name, ".xml", NULL);
  g_autofree char *path = wsi_test_source_path (rel);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) shipped = wsi_snapshot_load_file (path, diags);
  g_autoptr(WsiMachine) imported = wsi_test_import_reference (name);

  ck_assert_msg (shipped != NULL, "%s", wsi_test_diags_to_string (diags));
  ck_assert_machines_equal (shipped, imported);
}
END_TEST

static Suite *
import_cli_suite (void)
{
  Suite *s = suite_create ("import-cli");
  TCase *cli = tcase_create ("cli");
  int n = WSI_TEST_N_REFERENCES;

  tcase_set_timeout (cli, 120);
  tcase_add_test (cli, cli_import_writes_the_snapshot_only_on_success);
  tcase_add_loop_test (cli, cli_reference_catalogs_are_what_the_importer_makes, 0, n);
  suite_add_tcase (s, cli);
  return s;
}

int
main (void)
{
  return wsi_test_run_suite (import_cli_suite ());
}
