/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-import-hive.c: the offline SYSTEM hive importer (libhivex). The
 * hives are built from tests/data/hive/minimal.hive and the reference .reg
 * exports, and must import to the machines the .reg files give. */
#include "wsi-config.h"
#include "wsi-test-import.h"

#include <glib/gstdio.h>
#include <string.h>

#include "wsi-import-private.h"
#include "wsi-reg-file-private.h"

#if WSI_HAVE_HIVEX
#include <hivex.h>
#endif

#if WSI_HAVE_HIVEX
typedef struct {
  GPtrArray *keys;    /* char* relative paths, in file order */
  GHashTable *values; /* path -> GPtrArray of hive_set_value (owned strings) */
  char *cur;
} HiveSource;

static void
set_value_free (gpointer data)
{
  hive_set_value *v = data;

  g_free (v->key);
  g_free (v->value);
  g_free (v);
}

static WsiRegKeyAction
collect_key (const char *path, gboolean deleted, int line, gpointer user_data)
{
  HiveSource *src = user_data;
  g_autofree char *root = NULL;
  char *rel = NULL;

  g_clear_pointer (&src->cur, g_free);
  if (!wsi_import_split_services_path (path, &root, &rel) || rel[0] == '\0')
    {
      g_free (rel);
      return WSI_REG_KEY_SKIP;
    }
  src->cur = rel;
  if (g_hash_table_lookup (src->values, rel) == NULL)
    {
      g_ptr_array_add (src->keys, g_strdup (rel));
      g_hash_table_insert (src->values, g_strdup (rel), g_ptr_array_new_with_free_func (set_value_free));
    }
  return WSI_REG_KEY_WANT;
}

static gboolean
collect_value (const char *name, guint32 type, GBytes *data, int line, gpointer user_data)
{
  HiveSource *src = user_data;
  hive_set_value *v = g_new0 (hive_set_value, 1);
  gsize len = 0;
  const void *p = g_bytes_get_data (data, &len);

  v->key = g_strdup (name);
  v->t = (hive_type) type;
  v->len = len;
  v->value = g_memdup2 (p, len);
  g_ptr_array_add (g_hash_table_lookup (src->values, src->cur), v);
  return TRUE;
}

static hive_node_h
ensure_path (hive_h *h, hive_node_h node, const char *path)
{
  g_auto(GStrv) segs = g_strsplit (path, "\\", -1);

  for (guint i = 0; segs[i] != NULL; i++)
    {
      hive_node_h child = hivex_node_get_child (h, node, segs[i]);
      if (child == 0)
        child = hivex_node_add_child (h, node, segs[i]);
      ck_assert_msg (child != 0, "adding %s", segs[i]);
      node = child;
    }
  return node;
}

/* A SYSTEM hive with the Services keys of a .reg fixture, built from
 * tests/data/hive/minimal.hive with hivex's write API. @select is the
 * Select\Current value (0: no Select key). */

static char *
build_hive (const char *dir, const char *reg_name, guint32 select)
{
  g_autofree char *minimal = wsi_test_data_path ("hive/minimal.hive");
  g_autofree char *out = g_strdup_printf ("%s/%s.hive", dir, reg_name != NULL ? reg_name : "empty");
  g_autoptr(GBytes) base = NULL;
  HiveSource src = { g_ptr_array_new_with_free_func (g_free),
                     g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref), NULL };
  hive_h *h;
  hive_node_h services;

  base = wsi_test_read_data ("hive/minimal.hive");
  ck_assert (g_file_set_contents (out, g_bytes_get_data (base, NULL), (gssize) g_bytes_get_size (base), NULL));
  if (reg_name != NULL)
    {
      static const WsiRegFileHandler handler = { collect_key, collect_value };
      g_autofree char *file = g_strconcat ("reg/", reg_name, ".reg", NULL);
      g_autoptr(GBytes) reg = wsi_test_read_data (file);
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();

      ck_assert (wsi_reg_file_parse (g_bytes_get_data (reg, NULL), g_bytes_get_size (reg), file, &handler, &src,
                                     NULL, diags));
    }
  h = hivex_open (out, HIVEX_OPEN_WRITE);
  ck_assert_ptr_nonnull (h);
  if (select != 0)
    {
      guint8 le[4] = { (guint8) select, 0, 0, 0 };
      hive_set_value v = { (char *) "Current", hive_t_REG_DWORD, 4, (char *) le };
      hive_node_h sel = hivex_node_add_child (h, hivex_root (h), "Select");
      ck_assert_int_eq (hivex_node_set_values (h, sel, 1, &v, 0), 0);
    }
  services = ensure_path (h, hivex_root (h), "ControlSet001\\Services");
  for (guint i = 0; i < src.keys->len; i++)
    {
      const char *path = g_ptr_array_index (src.keys, i);
      GPtrArray *values = g_hash_table_lookup (src.values, path);
      g_autofree hive_set_value *flat = g_new0 (hive_set_value, values->len + 1);
      hive_node_h node = ensure_path (h, services, path);

      for (guint j = 0; j < values->len; j++)
        flat[j] = *(hive_set_value *) g_ptr_array_index (values, j);
      ck_assert_int_eq (hivex_node_set_values (h, node, values->len, flat, 0), 0);
    }
  ck_assert_int_eq (hivex_commit (h, NULL, 0), 0);
  hivex_close (h);
  g_ptr_array_unref (src.keys);
  g_hash_table_unref (src.values);
  g_free (src.cur);
  return g_steal_pointer (&out);
}

START_TEST (hives_import_to_the_same_machine_as_the_reg_exports)
{
  const char *name = wsi_test_reference_names[_i];
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *hive = build_hive (dir, name, 1);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(WsiMachine) from_reg = wsi_test_import_reference (name);
  g_autoptr(WsiMachine) m = wsi_import_hive_file (hive, NULL, diags, &error);
  g_autofree char *desc = NULL;

  ck_assert_msg (m != NULL, "%s", wsi_test_diags_to_string (diags));
  ck_assert_machines_equal (m, from_reg);
  desc = g_strdup_printf ("Imported from %s.hive (offline SYSTEM hive, ControlSet001)", name);
  ck_assert_str_eq (wsi_machine_get_description (m), desc);
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (truncated_and_damaged_hives_never_give_a_partial_machine)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *hive = build_hive (dir, "win81-x64", 1);
  g_autofree char *cut_path = g_build_filename (dir, "cut.hive", NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(WsiMachine) full = wsi_test_import_reference ("win81-x64");
  g_autofree char *contents = NULL;
  gsize len = 0;
  guint refused = 0, tried = 0;

  ck_assert (g_file_get_contents (hive, &contents, &len, NULL));
  for (gsize cut = 0; cut < len; cut += MAX (len / 150, 1))
    {
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
      g_autoptr(WsiMachine) m = NULL;

      ck_assert (g_file_set_contents (cut_path, contents, (gssize) cut, NULL));
      m = wsi_import_hive_file (cut_path, NULL, diags, NULL);
      tried++;
      if (m == NULL)
        {
          ck_assert_msg (wsi_test_has_input_error (diags), "cut at %zu: %s", cut, wsi_test_diags_to_string (diags));
          refused++;
        }
      else
        ck_assert_machines_equal (m, full);
    }
  ck_assert_uint_gt (refused, tried * 8 / 10);

  /* Overwrite a few bytes at many places: whatever comes out, a machine
   * without diagnostics or diagnostics without a machine, never a crash. */
  for (gsize at = 0; at + 4 < len; at += 97)
    {
      g_autofree char *copy = g_memdup2 (contents, len);
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
      g_autoptr(WsiMachine) m = NULL;

      memset (copy + at, at % 2 ? 0xFF : 0x00, 4);
      ck_assert (g_file_set_contents (cut_path, copy, (gssize) len, NULL));
      m = wsi_import_hive_file (cut_path, NULL, diags, NULL);
      ck_assert ((m == NULL) == wsi_diag_list_has_errors (diags));
    }
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (hives_without_a_usable_control_set_are_hive_malformed)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *no_select = build_hive (dir, NULL, 0);
  g_autofree char *wrong_select = NULL;
  g_autofree char *no_winsock = NULL;
  g_autofree char *text = g_build_filename (dir, "text.hive", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.hive", NULL);
  g_autoptr(WsiDiagList) d1 = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) d2 = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) d3 = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) d4 = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) d5 = wsi_diag_list_new ();

  ck_assert_ptr_null (wsi_import_hive_file (no_select, NULL, d1, NULL));
  ck_assert_diag (d1, "hive-malformed", 0);
  {
    g_autofree char *sub = g_build_filename (dir, "w", NULL);
    g_mkdir (sub, 0700);
    wrong_select = build_hive (sub, NULL, 2);
  }
  ck_assert_ptr_null (wsi_import_hive_file (wrong_select, NULL, d2, NULL));
  ck_assert_diag (d2, "hive-malformed", 0);
  {
    g_autofree char *sub = g_build_filename (dir, "n", NULL);
    g_mkdir (sub, 0700);
    no_winsock = build_hive (sub, NULL, 1);
  }
  ck_assert_ptr_null (wsi_import_hive_file (no_winsock, NULL, d3, NULL));
  ck_assert_diag (d3, "catalog-keys-inconsistent", 0);
  ck_assert (g_file_set_contents (text, "REGEDIT4\r\n", -1, NULL));
  ck_assert_ptr_null (wsi_import_hive_file (text, NULL, d4, NULL));
  ck_assert_diag (d4, "hive-malformed", 0);
  ck_assert_ptr_null (wsi_import_hive_file (missing, NULL, d5, NULL));
  ck_assert_diag (d5, "file-unreadable", 0);
  ck_assert (wsi_import_hive_supported ());
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (hive_key_names_with_control_characters_are_refused)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *hive = build_hive (dir, "win7-x86", 1);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  hive_h *h = hivex_open (hive, HIVEX_OPEN_WRITE);

  /* Windows never writes such a name; a hostile hive could, and it would
   * not survive a .reg export. */
  ck_assert_ptr_nonnull (h);
  ensure_path (h, hivex_root (h), "ControlSet001\\Services\\Bad\nName\\Parameters\\Winsock");
  ck_assert_int_eq (hivex_commit (h, NULL, 0), 0);
  hivex_close (h);
  ck_assert_ptr_null (wsi_import_hive_file (hive, NULL, diags, NULL));
  ck_assert_diag (diags, "hive-malformed", 0);
  wsi_test_rmtree (dir);
}
END_TEST
#else

START_TEST (hive_import_is_not_supported_without_hivex)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(GError) error = NULL;

  ck_assert (!wsi_import_hive_supported ());
  ck_assert_ptr_null (wsi_import_hive_file ("whatever", NULL, diags, &error));
  ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_NOT_SUPPORTED));
}
END_TEST
#endif

static Suite *
import_hive_suite (void)
{
  Suite *s = suite_create ("import-hive");
  TCase *hive = tcase_create ("hive");
  int n = WSI_TEST_N_REFERENCES;

  tcase_set_timeout (hive, 240);
#if WSI_HAVE_HIVEX
  tcase_add_loop_test (hive, hives_import_to_the_same_machine_as_the_reg_exports, 0, n);
  tcase_add_test (hive, truncated_and_damaged_hives_never_give_a_partial_machine);
  tcase_add_test (hive, hives_without_a_usable_control_set_are_hive_malformed);
  tcase_add_test (hive, hive_key_names_with_control_characters_are_refused);
#else
  (void) n;
  tcase_add_test (hive, hive_import_is_not_supported_without_hivex);
#endif
  suite_add_tcase (s, hive);
  return s;
}

int
main (void)
{
  return wsi_test_run_suite (import_hive_suite ());
}
