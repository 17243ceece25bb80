/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-plan.c: resolution and planning, against reference catalogs the
 * project ships (tests/data/reg) and machines built in the tests. */
#include "wsi-test-util.h"

#include <stdio.h>
#include <string.h>

#include "wsi-catalog-check.h"
#include "wsi-catalog-diff.h"
#include "wsi-import-reg.h"
#include "wsi-manifest.h"
#include "wsi-plan.h"
#include "wsi-plan-private.h"
#include "wsi-snapshot.h"

static WsiMachine *
load_reg (const char *name)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autofree char *file = g_strdup_printf ("reg/%s.reg", name);
  g_autofree char *path = wsi_test_data_path (file);
  WsiImportOptions options = { 0 };
  WsiMachine *m = wsi_import_reg_file (path, &options, diags);

  ck_assert_msg (m != NULL, "importing %s failed", path);
  return m;
}

static WsiManifest *
manifest_from_text (const char *text, WsiDiagList *diags)
{
  return wsi_manifest_load_memory (text, strlen (text), "test.xml", diags);
}

static WsiPlan *
plan_one (const WsiMachine *machine, WsiManifest *m, WsiPlanFlags flags, WsiDiagList *diags)
{
  return wsi_plan_build (machine, &m, 1, flags, diags);
}

static WsiPlan *
plan_ok (const WsiMachine *machine, WsiManifest *m, WsiPlanFlags flags)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  WsiPlan *plan = plan_one (machine, m, flags, diags);
  g_autofree char *all = wsi_test_diags_to_string (diags);

  ck_assert_msg (plan != NULL, "planning failed:\n%s", all);
  return plan;
}

static void
assert_equivalent (const WsiMachine *a, const WsiMachine *b)
{
  WsiDiff *diff = wsi_machine_diff (a, b);
  g_autofree char *text = wsi_diff_to_text (diff);
  gboolean same = wsi_diff_is_equivalent (diff);

  wsi_diff_free (diff);
  ck_assert_msg (same, "machines differ:\n%s", text);
}

/* `catalog check` finds no damage. Catalogs that differ are not damage
 * when a manifest targets one catalog, or when the machine drifted before:
 * what matters then is that every chain is sound in its own catalog. */
static void
assert_check_clean (const WsiMachine *m)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autofree char *all = NULL;

  wsi_catalog_check_machine (m, "after", diags);
  all = wsi_test_diags_to_string (diags);
  for (guint i = 0; i < wsi_diag_list_get_size (diags); i++)
    {
      const WsiDiag *d = wsi_diag_list_get (diags, i);
      ck_assert_msg (d->severity != WSI_SEVERITY_ERROR || strcmp (d->tag, "catalogs-out-of-sync") == 0,
                     "catalog check:\n%s", all);
    }
}

START_TEST (sdk_sample_reproduces_the_win2000_install)
{
  g_autoptr(WsiMachine) machine = load_reg ("win2000-x86");
  g_autoptr(WsiManifest) m = wsi_test_load_example ("sdk-sample-foobar-win2000.xml");
  g_autoptr(WsiPlan) plan = plan_ok (machine, m, 0);
  static const guint32 want_order[] = { 1042, 1043, 1044, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009,
                                        1010, 1011, 1012, 1013, 1014, 1015, 1016, 1017, 1018, 1041 };
  const WsiCatalog *after = wsi_machine_peek_catalog (plan->after, WSI_CATALOG_32);
  const WsiPlanStep *dummy = g_ptr_array_index (plan->steps, 0);

  /* The listing: the placeholder got 1041, the three chains 1042-1044 over
   * TCP (1002), UDP (1003) and RAW (1004), moved to the top, dummy last. */
  ck_assert_int_eq (dummy->op, WSI_STEP_INSTALL_PROVIDER);
  ck_assert_uint_eq (g_array_index (dummy->predicted_ids, guint32, 0), 1041);
  for (guint i = 0; i < 3; i++)
    {
      const WsiPlanStep *chain = g_ptr_array_index (plan->steps, 1 + i);
      const WsiPlanEntry *pe = g_ptr_array_index (chain->entries, 0);
      ck_assert_uint_eq (g_array_index (chain->predicted_ids, guint32, 0), 1042 + i);
      ck_assert_uint_eq (pe->n_refs, 2);
      ck_assert_uint_eq (pe->refs[0].predicted_id, 1041);
      ck_assert_uint_eq (pe->refs[1].predicted_id, 1002 + i);
    }
  ck_assert_uint_eq (wsi_catalog_get_size (after), G_N_ELEMENTS (want_order));
  for (guint i = 0; i < G_N_ELEMENTS (want_order); i++)
    ck_assert_uint_eq (wsi_catalog_get_entry (after, i)->catalog_id, want_order[i]);
  ck_assert_str_eq (wsi_catalog_find_id (after, 1042)->name, "Foobar over [MSAFD Tcpip [TCP/IP]]");
  assert_check_clean (plan->after);
}
END_TEST

/* Drift the catalogs the way seed 000 describes: a provider installed into
 * the 64-bit catalog only, then another into both, one call per catalog. */
static WsiMachine *
drifted_machine (WsiGuid *shared)
{
  WsiMachine *machine = load_reg ("win10-1709-x64");
  g_autoptr(WsiEntry) base = wsi_entry_copy (wsi_catalog_get_entry (wsi_machine_peek_catalog (machine, WSI_CATALOG_64), 0));
  const WsiEntry *infos[1] = { base };
  WsiGuid only64;

  base->chain_len = 1;
  wsi_entry_set_name (base, "Only-64 transport");
  ck_assert (wsi_guid_parse ("{11111111-2222-3333-4444-555555555555}", &only64));
  ck_assert (wsi_catalog_install_provider (wsi_machine_get_catalog (machine, WSI_CATALOG_64), &only64,
                                           "C:\\x64only.dll", infos, 1, NULL));
  ck_assert (wsi_guid_parse ("{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}", shared));
  wsi_entry_set_name (base, "Shared transport");
  base->address_family = 40;
  for (int b = 0; b < 2; b++)
    ck_assert (wsi_catalog_install_provider (wsi_machine_get_catalog (machine, b == 0 ? WSI_CATALOG_64 : WSI_CATALOG_32),
                                             shared, "C:\\shared.dll", infos, 1, NULL));
  return machine;
}

START_TEST (out_of_sync_catalogs_get_chains_from_their_own_ids)
{
  WsiGuid shared;
  g_autoptr(WsiMachine) machine = drifted_machine (&shared);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiManifest) m = manifest_from_text (
    "<manifest xmlns=\"urn:wsinstall:manifest:1\">\n"
    "  <product id=\"p\" name=\"P\" vendor=\"V\" version=\"1\"/>\n"
    "  <target profile=\"desktop-x64\" catalogs=\"both\" allow-64-32=\"true\"/>\n"
    "  <layered-provider id=\"l\" guid=\"{0F0F0F0F-0000-0000-0000-000000000001}\" name=\"Over shared\"\n"
    "     path=\"C:\\Windows\\System32\\l.dll\" path32=\"C:\\Windows\\SysWOW64\\l.dll\" ifs=\"false\" categories=\"inspector\"/>\n"
    "  <chain layer=\"l\"><over guid=\"{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}\"/></chain>\n"
    "</manifest>\n", diags);
  g_autoptr(WsiPlan) plan = NULL;
  guint32 id64 = 0, id32 = 0;
  guint chains_checked = 0;
  const WsiPlanStrategy *strategy;

  ck_assert_ptr_nonnull (m);
  {
    g_autoptr(GPtrArray) f64 = wsi_catalog_find_guid (wsi_machine_peek_catalog (machine, WSI_CATALOG_64), &shared);
    g_autoptr(GPtrArray) f32 = wsi_catalog_find_guid (wsi_machine_peek_catalog (machine, WSI_CATALOG_32), &shared);
    id64 = ((const WsiEntry *) g_ptr_array_index (f64, 0))->catalog_id;
    id32 = ((const WsiEntry *) g_ptr_array_index (f32, 0))->catalog_id;
  }
  ck_assert_uint_ne (id64, id32);

  plan = plan_ok (machine, m, 0);
  strategy = g_ptr_array_index (plan->strategies, 0);
  /* allow-64-32 is set, but the catalogs drifted: per catalog. */
  ck_assert_str_eq (strategy->name, "per-catalog");
  for (guint i = 0; i < plan->steps->len; i++)
    {
      const WsiPlanStep *s = g_ptr_array_index (plan->steps, i);
      const WsiCatalog *own;
      if (s->op != WSI_STEP_INSTALL_PROVIDER)
        continue;
      ck_assert_int_ne (s->op, WSI_STEP_INSTALL_PROVIDER_64_32);
      own = wsi_machine_peek_catalog (plan->after, s->bitness);
      for (guint k = 0; k < s->entries->len; k++)
        {
          const WsiPlanEntry *pe = g_ptr_array_index (s->entries, k);
          if (pe->n_refs == 0)
            continue;
          ck_assert_uint_eq (pe->refs[1].predicted_id, s->bitness == WSI_CATALOG_64 ? id64 : id32);
          for (guint r = 0; r < pe->n_refs; r++)
            ck_assert_ptr_nonnull (wsi_catalog_find_id (own, pe->refs[r].predicted_id));
          ck_assert_int_eq (s->needs_32bit_process, s->bitness == WSI_CATALOG_32);
          chains_checked++;
        }
    }
  ck_assert_uint_eq (chains_checked, 2);
  assert_check_clean (plan->after);
}
END_TEST

START_TEST (in_sync_catalogs_use_64_32_when_allowed)
{
  g_autoptr(WsiMachine) machine = load_reg ("win10-1709-x64");
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiManifest) m = manifest_from_text (
    "<manifest xmlns=\"urn:wsinstall:manifest:1\">\n"
    "  <product id=\"p\" name=\"P\" vendor=\"V\" version=\"1\"/>\n"
    "  <target profile=\"desktop-x64\" catalogs=\"both\" allow-64-32=\"true\"/>\n"
    "  <layered-provider id=\"l\" guid=\"{0F0F0F0F-0000-0000-0000-000000000002}\" name=\"L\"\n"
    "     path=\"%SystemRoot%\\System32\\l.dll\" path32=\"%SystemRoot%\\SysWOW64\\l.dll\" ifs=\"false\" categories=\"proxy\"/>\n"
    "  <chain layer=\"l\"><over af=\"inet\" type=\"stream\" protocol=\"tcp\"/></chain>\n"
    "</manifest>\n", diags);
  g_autoptr(WsiPlan) plan = NULL;
  guint dual = 0;

  ck_assert_ptr_nonnull (m);
  ck_assert (wsi_machine_catalogs_in_sync (machine));
  plan = plan_ok (machine, m, 0);
  ck_assert_str_eq (((const WsiPlanStrategy *) g_ptr_array_index (plan->strategies, 0))->name, "64_32");
  for (guint i = 0; i < plan->steps->len; i++)
    dual += ((const WsiPlanStep *) g_ptr_array_index (plan->steps, i))->op == WSI_STEP_INSTALL_PROVIDER_64_32;
  ck_assert_uint_eq (dual, 2);
  ck_assert (wsi_machine_catalogs_in_sync (plan->after));
  {
    g_autoptr(WsiDiagList) check = wsi_diag_list_new ();
    wsi_catalog_check_machine (plan->after, "after", check);
    ck_assert (!wsi_diag_list_has_errors (check));
  }
}
END_TEST

START_TEST (planning_an_installed_manifest_gives_an_empty_plan)
{
  g_autoptr(WsiMachine) machine = load_reg ("win10-x64");
  g_autoptr(WsiManifest) m = wsi_test_load_example ("contoso-web-filter.xml");
  g_autoptr(WsiPlan) first = plan_ok (machine, m, 0);
  g_autoptr(WsiPlan) second = plan_ok (first->after, m, 0);

  ck_assert_uint_gt (first->steps->len, 10);
  ck_assert_uint_eq (second->steps->len, 0);
}
END_TEST

START_TEST (uninstall_returns_an_equivalent_machine)
{
  static const char *const examples[] = { "contoso-web-filter.xml", "fabrikam-ifs-redirector.xml",
                                          "woodgrove-stacked-layers.xml", "tailspin-san-provider.xml",
                                          "litware-wsh-helper.xml", "virtio-vsock-transport.xml" };
  g_autoptr(WsiMachine) machine = load_reg ("win10-1709-x64");

  for (gsize i = 0; i < G_N_ELEMENTS (examples); i++)
    {
      g_autoptr(WsiManifest) m = wsi_test_load_example (examples[i]);
      g_autoptr(WsiPlan) install = plan_ok (machine, m, 0);
      g_autoptr(WsiPlan) removal = plan_ok (install->after, m, WSI_PLAN_FLAG_UNINSTALL);
      assert_check_clean (install->after);
      assert_equivalent (machine, removal->after);
    }
}
END_TEST

START_TEST (removing_a_lower_layer_repairs_the_upper_vendors_chains)
{
  g_autoptr(WsiMachine) machine = load_reg ("win10-x64");
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiManifest) a = manifest_from_text (
    "<manifest xmlns=\"urn:wsinstall:manifest:1\">\n"
    "  <product id=\"a\" name=\"A\" vendor=\"A\" version=\"1\"/>\n"
    "  <target profile=\"desktop-x64\" catalogs=\"both\"/>\n"
    "  <layered-provider id=\"la\" guid=\"{0A0A0A0A-0000-0000-0000-000000000001}\" name=\"A filter\"\n"
    "     path=\"C:\\A\\a64.dll\" path32=\"C:\\A\\a32.dll\" ifs=\"false\" categories=\"firewall\"/>\n"
    "  <chain layer=\"la\"><over af=\"inet\" type=\"stream\" protocol=\"tcp\"/></chain>\n"
    "</manifest>\n", diags);
  g_autoptr(WsiManifest) b = manifest_from_text (
    "<manifest xmlns=\"urn:wsinstall:manifest:1\">\n"
    "  <product id=\"b\" name=\"B\" vendor=\"B\" version=\"1\"/>\n"
    "  <target profile=\"desktop-x64\" catalogs=\"both\"/>\n"
    "  <layered-provider id=\"lb\" guid=\"{0B0B0B0B-0000-0000-0000-000000000001}\" name=\"B proxy\"\n"
    "     path=\"C:\\B\\b64.dll\" path32=\"C:\\B\\b32.dll\" ifs=\"false\" categories=\"proxy\"/>\n"
    "  <chain layer=\"lb\"><over af=\"inet\" type=\"stream\" protocol=\"tcp\" match=\"top-most\"/></chain>\n"
    "</manifest>\n", diags);
  g_autoptr(WsiPlan) pa = NULL;
  g_autoptr(WsiPlan) pb = NULL;
  g_autoptr(WsiPlan) ra = NULL;
  WsiGuid lb;

  ck_assert_ptr_nonnull (a);
  ck_assert_ptr_nonnull (b);
  pa = plan_ok (machine, a, 0);
  pb = plan_ok (pa->after, b, 0);
  ra = plan_ok (pb->after, a, WSI_PLAN_FLAG_UNINSTALL);
  assert_check_clean (ra->after);
  ck_assert (wsi_guid_parse ("{0B0B0B0B-0000-0000-0000-000000000001}", &lb));
  for (int bits = 0; bits < 2; bits++)
    {
      const WsiCatalog *c = wsi_machine_peek_catalog (ra->after, bits == 0 ? WSI_CATALOG_64 : WSI_CATALOG_32);
      const WsiEntry *sock = wsi_catalog_resolve_socket (c, 2, 1, 6);
      const WsiEntry *top;
      /* B's chain now goes straight over the base protocol. */
      ck_assert_ptr_nonnull (sock);
      ck_assert_int_eq (sock->chain_len, 2);
      top = wsi_catalog_find_id (c, sock->chain[0]);
      ck_assert (wsi_guid_equal (&top->provider_id, &lb));
      ck_assert_int_eq (wsi_entry_get_kind (wsi_catalog_find_id (c, sock->chain[1])), WSI_ENTRY_BASE);
    }
}
END_TEST

START_TEST (an_older_version_is_refused_unless_forced)
{
  g_autoptr(WsiMachine) machine = load_reg ("win10-x64");
  g_autoptr(WsiManifest) m = wsi_test_load_example ("contoso-web-filter.xml");
  g_autoptr(WsiPlan) installed = plan_ok (machine, m, 0);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiPlan) refused = NULL;
  g_autoptr(WsiPlan) forced = NULL;

  g_free (m->product.version_string);
  m->product.version_string = g_strdup ("2.0");
  ck_assert (wsi_version_parse ("2.0", &m->product.version));
  refused = plan_one (installed->after, m, 0, diags);
  ck_assert_ptr_null (refused);
  ck_assert_diag (diags, "downgrade-refused", m->product.line);
  forced = plan_ok (installed->after, m, WSI_PLAN_FLAG_FORCE);
  /* Same entries, only the recorded version changes. */
  ck_assert_uint_eq (forced->steps->len, 1);
}
END_TEST

START_TEST (an_upgrade_updates_in_place_and_keeps_ids)
{
  g_autoptr(WsiMachine) machine = load_reg ("win10-x64");
  g_autoptr(WsiManifest) m = wsi_test_load_example ("contoso-web-filter.xml");
  g_autoptr(WsiPlan) v1 = plan_ok (machine, m, 0);
  g_autoptr(WsiPlan) v2 = NULL;
  WsiManifestLayer *layer = g_ptr_array_index (m->layers, 0);
  guint updates = 0, installs = 0;

  g_free (m->product.version_string);
  m->product.version_string = g_strdup ("3.0");
  ck_assert (wsi_version_parse ("3.0", &m->product.version));
  g_free (layer->path);
  layer->path = g_strdup ("%ProgramFiles%\\Contoso\\Web Filter 3\\cwflsp64.dll");
  v2 = plan_ok (v1->after, m, 0);
  for (guint i = 0; i < v2->steps->len; i++)
    {
      const WsiPlanStep *s = g_ptr_array_index (v2->steps, i);
      updates += s->op == WSI_STEP_UPDATE_PROVIDER;
      installs += s->op == WSI_STEP_INSTALL_PROVIDER;
    }
  /* The 64-bit DLL moved: the layered entry and its 4 chains are rewritten
   * in place in the 64-bit catalog, nothing is re-installed. */
  ck_assert_uint_eq (updates, 5);
  ck_assert_uint_eq (installs, 0);
  assert_check_clean (v2->after);
}
END_TEST

START_TEST (unresolvable_selector_is_an_error_at_its_line)
{
  g_autoptr(WsiMachine) machine = load_reg ("win7-x86");
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiManifest) m = manifest_from_text (
    "<manifest xmlns=\"urn:wsinstall:manifest:1\">\n"
    "  <product id=\"p\" name=\"P\" vendor=\"V\" version=\"1\"/>\n"
    "  <target profile=\"desktop-x86\" catalogs=\"32\"/>\n"
    "  <layered-provider id=\"l\" guid=\"{0F0F0F0F-0000-0000-0000-000000000003}\" name=\"L\"\n"
    "     path=\"C:\\l.dll\" ifs=\"false\" categories=\"proxy\"/>\n"
    "  <chain layer=\"l\">\n"
    "    <over af=\"inet\" type=\"stream\" protocol=\"tcp\"/>\n"
    "    <over af=\"hyperv\" type=\"stream\" protocol=\"1\"/>\n"
    "    <over af=\"irda\" type=\"stream\" protocol=\"0\" optional=\"true\"/>\n"
    "  </chain>\n"
    "</manifest>\n", diags);
  g_autoptr(WsiPlan) plan = NULL;

  ck_assert_ptr_nonnull (m);
  plan = plan_one (machine, m, 0, diags);
  ck_assert_ptr_null (plan);
  ck_assert_diag (diags, "selector-unresolved", 8);
  ck_assert (!wsi_test_has_diag (diags, "selector-unresolved", 9));
}
END_TEST

/* Seven layers stacked over TCP would need a chain of eight. */
START_TEST (stacking_past_seven_is_chain_too_long)
{
  g_autoptr(WsiMachine) machine = load_reg ("win7-x86");
  g_autoptr(GString) text = g_string_new ("<manifest xmlns=\"urn:wsinstall:manifest:1\">\n"
                                          "  <product id=\"p\" name=\"P\" vendor=\"V\" version=\"1\"/>\n"
                                          "  <target profile=\"desktop-x86\" catalogs=\"32\"/>\n");
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiManifest) m = NULL;
  WsiManifest *manifests[2];
  g_autoptr(WsiPlan) plan = NULL;
  g_autoptr(WsiManifest) top = NULL;

  /* Six layers in one manifest: a chain of seven, legal. */
  for (int i = 1; i <= 6; i++)
    g_string_append_printf (text, "  <layered-provider id=\"l%d\" guid=\"{0F0F0F0F-0000-0000-0000-00000000010%d}\" name=\"L%d\" path=\"C:\\l%d.dll\" ifs=\"false\" categories=\"proxy\"/>\n", i, i, i, i);
  g_string_append (text, "  <chain layer=\"l1\"><over af=\"inet\" type=\"stream\" protocol=\"tcp\"/></chain>\n");
  for (int i = 2; i <= 6; i++)
    g_string_append_printf (text, "  <chain layer=\"l%d\"><over chains-of=\"l%d\"/></chain>\n", i, i - 1);
  g_string_append (text, "</manifest>\n");
  m = manifest_from_text (text->str, diags);
  ck_assert_msg (m != NULL, "%s", wsi_test_diags_to_string (diags));
  /* A seventh layer from another product over the top-most TCP entry. */
  top = manifest_from_text (
    "<manifest xmlns=\"urn:wsinstall:manifest:1\">\n"
    "  <product id=\"q\" name=\"Q\" vendor=\"V\" version=\"1\"/>\n"
    "  <target profile=\"desktop-x86\" catalogs=\"32\"/>\n"
    "  <layered-provider id=\"q\" guid=\"{0F0F0F0F-0000-0000-0000-000000000201}\" name=\"Q\" path=\"C:\\q.dll\" ifs=\"false\" categories=\"proxy\"/>\n"
    "  <chain layer=\"q\">\n"
    "    <over af=\"inet\" type=\"stream\" protocol=\"tcp\" match=\"top-most\"/>\n"
    "  </chain>\n"
    "</manifest>\n", diags);
  ck_assert_ptr_nonnull (top);
  manifests[0] = m;
  manifests[1] = top;
  plan = wsi_plan_build (machine, manifests, 2, 0, diags);
  ck_assert_ptr_null (plan);
  ck_assert_diag (diags, "chain-too-long", 6);
}
END_TEST

START_TEST (ifs_layer_over_a_non_ifs_chain_is_refused)
{
  g_autoptr(WsiMachine) machine = load_reg ("win7-x86");
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiManifest) lower = manifest_from_text (
    "<manifest xmlns=\"urn:wsinstall:manifest:1\">\n"
    "  <product id=\"n\" name=\"N\" vendor=\"V\" version=\"1\"/>\n"
    "  <target profile=\"desktop-x86\" catalogs=\"32\"/>\n"
    "  <layered-provider id=\"n\" guid=\"{0F0F0F0F-0000-0000-0000-000000000301}\" name=\"N\" path=\"C:\\n.dll\" ifs=\"false\" categories=\"proxy\"/>\n"
    "  <chain layer=\"n\"><over af=\"inet\" type=\"stream\" protocol=\"tcp\"/></chain>\n"
    "</manifest>\n", diags);
  g_autoptr(WsiManifest) upper = manifest_from_text (
    "<manifest xmlns=\"urn:wsinstall:manifest:1\">\n"
    "  <product id=\"i\" name=\"I\" vendor=\"V\" version=\"1\"/>\n"
    "  <target profile=\"desktop-x86\" catalogs=\"32\"/>\n"
    "  <layered-provider id=\"i\" guid=\"{0F0F0F0F-0000-0000-0000-000000000302}\" name=\"I\" path=\"C:\\i.dll\" ifs=\"true\" categories=\"inspector\"/>\n"
    "  <chain layer=\"i\">\n"
    "    <over af=\"inet\" type=\"stream\" protocol=\"tcp\" match=\"top-most\"/>\n"
    "  </chain>\n"
    "</manifest>\n", diags);
  g_autoptr(WsiPlan) p1 = NULL;
  g_autoptr(WsiPlan) p2 = NULL;

  ck_assert_ptr_nonnull (lower);
  ck_assert_ptr_nonnull (upper);
  p1 = plan_ok (machine, lower, 0);
  p2 = plan_one (p1->after, upper, 0, diags);
  ck_assert_ptr_null (p2);
  ck_assert_diag (diags, "ifs-above-non-ifs", 6);
}
END_TEST

START_TEST (a_desktop_x64_manifest_does_not_fit_an_x86_machine)
{
  g_autoptr(WsiMachine) machine = load_reg ("win7-x86");
  g_autoptr(WsiManifest) m = wsi_test_load_example ("contoso-web-filter.xml");
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiPlan) plan = plan_one (machine, m, 0, diags);

  ck_assert_ptr_null (plan);
  ck_assert_diag (diags, "profile-mismatch", m->target.line);
}
END_TEST

START_TEST (plans_are_deterministic_and_steps_round_trip_through_json)
{
  g_autoptr(WsiMachine) machine = load_reg ("win81-x64");
  g_autoptr(WsiManifest) m = wsi_test_load_example ("woodgrove-stacked-layers.xml");
  g_autoptr(WsiPlan) a = plan_ok (machine, m, 0);
  g_autoptr(WsiPlan) b = plan_ok (machine, m, 0);
  g_autofree char *ja = wsi_plan_to_json (a);
  g_autofree char *jb = wsi_plan_to_json (b);

  ck_assert_str_eq (ja, jb);
  for (guint i = 0; i < a->steps->len; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *one = wsi_plan_step_to_json (g_ptr_array_index (a->steps, i));
      g_autoptr(WsiPlanStep) back = wsi_plan_step_from_json (one, &error);
      g_autofree char *again = NULL;
      ck_assert_msg (back != NULL, "%s", error != NULL ? error->message : "");
      again = wsi_plan_step_to_json (back);
      ck_assert_str_eq (one, again);
    }
}
END_TEST

/* `plan --format=json` streams its document to stdout: the stream must be
 * the rendered string (which ends in its newline), and an output that refuses the
 * bytes (a full disk: /dev/full fails at the flush) must be reported, not
 * taken for a written plan. */
START_TEST (a_streamed_plan_document_is_the_rendered_one_and_a_full_output_fails)
{
  g_autoptr(WsiMachine) machine = load_reg ("win81-x64");
  g_autoptr(WsiManifest) m = wsi_test_load_example ("woodgrove-stacked-layers.xml");
  g_autoptr(WsiPlan) plan = plan_ok (machine, m, 0);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autofree char *rendered = wsi_plan_render_json (plan, diags);
  g_autofree char *streamed = NULL;
  gsize len = 0;
  FILE *out = tmpfile ();
  FILE *full = NULL;

  ck_assert_ptr_nonnull (out);
  ck_assert (wsi_plan_write_json (plan, diags, out));
  len = (gsize) ftell (out);
  streamed = g_malloc0 (len + 1);
  rewind (out);
  ck_assert_uint_eq (fread (streamed, 1, len, out), len);
  fclose (out);
  /* Compared without the texts in the message: Check cannot carry a
   * plan-sized failure message. */
  ck_assert_msg (g_strcmp0 (streamed, rendered) == 0, "the streamed plan document differs from the rendered one");

  full = fopen ("/dev/full", "w");
  if (full == NULL)
    return;
  ck_assert (!wsi_plan_write_json (plan, diags, full));
  fclose (full);
}
END_TEST

START_TEST (san_and_wsh_registrations_are_planned_and_removed)
{
  g_autoptr(WsiMachine) machine = load_reg ("win10-1709-x64");
  g_autoptr(WsiManifest) san = wsi_test_load_example ("tailspin-san-provider.xml");
  g_autoptr(WsiManifest) wsh = wsi_test_load_example ("litware-wsh-helper.xml");
  g_autoptr(WsiPlan) p1 = plan_ok (machine, san, 0);
  g_autoptr(WsiPlan) p2 = plan_ok (p1->after, wsh, 0);
  const WsiManifestProvider *sp = NULL;
  const WsiManifestWshHelper *h = g_ptr_array_index (wsh->wsh_helpers, 0);
  g_autoptr(GBytes) data = NULL;
  g_auto(GStrv) transports = NULL;
  g_autofree char *key = g_strdup_printf ("%s\\Parameters\\Winsock", h->transport);
  WsiRegType type = 0;
  guint8 raw[16];

  for (guint i = 0; i < san->providers->len; i++)
    if (((WsiManifestProvider *) g_ptr_array_index (san->providers, i))->san)
      sp = g_ptr_array_index (san->providers, i);
  ck_assert_ptr_nonnull (sp);
  ck_assert (wsi_registry_get (wsi_machine_peek_registry (p2->after), WSI_REG_KEY_TCP_ON_SAN, sp->san_registration,
                               &type, &data));
  wsi_guid_to_bytes (&sp->guid, raw);
  ck_assert_int_eq (type, WSI_REG_BINARY);
  ck_assert_uint_eq (g_bytes_get_size (data), 16);
  ck_assert_mem_eq (g_bytes_get_data (data, NULL), raw, 16);
  transports = wsi_registry_get_multi_sz (wsi_machine_peek_registry (p2->after), WSI_REG_KEY_WINSOCK_PARAMETERS, "Transports");
  ck_assert (g_strv_contains ((const char * const *) transports, h->transport));
  ck_assert (wsi_registry_get (wsi_machine_peek_registry (p2->after), key, "Mapping", &type, NULL));
  ck_assert_int_eq (type, WSI_REG_BINARY);
  {
    g_autoptr(WsiPlan) r2 = plan_ok (p2->after, wsh, WSI_PLAN_FLAG_UNINSTALL);
    g_autoptr(WsiPlan) r1 = plan_ok (r2->after, san, WSI_PLAN_FLAG_UNINSTALL);
    assert_equivalent (machine, r1->after);
  }
}
END_TEST

START_TEST (every_example_plans_against_every_reference_catalog)
{
  static const char *const machines[] = { "win7-x86", "win81-x64", "win10-x64", "win10-1709-x64", "win2000-x86" };
  g_autofree char *dir = wsi_test_source_path ("manifests");
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint planned = 0, mismatched = 0;

  ck_assert_ptr_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autoptr(WsiManifest) m = NULL;
      if (!g_str_has_suffix (name, ".xml"))
        continue;
      m = wsi_test_load_example (name);
      for (gsize i = 0; i < G_N_ELEMENTS (machines); i++)
        {
          g_autoptr(WsiMachine) machine = load_reg (machines[i]);
          g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
          g_autoptr(WsiPlan) plan = plan_one (machine, m, 0, diags);
          g_autofree char *all = wsi_test_diags_to_string (diags);
          if (plan != NULL)
            {
              assert_check_clean (plan->after);
              planned++;
              continue;
            }
          /* A failure is acceptable only when the example's own comment says
           * it fails with that tag. */
          {
            g_autofree char *rel = g_strdup_printf ("manifests/%s", name);
            g_autofree char *file = wsi_test_source_path (rel);
            g_autofree char *text = NULL;
            ck_assert (g_file_get_contents (file, &text, NULL, NULL));
            for (guint k = 0; k < wsi_diag_list_get_size (diags); k++)
              {
                const WsiDiag *dg = wsi_diag_list_get (diags, k);
                if (dg->severity == WSI_SEVERITY_ERROR)
                  ck_assert_msg (strstr (text, dg->tag) != NULL, "%s on %s fails with a tag its comment does not name:\n%s",
                                 name, machines[i], all);
              }
          }
          mismatched++;
        }
    }
  ck_assert_uint_gt (planned, 20);
  printf ("# planned %u manifest x machine pairs, %u refused by profile/selector\n", planned, mismatched);
}
END_TEST

START_TEST (registrations_of_others_are_never_taken_over)
{
  g_autoptr(WsiMachine) machine = load_reg ("win10-1709-x64");
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiManifest) wsh = manifest_from_text (
    "<manifest xmlns=\"urn:wsinstall:manifest:1\">\n"
    "  <product id=\"p\" name=\"P\" vendor=\"V\" version=\"1\"/>\n"
    "  <target profile=\"desktop-x64\" catalogs=\"both\"/>\n"
    "  <wsh-helper transport=\"OtherNet\" dll=\"%SystemRoot%\\System32\\evil.dll\" min-sockaddr=\"16\" max-sockaddr=\"16\">\n"
    "    <mapping af=\"inet\" type=\"stream\" protocol=\"tcp\"/>\n"
    "  </wsh-helper>\n"
    "</manifest>\n", diags);
  g_autoptr(WsiManifest) san = wsi_test_load_example ("tailspin-san-provider.xml");
  g_autoptr(WsiPlan) p1 = NULL;
  g_autoptr(WsiPlan) p2 = NULL;
  const WsiManifestProvider *sp = NULL;
  guint8 other[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
  g_autoptr(GBytes) taken = g_bytes_new (other, sizeof other);

  ck_assert_ptr_nonnull (wsh);
  /* Another vendor's transport with its helper installed. (A manifest may
   * not name Tcpip's or another transport of Windows at all: the manifest
   * checks refuse it, see test-policy.c.) */
  wsi_registry_set_string (wsi_machine_get_registry (machine), "OtherNet\\Parameters\\Winsock", "HelperDllName",
                           WSI_REG_EXPAND_SZ, "%SystemRoot%\\System32\\wshother.dll");
  p1 = plan_one (machine, wsh, 0, diags);
  ck_assert_ptr_null (p1);
  ck_assert_diag (diags, "registry-value-owned-elsewhere", 4);

  for (guint i = 0; i < san->providers->len; i++)
    if (((WsiManifestProvider *) g_ptr_array_index (san->providers, i))->san)
      sp = g_ptr_array_index (san->providers, i);
  wsi_registry_set (wsi_machine_get_registry (machine), WSI_REG_KEY_TCP_ON_SAN, sp->san_registration, WSI_REG_BINARY,
                    taken);
  p2 = plan_one (machine, san, 0, diags);
  ck_assert_ptr_null (p2);
  ck_assert_diag (diags, "registry-value-owned-elsewhere", sp->line);
}
END_TEST

START_TEST (a_catalog_with_duplicate_ids_is_refused_up_front)
{
  g_autofree char *path = wsi_test_data_path ("snapshots/broken-x64.xml");
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) machine = wsi_snapshot_load_file (path, diags);
  g_autoptr(WsiManifest) m = wsi_test_load_example ("contoso-web-filter.xml");
  g_autoptr(WsiPlan) plan = NULL;

  ck_assert_ptr_nonnull (machine);
  plan = plan_one (machine, m, 0, diags);
  ck_assert_ptr_null (plan);
  ck_assert_diag (diags, "duplicate-catalog-id", m->target.line);
  ck_assert (!wsi_test_has_diag (diags, "wsc-call-failed", 0));
}
END_TEST

START_TEST (a_ce_transport_plans_on_a_ce_machine)
{
  g_autoptr(WsiMachine) machine = wsi_machine_new (WSI_MACHINE_CE);
  g_autoptr(WsiManifest) m = wsi_test_load_example ("adatum-ce-transport.xml");
  g_autoptr(WsiPlan) plan = NULL;
  g_autoptr(WsiEntry) tcp = wsi_entry_new ();
  const WsiEntry *infos[1] = { tcp };
  WsiGuid g;
  const WsiPlanStep *install;

  /* A CE catalog with one TCP provider, as Ws2.dll would list it. */
  tcp->chain_len = 1;
  tcp->address_family = 2;
  tcp->socket_type = 1;
  tcp->protocol = 6;
  tcp->min_sockaddr = tcp->max_sockaddr = 16;
  wsi_entry_set_name (tcp, "MSAFD Tcpip [TCP/IP]");
  ck_assert (wsi_guid_parse ("{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}", &g));
  ck_assert (wsi_catalog_install_provider (wsi_machine_get_catalog (machine, WSI_CATALOG_32), &g, "\\Windows\\afd.dll",
                                           infos, 1, NULL));
  plan = plan_ok (machine, m, 0);
  install = g_ptr_array_index (plan->steps, 0);
  ck_assert_int_eq (install->op, WSI_STEP_INSTALL_PROVIDER);
  ck_assert_int_eq (install->bitness, WSI_CATALOG_32);
  ck_assert (!install->needs_32bit_process);
  ck_assert_uint_eq (g_array_index (install->predicted_ids, guint32, 0), 1002);
  ck_assert_str_eq (((const WsiPlanStrategy *) g_ptr_array_index (plan->strategies, 0))->name, "single");
}
END_TEST

/* ---- ownership ---- */

static const char *const every_reference[] = { "win2000-x86", "win7-x86", "win81-x64", "win10-x64", "win10-1709-x64" };

static WsiMachine *
apply_in_memory (const WsiMachine *machine, WsiManifest *m, WsiPlanFlags flags)
{
  g_autoptr(WsiPlan) plan = plan_ok (machine, m, flags);
  return wsi_machine_copy (plan->after);
}

/* A manifest declaring Windows' own GUID (MSAFD Tcpip) is refused before
 * any step, at the provider's line, on every reference machine: never an
 * "update" that takes TCP away. Its uninstall is refused too. */
START_TEST (a_windows_guid_in_a_manifest_is_refused_everywhere)
{
  g_autoptr(WsiMachine) machine = wsi_test_load_reference (every_reference[_i]);
  g_autoptr(WsiManifest) m = wsi_test_load_lifecycle ("impostor-reuses-msafd.xml");
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) udiags = wsi_diag_list_new ();
  g_autoptr(WsiPlan) plan = plan_one (machine, m, 0, diags);
  g_autoptr(WsiPlan) uninstall = plan_one (machine, m, WSI_PLAN_FLAG_UNINSTALL | WSI_PLAN_FLAG_FORCE, udiags);
  g_autoptr(WsiPlan) adopted = NULL;
  g_autoptr(WsiDiagList) adiags = wsi_diag_list_new ();
  const WsiManifestProvider *p = g_ptr_array_index (m->providers, 0);

  ck_assert_ptr_null (plan);
  ck_assert_diag (diags, "guid-owned-elsewhere", p->line);
  ck_assert_ptr_null (uninstall);
  ck_assert_diag (udiags, "guid-owned-elsewhere", 0);
  /* --adopt never reaches Windows' entries. */
  adopted = plan_one (machine, m, WSI_PLAN_FLAG_ADOPT, adiags);
  ck_assert_ptr_null (adopted);
  ck_assert_diag (adiags, "guid-owned-elsewhere", p->line);
}
END_TEST

/* Another product's GUID: refused while that product is installed, named
 * in the message; a third party without a record: refused unless --adopt. */
START_TEST (another_products_guid_is_refused_and_unknown_ones_need_adopt)
{
  g_autoptr(WsiMachine) machine = wsi_test_load_reference ("win10-x64");
  g_autoptr(WsiManifest) contoso = wsi_test_load_lifecycle ("contoso-shield-1.xml");
  g_autoptr(WsiManifest) impostor = wsi_test_load_lifecycle ("impostor-reuses-contoso.xml");
  g_autoptr(WsiMachine) with_contoso = apply_in_memory (machine, contoso, 0);
  g_autoptr(WsiMachine) no_record = wsi_machine_copy (with_contoso);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiPlan) refused = plan_one (with_contoso, impostor, 0, diags);
  g_autoptr(WsiPlan) refused_adopt = NULL;
  g_autoptr(WsiPlan) unknown = NULL;
  g_autoptr(WsiPlan) adopted = NULL;
  g_autoptr(WsiPlan) reapply = NULL;
  const WsiManifestLayer *layer = g_ptr_array_index (impostor->layers, 0);

  ck_assert_ptr_null (refused);
  ck_assert_diag (diags, "guid-owned-elsewhere", layer->line);
  {
    /* The message names the owner. */
    g_autofree char *all = wsi_test_diags_to_string (diags);
    ck_assert_ptr_nonnull (strstr (all, "contoso-shield"));
  }
  g_clear_pointer (&diags, wsi_diag_list_free);
  diags = wsi_diag_list_new ();
  refused_adopt = plan_one (with_contoso, impostor, WSI_PLAN_FLAG_ADOPT, diags);
  ck_assert_ptr_null (refused_adopt);
  ck_assert_diag (diags, "guid-owned-elsewhere", layer->line);

  /* The same entries without Contoso's record (as on a machine imported
   * from a .reg export): an unknown third party's. */
  for (int i = 0; i < 5; i++)
    {
      static const char *const values[] = { "Version", "Name", "Vendor", "Providers", "Transports" };
      wsi_registry_delete (wsi_machine_get_registry (no_record), "HKLM\\SOFTWARE\\wsinstall\\Products\\contoso-shield",
                           values[i]);
    }
  g_clear_pointer (&diags, wsi_diag_list_free);
  diags = wsi_diag_list_new ();
  unknown = plan_one (no_record, contoso, 0, diags);
  ck_assert_ptr_null (unknown);
  ck_assert_diag (diags, "guid-owned-elsewhere", ((WsiManifestLayer *) g_ptr_array_index (contoso->layers, 0))->line);
  /* --adopt takes the product's own entries back: nothing to re-install,
   * only the record to write. */
  adopted = plan_ok (no_record, contoso, WSI_PLAN_FLAG_ADOPT);
  for (guint i = 0; i < adopted->steps->len; i++)
    ck_assert_int_eq (((WsiPlanStep *) g_ptr_array_index (adopted->steps, i))->op, WSI_STEP_SET_REGISTRY_VALUE);
  ck_assert_uint_gt (adopted->steps->len, 0);
  /* With its record, the product's re-apply is its own business. */
  reapply = plan_ok (with_contoso, contoso, 0);
  ck_assert_uint_eq (reapply->steps->len, 0);
}
END_TEST

START_TEST (uninstall_provider_refuses_windows_unless_forced)
{
  g_autoptr(WsiMachine) machine = wsi_test_load_reference (every_reference[_i]);
  WsiGuid msafd = wsi_test_guid ("{E70F1AA0-AB8B-11CF-8CA3-00805F48A192}");
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiDiagList) fdiags = wsi_diag_list_new ();
  g_autoptr(WsiPlan) refused = wsi_plan_build_remove_guid (machine, &msafd, WSI_PLAN_FLAG_UNINSTALL, diags);
  g_autoptr(WsiPlan) forced = wsi_plan_build_remove_guid (machine, &msafd, WSI_PLAN_FLAG_UNINSTALL | WSI_PLAN_FLAG_FORCE,
                                                          fdiags);

  ck_assert_ptr_null (refused);
  ck_assert_diag (diags, "guid-owned-elsewhere", 0);
  ck_assert_msg (forced != NULL, "%s", wsi_test_diags_to_string (fdiags));
  ck_assert_uint_gt (forced->steps->len, 0);
}
END_TEST

/* A layer over TCP: version and IFS-ness as printf arguments. */
#define LOWER_MANIFEST_FORMAT \
    "<manifest xmlns=\"urn:wsinstall:manifest:1\">" \
    "<product id=\"lower\" name=\"Lower\" version=\"%s\"/><target profile=\"desktop-x86\"/>" \
    "<layered-provider id=\"l\" guid=\"{5B0B5A53-3C2D-4F4A-9E0F-0E6C8E3C4D11}\" name=\"Lower LSP\"" \
    " path=\"%%ProgramFiles%%\\Lower\\lower.dll\" ifs=\"%s\" categories=\"inspector\"/>" \
    "<chain layer=\"l\"><over af=\"inet\" type=\"stream\" protocol=\"tcp\"/></chain></manifest>"

/* Version 2 of an IFS layer turns non-IFS, but another vendor's IFS LSP
 * sits above it: updating it in place would put an IFS layer above a
 * non-IFS one in that vendor's chain. No plan can do what is asked without
 * breaking the catalog: the plan checks its end state and refuses. */
START_TEST (a_plan_that_would_break_the_catalog_is_refused)
{
  static const char *const upper =
    "<manifest xmlns=\"urn:wsinstall:manifest:1\">"
    "<product id=\"upper\" name=\"Upper\" version=\"1.0\"/><target profile=\"desktop-x86\"/>"
    "<layered-provider id=\"u\" guid=\"{0B4F1C1A-7E5E-4B8E-8C8E-3A1D2C3B4A55}\" name=\"Upper LSP\""
    " path=\"%ProgramFiles%\\Upper\\upper.dll\" ifs=\"true\" categories=\"inspector\"/>"
    "<chain layer=\"u\"><over af=\"inet\" type=\"stream\" protocol=\"tcp\" match=\"top-most\"/></chain></manifest>";
  g_autoptr(WsiMachine) machine = wsi_test_load_reference ("win7-x86");
  g_autofree char *t1 = g_strdup_printf (LOWER_MANIFEST_FORMAT, "1.0", "true");
  g_autofree char *t2 = g_strdup_printf (LOWER_MANIFEST_FORMAT, "2.0", "false");
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiManifest) lower1 = manifest_from_text (t1, diags);
  g_autoptr(WsiManifest) lower2 = manifest_from_text (t2, diags);
  g_autoptr(WsiManifest) up = manifest_from_text (upper, diags);
  g_autoptr(WsiMachine) a = NULL;
  g_autoptr(WsiMachine) b = NULL;
  g_autoptr(WsiPlan) broken = NULL;
  g_autoptr(WsiPlan) fine = NULL;

  ck_assert_msg (lower1 != NULL && lower2 != NULL && up != NULL, "%s", wsi_test_diags_to_string (diags));
  a = apply_in_memory (machine, lower1, 0);
  b = apply_in_memory (a, up, 0);
  broken = plan_one (b, lower2, 0, diags);
  ck_assert_ptr_null (broken);
  ck_assert_diag (diags, "plan-breaks-catalog", 0);
  {
    /* ... and names the error the step would leave. */
    g_autofree char *all = wsi_test_diags_to_string (diags);
    ck_assert_ptr_nonnull (strstr (all, "ifs-above-non-ifs"));
  }
  /* Without the upper vendor the same upgrade is fine. */
  fine = plan_ok (a, lower2, 0);
  ck_assert_uint_gt (fine->steps->len, 0);
}
END_TEST

/* Version 2 drops one of version 1's two layers: the upgrade removes it
 * with its chains (no record would claim it any more), re-points the
 * surviving layer's chain that went over it, and uninstalling version 2
 * gives the machine back. */
#define TWO_LAYERS_FORMAT \
  "<manifest xmlns=\"urn:wsinstall:manifest:1\">" \
  "<product id=\"dropper\" name=\"Dropper\" version=\"%s\"/><target profile=\"desktop-x86\"/>" \
  "<layered-provider id=\"a\" guid=\"{6E0C9A31-1D55-4B7E-9C3E-0A5B1C2D3E41}\" name=\"Dropper A\"" \
  " path=\"%%ProgramFiles%%\\Dropper\\a.dll\" categories=\"inspector\"/>" \
  "%s" \
  "<chain layer=\"a\"><over af=\"inet\" type=\"stream\" protocol=\"tcp\"/></chain>%s</manifest>"
#define LAYER_B \
  "<layered-provider id=\"b\" guid=\"{6E0C9A31-1D55-4B7E-9C3E-0A5B1C2D3E42}\" name=\"Dropper B\"" \
  " path=\"%ProgramFiles%\\Dropper\\b.dll\" categories=\"inspector\"/>"
#define CHAIN_B "<chain layer=\"b\"><over af=\"inet\" type=\"dgram\" protocol=\"udp\"/></chain>"

START_TEST (an_upgrade_that_drops_a_layer_removes_it)
{
  g_autoptr(WsiMachine) machine = wsi_test_load_reference (every_reference[_i]);
  g_autofree char *t1 = g_strdup_printf (TWO_LAYERS_FORMAT, "1.0", LAYER_B, CHAIN_B);
  g_autofree char *t2 = g_strdup_printf (TWO_LAYERS_FORMAT, "2.0", "", "");
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiManifest) v1 = manifest_from_text (t1, diags);
  g_autoptr(WsiManifest) v2 = manifest_from_text (t2, diags);
  g_autoptr(WsiMachine) a = NULL;
  g_autoptr(WsiMachine) b = NULL;
  g_autoptr(WsiPlan) uninstall = NULL;
  WsiGuid dropped = wsi_test_guid ("{6E0C9A31-1D55-4B7E-9C3E-0A5B1C2D3E42}");
  g_autoptr(GPtrArray) left = NULL;
  g_autoptr(WsiDiagList) check = wsi_diag_list_new ();

  ck_assert_msg (v1 != NULL && v2 != NULL, "%s", wsi_test_diags_to_string (diags));
  a = apply_in_memory (machine, v1, 0);
  b = apply_in_memory (a, v2, 0);
  left = wsi_catalog_find_guid (wsi_machine_peek_catalog (b, WSI_CATALOG_32), &dropped);
  ck_assert_uint_eq (left->len, 0);
  wsi_catalog_check_machine (b, "b", check);
  ck_assert (!wsi_diag_list_has_errors (check));
  uninstall = plan_ok (b, v2, WSI_PLAN_FLAG_UNINSTALL);
  assert_equivalent (machine, uninstall->after);
}
END_TEST

/* Damage that was there before does not block a plan. */
START_TEST (pre_existing_damage_does_not_block_a_plan)
{
  /* Orphan, dangling, repeated and too long chains, an IFS layer above a
   * non-IFS one, but no duplicate ID (which would leave WSC calls unable to
   * name an entry). */
  g_autofree char *path = wsi_test_data_path ("snapshots/repairable-x64.xml");
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) machine = wsi_snapshot_load_file (path, diags);
  g_autoptr(WsiManifest) m = wsi_test_load_lifecycle ("litware-top-64.xml");
  g_autoptr(WsiDiagList) before = wsi_diag_list_new ();
  g_autoptr(WsiPlan) plan = NULL;

  ck_assert_ptr_nonnull (machine);
  wsi_catalog_check_machine (machine, "m", before);
  ck_assert (wsi_diag_list_has_errors (before));
  plan = plan_ok (machine, m, 0);
  ck_assert_uint_gt (plan->steps->len, 0);
  /* ... but is said. */
  ck_assert_uint_gt (plan->notes->len, 0);
}
END_TEST

/* An uninstall's preview names the sockets whose stack it changes: for
 * every example on every reference machine, the same sockets the install
 * previewed, each going back from what the install gave it. */
START_TEST (an_uninstall_previews_the_stacks_it_shortens)
{
  static const char *const examples[] = {
    "adatum-ce-transport.xml", "contoso-parental-x86.xml", "contoso-web-filter.xml", "fabrikam-ifs-redirector.xml",
    "litware-wsh-helper.xml", "sdk-sample-foobar-win2000.xml", "tailspin-san-provider.xml",
    "virtio-vsock-transport.xml", "woodgrove-stacked-layers.xml",
  };
  static const char *const machines[] = { "win7-x86", "win81-x64", "win10-x64", "win10-1709-x64", "win2000-x86" };
  guint pairs = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (examples); i++)
    for (gsize k = 0; k < G_N_ELEMENTS (machines); k++)
      {
        g_autoptr(WsiManifest) m = wsi_test_load_example (examples[i]);
        g_autoptr(WsiMachine) machine = wsi_test_load_reference (machines[k]);
        g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
        g_autoptr(WsiPlan) install = wsi_plan_build (machine, &m, 1, 0, diags);
        g_autoptr(WsiPlan) removal = NULL;

        if (install == NULL || install->preview->len == 0)
          continue;
        removal = wsi_plan_build (install->after, &m, 1, WSI_PLAN_FLAG_UNINSTALL, diags);
        ck_assert_ptr_nonnull (removal);
        ck_assert_msg (removal->preview->len == install->preview->len, "%s on %s: %u rows, the install had %u",
                       examples[i], machines[k], removal->preview->len, install->preview->len);
        for (guint r = 0; r < removal->preview->len; r++)
          {
            const WsiPreviewRow *row = g_ptr_array_index (removal->preview, r);
            const WsiPreviewRow *was = g_ptr_array_index (install->preview, r);
            ck_assert_msg (row->before_id == was->after_id && row->after_id == was->before_id,
                           "%s on %s, row %u: %u -> %u after an install %u -> %u", examples[i], machines[k], r,
                           row->before_id, row->after_id, was->before_id, was->after_id);
          }
        pairs++;
      }
  ck_assert_uint_gt (pairs, 10);
}
END_TEST

int
main (void)
{
  Suite *s = suite_create ("plan");
  TCase *tc = tcase_create ("plan");

  tcase_set_timeout (tc, 120);
  tcase_add_test (tc, sdk_sample_reproduces_the_win2000_install);
  tcase_add_test (tc, out_of_sync_catalogs_get_chains_from_their_own_ids);
  tcase_add_test (tc, in_sync_catalogs_use_64_32_when_allowed);
  tcase_add_test (tc, planning_an_installed_manifest_gives_an_empty_plan);
  tcase_add_test (tc, uninstall_returns_an_equivalent_machine);
  tcase_add_test (tc, removing_a_lower_layer_repairs_the_upper_vendors_chains);
  tcase_add_test (tc, an_older_version_is_refused_unless_forced);
  tcase_add_test (tc, an_upgrade_updates_in_place_and_keeps_ids);
  tcase_add_test (tc, unresolvable_selector_is_an_error_at_its_line);
  tcase_add_test (tc, stacking_past_seven_is_chain_too_long);
  tcase_add_test (tc, ifs_layer_over_a_non_ifs_chain_is_refused);
  tcase_add_test (tc, a_desktop_x64_manifest_does_not_fit_an_x86_machine);
  tcase_add_test (tc, plans_are_deterministic_and_steps_round_trip_through_json);
  tcase_add_test (tc, san_and_wsh_registrations_are_planned_and_removed);
  tcase_add_test (tc, every_example_plans_against_every_reference_catalog);
  tcase_add_test (tc, a_ce_transport_plans_on_a_ce_machine);
  tcase_add_test (tc, a_catalog_with_duplicate_ids_is_refused_up_front);
  tcase_add_test (tc, registrations_of_others_are_never_taken_over);
  tcase_add_loop_test (tc, a_windows_guid_in_a_manifest_is_refused_everywhere, 0, G_N_ELEMENTS (every_reference));
  tcase_add_test (tc, another_products_guid_is_refused_and_unknown_ones_need_adopt);
  tcase_add_loop_test (tc, uninstall_provider_refuses_windows_unless_forced, 0, G_N_ELEMENTS (every_reference));
  tcase_add_test (tc, a_plan_that_would_break_the_catalog_is_refused);
  tcase_add_test (tc, pre_existing_damage_does_not_block_a_plan);
  tcase_add_test (tc, an_uninstall_previews_the_stacks_it_shortens);
  tcase_add_test (tc, a_streamed_plan_document_is_the_rendered_one_and_a_full_output_fails);
  tcase_add_loop_test (tc, an_upgrade_that_drops_a_layer_removes_it, 0, G_N_ELEMENTS (every_reference));
  suite_add_tcase (s, tc);
  return wsi_test_run_suite (s);
}
