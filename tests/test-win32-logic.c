/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-win32-logic.c: the Windows pieces that are pure logic, on Linux: the
 * WSC call records and the x86 helper's request checks and answers
 * (wsi-wsc-call, wsi-win32-helper), the MSI
 * custom actions' data and phases on the simulated machine
 * (wsi-win32-msi), and `--live` refusing to run outside Windows. The Windows
 * side itself (ws2_32, the registry, the helper process, msiexec) is tested
 * under Wine by tools/win/wine-tests.sh. */
#include "wsi-test-util.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "wsi-backend.h"
#include "wsi-catalog-diff.h"
#include "wsi-journal.h"
#include "wsi-live-journal.h"
#include "wsi-plan.h"
#include "wsi-snapshot.h"
#include "wsi-txn.h"
#include "wsi-win32-helper.h"
#include "wsi-win32-msi.h"
#include "wsi-wsc-call.h"

/* ---------------- WSC call records and helper requests ---------------- */

static const WsiGuid test_guid = { 0xEC93747E, 0x8CA0, 0x4E05, { 0x88, 0x00, 0x60, 0xC5, 0x3D, 0x50, 0x61, 0xA2 } };
#define TEST_PATH "C:\\Program Files (x86)\\T\\lsp.dll"

static WsiEntry *
make_entry (const char *name, gint32 chain_len, guint32 first, guint32 second)
{
  WsiEntry *e = wsi_entry_new ();

  wsi_entry_set_name (e, name);
  e->chain_len = chain_len;
  e->chain[0] = first;
  e->chain[1] = second;
  e->address_family = 2;
  e->socket_type = chain_len == 0 ? 0 : 1;
  e->protocol = chain_len == 0 ? 0 : 6;
  e->version = 2;
  e->max_sockaddr = 16;
  e->min_sockaddr = 16;
  e->service_flags[0] = 0x20066;
  e->provider_flags = chain_len == 0 ? 0x4 : 0x8;
  e->catalog_id = 4242;   /* never sent: the catalog assigns IDs */
  return e;
}

/* WSCInstallProvider of a layered entry and a chain over 1001, catalog 32. */
static WsiWscCall *
install_call (void)
{
  g_autoptr(WsiEntry) layered = make_entry ("Test LSP", 0, 0, 0);
  g_autoptr(WsiEntry) chain = make_entry ("Test LSP over [TCP/IP]", 2, 1090, 1001);
  const WsiEntry *infos[] = { layered, chain };

  return wsi_wsc_call_new_install (WSI_CATALOG_32, &test_guid, TEST_PATH, infos, 2);
}

static char *
install_request (void)
{
  g_autoptr(WsiWscCall) call = install_call ();
  return wsi_wsc_call_to_json (call);
}

static WsiWscCall *
parse_ok (const char *json)
{
  g_autoptr(GError) error = NULL;
  WsiWscCall *call = wsi_helper32_request_parse (json, strlen (json), &error);

  ck_assert_msg (call != NULL, "refused: %s\n%s", error != NULL ? error->message : "", json);
  return call;
}

/* Refused by the helper, as an invalid request. */
static void
assert_refused (const char *json, gsize len)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WsiWscCall) call = wsi_helper32_request_parse (json, len, &error);

  ck_assert_msg (call == NULL, "accepted: %.300s", json);
  ck_assert_msg (g_error_matches (error, WSI_ERROR, WSI_ERROR_HELPER_REQUEST_INVALID), "%s", error->message);
  ck_assert_str_eq (wsi_error_to_tag (error), "helper32-request-invalid");
}

static void
assert_refused_str (const char *json)
{
  assert_refused (json, strlen (json));
}

/* Not even a call record: refused by the record's own reader. */
static void
assert_not_a_call (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WsiWscCall) call = wsi_wsc_call_from_json (json, strlen (json), &error);

  ck_assert_msg (call == NULL, "read as a call: %.300s", json);
  ck_assert_msg (g_error_matches (error, WSI_ERROR, WSI_ERROR_HELPER_REQUEST_INVALID), "%s", error->message);
  assert_refused_str (json);
}

/* @json with the first @from replaced by @to (which must occur). */
static char *
replace_once (const char *json, const char *from, const char *to)
{
  const char *at = strstr (json, from);

  ck_assert_msg (at != NULL, "'%s' not in %s", from, json);
  return g_strdup_printf ("%.*s%s%s", (int) (at - json), json, to, at + strlen (from));
}

START_TEST (install_call_round_trips_with_literal_chain_ids)
{
  g_autoptr(WsiWscCall) sent = install_call ();
  g_autofree char *json = wsi_wsc_call_to_json (sent);
  g_autoptr(WsiWscCall) call = parse_ok (json);
  const WsiEntry *layered;
  const WsiEntry *chain;

  ck_assert (g_str_has_prefix (json, "{\"call\":\"WSCInstallProvider\",\"catalog\":32,\"guid\":"
                                     "\"{EC93747E-8CA0-4E05-8800-60C53D5061A2}\",\"path\":"));
  ck_assert (wsi_wsc_call_equal (call, sent));
  ck_assert_int_eq (call->op, WSI_WSC_INSTALL_PROVIDER);
  ck_assert_int_eq (call->catalog, WSI_CATALOG_32);
  ck_assert (wsi_guid_equal (&call->guid, &test_guid));
  ck_assert_str_eq (call->path, TEST_PATH);
  ck_assert_uint_eq (call->entries->len, 2);
  layered = g_ptr_array_index (call->entries, 0);
  chain = g_ptr_array_index (call->entries, 1);
  /* The IDs the caller resolved, as they are: nothing to resolve again. */
  ck_assert_int_eq (chain->chain_len, 2);
  ck_assert_uint_eq (chain->chain[0], 1090);
  ck_assert_uint_eq (chain->chain[1], 1001);
  /* What the catalog assigns is not sent. */
  ck_assert_uint_eq (chain->catalog_id, 0);
  ck_assert (wsi_guid_equal (&chain->provider_id, &test_guid));
  ck_assert_ptr_null (chain->path);
  ck_assert_str_eq (chain->name, "Test LSP over [TCP/IP]");
  ck_assert_uint_eq (layered->provider_flags, 0x4);
  ck_assert_uint_eq (layered->service_flags[0], 0x20066);
}
END_TEST

/* Every call type, both catalogs: record -> JSON -> record is the same
 * record, and the JSON is the same text again. */
START_TEST (every_call_type_round_trips)
{
  g_autoptr(WsiEntry) base = make_entry ("Base", 1, 77, 0);
  g_autoptr(WsiEntry) unnamed = make_entry (NULL, 0, 0, 0);
  const WsiEntry *infos[] = { base, unnamed };
  const guint32 ids[] = { 1003, 1001, 1002 };
  WsiWscCall *calls[] = {
    wsi_wsc_call_new_install (WSI_CATALOG_32, &test_guid, "C:\\x.dll", infos, 2),
    wsi_wsc_call_new_install (WSI_CATALOG_64, &test_guid, "C:\\x.dll", infos, 1),
    wsi_wsc_call_new_install_64_32 (&test_guid, "%SystemRoot%\\system32\\x.dll", infos, 2),
    wsi_wsc_call_new_update (WSI_CATALOG_32, &test_guid, "C:\\x.dll", infos, 1),
    wsi_wsc_call_new_update (WSI_CATALOG_64, &test_guid, "C:\\Ünïcode\\x.dll", infos, 2),
    wsi_wsc_call_new_deinstall (WSI_CATALOG_32, &test_guid),
    wsi_wsc_call_new_deinstall (WSI_CATALOG_64, &test_guid),
    wsi_wsc_call_new_write_order (WSI_CATALOG_32, ids, 3),
    wsi_wsc_call_new_write_order (WSI_CATALOG_64, ids, 1),
    wsi_wsc_call_new_set_lsp_categories (WSI_CATALOG_32, &test_guid, 0x80000009u),
    wsi_wsc_call_new_set_lsp_categories (WSI_CATALOG_64, &test_guid, 0),
  };

  for (gsize i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      g_autofree char *json = wsi_wsc_call_to_json (calls[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(WsiWscCall) back = wsi_wsc_call_from_json (json, strlen (json), &error);
      g_autofree char *again = NULL;

      ck_assert_msg (back != NULL, "%s: %s", json, error != NULL ? error->message : "");
      ck_assert_msg (wsi_wsc_call_equal (back, calls[i]), "%s", json);
      again = wsi_wsc_call_to_json (back);
      ck_assert_str_eq (again, json);
      ck_assert (g_str_has_prefix (json, "{\"call\":\""));
      ck_assert_msg (strstr (json, wsi_wsc_op_to_string (calls[i]->op)) != NULL, "%s", json);
      ck_assert_int_eq (strstr (json, "\"catalog\":") != NULL, calls[i]->op != WSI_WSC_INSTALL_PROVIDER_64_32);
      /* The helper takes the catalog-32 calls other than the 64_32 one. */
      if (calls[i]->catalog == WSI_CATALOG_32)
        {
          g_autoptr(WsiWscCall) helper = parse_ok (json);
          ck_assert (wsi_wsc_call_equal (helper, calls[i]));
        }
      else
        assert_refused_str (json);
      wsi_wsc_call_free (calls[i]);
    }
  /* A base entry's unused ChainEntries travel verbatim; no name is "". */
  {
    g_autoptr(WsiWscCall) c = wsi_wsc_call_new_update (WSI_CATALOG_32, &test_guid, "C:\\x.dll", infos, 2);
    g_autofree char *json = wsi_wsc_call_to_json (c);
    g_autoptr(WsiWscCall) back = parse_ok (json);
    ck_assert_uint_eq (((WsiEntry *) g_ptr_array_index (back->entries, 0))->chain[0], 77);
    ck_assert_str_eq (((WsiEntry *) g_ptr_array_index (back->entries, 1))->name, "");
  }
}
END_TEST

START_TEST (call_for_the_64_bit_catalog_is_refused)
{
  g_autofree char *json = install_request ();
  g_autofree char *bad = replace_once (json, "\"catalog\":32", "\"catalog\":64");
  g_autofree char *null_catalog = replace_once (json, "\"catalog\":32", "\"catalog\":null");
  g_autofree char *other = replace_once (json, "\"catalog\":32", "\"catalog\":16");
  g_autofree char *none = replace_once (json, "\"catalog\":32,", "");

  assert_refused_str (bad);
  assert_not_a_call (null_catalog);
  assert_not_a_call (other);
  assert_not_a_call (none);
}
END_TEST

START_TEST (registry_and_64_32_calls_are_refused)
{
  g_autofree char *json = install_request ();
  g_autofree char *both = replace_once (json, "\"call\":\"WSCInstallProvider\",\"catalog\":32",
                                        "\"call\":\"WSCInstallProvider64_32\"");
  g_autofree char *unknown = replace_once (json, "\"call\":\"WSCInstallProvider\"", "\"call\":\"format-disk\"");
  g_autofree char *lower = replace_once (json, "\"call\":\"WSCInstallProvider\"", "\"call\":\"wscinstallprovider\"");
  g_autofree char *enumerate = replace_once (json, "\"call\":\"WSCInstallProvider\"", "\"call\":\"WSCEnumProtocols\"");
  const char *registry =
    "{\"call\":\"RegSetValueExW\",\"catalog\":32,\"key\":\"Winsock\\\\Parameters\",\"name\":\"Transports\","
    "\"type\":\"REG_SZ\",\"data\":\"4100\"}";
  /* What the helper read before: a plan step. */
  const char *step =
    "{\"index\":0,\"catalog\":32,\"op\":\"set-registry-value\",\"needs_32bit_process\":false,\"summary\":null,"
    "\"args\":{\"key\":\"Winsock\\\\Parameters\",\"name\":\"Transports\",\"type\":\"REG_SZ\",\"data\":\"4100\"},"
    "\"undo\":null,\"predicted_ids\":[],\"source\":{\"file\":null,\"line\":0}}";
  g_autoptr(WsiWscCall) both_call = NULL;
  g_autoptr(GError) error = NULL;

  /* WSCInstallProvider64_32 is a call, but the x64 process's own. */
  both_call = wsi_wsc_call_from_json (both, strlen (both), &error);
  ck_assert_msg (both_call != NULL, "%s", error != NULL ? error->message : "");
  assert_refused_str (both);
  assert_not_a_call (unknown);
  assert_not_a_call (lower);
  assert_not_a_call (enumerate);
  assert_not_a_call (registry);
  assert_not_a_call (step);
}
END_TEST

START_TEST (call_with_an_inverse_or_predictions_is_refused)
{
  g_autofree char *json = install_request ();
  g_autofree char *with_undo = replace_once (json, "{\"call\"", "{\"undo\":null,\"call\"");
  g_autofree char *with_ids = replace_once (json, "\"entries\":", "\"predicted_ids\":[1090],\"entries\":");
  g_autoptr(WsiWscCall) d = wsi_wsc_call_new_deinstall (WSI_CATALOG_32, &test_guid);
  g_autofree char *deinstall = wsi_wsc_call_to_json (d);

  assert_not_a_call (with_undo);
  assert_not_a_call (with_ids);
  {
    /* A whole call as the inverse: still refused, it would be two calls. */
    g_autofree char *nested = g_strdup_printf ("\"}],\"undo\":%s}", deinstall);
    g_autofree char *worse = replace_once (json, "\"}]}", nested);
    assert_not_a_call (worse);
  }
}
END_TEST

START_TEST (call_with_unknown_members_is_refused)
{
  g_autofree char *json = install_request ();
  g_autofree char *top = replace_once (json, "{\"call\"", "{\"run\":\"calc.exe\",\"call\"");
  g_autofree char *entry = replace_once (json, "\"chain_len\":0", "\"chain_len\":0,\"path\":\"C:\\\\evil.dll\"");
  g_autofree char *id = replace_once (json, "\"provider_flags\":4", "\"provider_flags\":4,\"id\":1001");
  g_autoptr(WsiWscCall) d = wsi_wsc_call_new_deinstall (WSI_CATALOG_32, &test_guid);
  g_autofree char *deinstall = wsi_wsc_call_to_json (d);
  /* A member of another call. */
  g_autofree char *other = replace_once (deinstall, "\"guid\"", "\"path\":\"C:\\\\x.dll\",\"guid\"");
  g_autoptr(WsiWscCall) o = wsi_wsc_call_new_set_lsp_categories (WSI_CATALOG_32, &test_guid, 1);
  g_autofree char *info = wsi_wsc_call_to_json (o);
  g_autofree char *names = replace_once (info, "\"lsp_categories\":1}",
                                         "\"lsp_categories\":1,\"category_names\":\"INSPECTOR\"}");

  assert_not_a_call (top);
  assert_not_a_call (entry);
  assert_not_a_call (id);
  assert_not_a_call (other);
  assert_not_a_call (names);
}
END_TEST

START_TEST (call_with_wrong_types_or_ranges_is_refused)
{
  g_autofree char *json = install_request ();
  const char *const swaps[][2] = {
    { "\"catalog\":32", "\"catalog\":\"32\"" },
    { "\"chain_len\":0", "\"chain_len\":8" },
    { "\"chain_len\":0", "\"chain_len\":-1" },
    { "\"chain_len\":0", "\"chain_len\":0.5" },
    { "\"af\":2", "\"af\":1099511627776" },
    { "\"af\":2", "\"af\":2.0" },
    { "\"af\":2", "\"af\":true" },
    { "\"message_size\":0", "\"message_size\":-1" },
    { "\"provider_flags\":4", "\"provider_flags\":4294967296" },
    { "\"guid\":\"{EC93747E", "\"guid\":\"{XC93747E" },
    { "\"guid\":\"{EC93747E-8CA0-4E05-8800-60C53D5061A2}\"", "\"guid\":\"EC93747E-8CA0-4E05-8800-60C53D5061A2\"" },
    { "\"guid\":\"{EC93747E", "\"guid\":\"{ec93747e" },
    { "\"path\":\"C:", "\"path\":null,\"p\":\"" },
    { "\"entries\":[", "\"entries\":{\"a\":[" },
    { "\"service_flags\":[131174,0,0,0]", "\"service_flags\":131174" },
    { "\"service_flags\":[131174,0,0,0]", "\"service_flags\":[131174,0,0]" },
    { "\"service_flags\":[131174,0,0,0]", "\"service_flags\":[131174,0,0,0,0]" },
    { "\"service_flags\":[131174,0,0,0]", "\"service_flags\":[131174,0,0,-1]" },
    { "\"chain\":[1090,1001,0,0,0,0,0]", "\"chain\":[4294967296,1001,0,0,0,0,0]" },
    { "\"chain\":[1090,1001,0,0,0,0,0]", "\"chain\":[{\"id\":1090},1001,0,0,0,0,0]" },
    { "\"name\":\"Test LSP\"", "\"name\":null" },
    { "\"name\":\"Test LSP\"", "\"name\":42" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (swaps); i++)
    {
      g_autofree char *bad = replace_once (json, swaps[i][0], swaps[i][1]);
      assert_not_a_call (bad);
    }
  {
    g_autoptr(WsiWscCall) o = wsi_wsc_call_new_set_lsp_categories (WSI_CATALOG_32, &test_guid, 1);
    g_autofree char *info = wsi_wsc_call_to_json (o);
    g_autofree char *negative = replace_once (info, "\"lsp_categories\":1", "\"lsp_categories\":-1");
    g_autofree char *big = replace_once (info, "\"lsp_categories\":1", "\"lsp_categories\":4294967296");
    g_autofree char *text = replace_once (info, "\"lsp_categories\":1", "\"lsp_categories\":\"INSPECTOR\"");
    assert_not_a_call (negative);
    assert_not_a_call (big);
    assert_not_a_call (text);
  }
}
END_TEST

START_TEST (call_whose_entries_break_the_api_limits_is_refused)
{
  g_autofree char *json = install_request ();
  /* ChainEntries is seven IDs, whatever ChainLen says. */
  g_autofree char *short_chain = replace_once (json, "\"chain\":[1090,1001,0,0,0,0,0]", "\"chain\":[1090,1001]");
  g_autofree char *long_chain = replace_once (json, "\"chain\":[1090,1001,0,0,0,0,0]",
                                              "\"chain\":[1090,1001,0,0,0,0,0,0]");
  g_autofree char *no_name = replace_once (json, ",\"name\":\"Test LSP\"", "");
  g_autofree char *no_path = replace_once (json, "\"path\":\"C:\\\\Program Files (x86)\\\\T\\\\lsp.dll\",", "");
  g_autoptr(WsiWscCall) none = wsi_wsc_call_new_install (WSI_CATALOG_32, &test_guid, TEST_PATH, NULL, 0);
  g_autofree char *no_entries = wsi_wsc_call_to_json (none);
  g_autoptr(GString) name = g_string_new (NULL);
  g_autoptr(GString) wide = g_string_new (NULL);
  g_autoptr(GString) path = g_string_new ("C:\\\\Program Files\\\\");

  assert_not_a_call (short_chain);
  assert_not_a_call (long_chain);
  assert_not_a_call (no_name);
  assert_not_a_call (no_path);
  ck_assert (strstr (no_entries, "\"entries\":[]") != NULL);
  assert_not_a_call (no_entries);
  /* WSAPROTOCOL_LEN: 255 UTF-16 units; a character outside the BMP takes
   * two. */
  for (int i = 0; i < 256; i++)
    g_string_append_c (name, 'n');
  for (int i = 0; i < 128; i++)
    g_string_append (wide, "\xF0\x9F\x98\x80");
  {
    g_autofree char *field = g_strdup_printf ("\"name\":\"%s\"", name->str);
    g_autofree char *wide_field = g_strdup_printf ("\"name\":\"%s\"", wide->str);
    g_autofree char *fits_field = g_strdup_printf ("\"name\":\"%.255s\"", name->str);
    g_autofree char *too_long = replace_once (json, "\"name\":\"Test LSP\"", field);
    g_autofree char *too_wide = replace_once (json, "\"name\":\"Test LSP\"", wide_field);
    g_autofree char *fits = replace_once (json, "\"name\":\"Test LSP\"", fits_field);
    assert_not_a_call (too_long);
    assert_not_a_call (too_wide);
    wsi_wsc_call_free (parse_ok (fits));
  }
  /* MAX_PATH: 259 characters and the NUL. */
  while (path->len < 300)
    g_string_append_c (path, 'x');
  g_string_append (path, ".dll");
  {
    g_autofree char *field = g_strdup_printf ("\"path\":\"%s\"", path->str);
    g_autofree char *bad = replace_once (json, "\"path\":\"C:\\\\Program Files (x86)\\\\T\\\\lsp.dll\"", field);
    assert_not_a_call (bad);
  }
}
END_TEST

START_TEST (call_that_is_not_one_json_object_in_its_own_form_is_refused)
{
  g_autofree char *json = install_request ();
  g_autofree char *big = g_malloc (WSI_HELPER32_MAX_REQUEST + 2);
  const char nul[] = "{\"call\":0\0}";

  assert_not_a_call ("");
  assert_refused ("", 0);
  assert_not_a_call ("not json");
  assert_not_a_call ("[1,2,3]");
  assert_not_a_call ("{}");
  assert_not_a_call ("{\"call\":0");
  assert_refused (nul, sizeof nul - 1);
  assert_refused ("{\"call\":\"\xff\"}", 11);
  /* Two documents: only one call per request. */
  {
    g_autofree char *two = g_strconcat (json, json, NULL);
    assert_not_a_call (two);
  }
  /* Deeper than a call ever is. */
  {
    g_autofree char *deep = replace_once (json, "\"chain\":[1090,", "\"chain\":[[[1090]],");
    assert_not_a_call (deep);
  }
  /* One spelling: white space inside, reordered or duplicated members,
   * escapes and number forms of its own are all refused; white space at
   * the end is not. */
  {
    const char *const swaps[][2] = {
      { "\"catalog\":32", "\"catalog\": 32" },
      { "{\"call\"", " {\"call\"" },
      { "\"call\":\"WSCInstallProvider\",\"catalog\":32", "\"catalog\":32,\"call\":\"WSCInstallProvider\"" },
      { "\"catalog\":32", "\"catalog\":32,\"catalog\":32" },
      { "\"catalog\":32", "\"catalog\":64,\"catalog\":32" },
      { "\"path\":\"C:", "\"path\":\"\\u0043:" },
      { "\"af\":2", "\"af\":2e0" },
      { "\"af\":2", "\"af\":02" },
      { "\"provider_reserved\":0", "\"provider_reserved\":-0" },
      { "lsp.dll\"", "lsp.dll\\u0000.txt\"" },
    };
    g_autofree char *trailing = g_strconcat (json, "\n\r\n  ", NULL);

    for (gsize i = 0; i < G_N_ELEMENTS (swaps); i++)
      {
        g_autofree char *bad = replace_once (json, swaps[i][0], swaps[i][1]);
        assert_not_a_call (bad);
      }
    wsi_wsc_call_free (parse_ok (trailing));
  }
  memset (big, ' ', WSI_HELPER32_MAX_REQUEST + 1);
  big[WSI_HELPER32_MAX_REQUEST + 1] = '\0';
  memcpy (big, json, strlen (json));
  assert_refused (big, WSI_HELPER32_MAX_REQUEST + 1);
  big[WSI_HELPER32_MAX_REQUEST] = '\0';
  wsi_wsc_call_free (parse_ok (big));
}
END_TEST

START_TEST (oversized_or_repeating_order_is_refused)
{
  g_autofree guint32 *ids = g_new0 (guint32, WSI_HELPER32_MAX_ORDER + 1);
  g_autoptr(WsiWscCall) ok_call = NULL;
  g_autoptr(WsiWscCall) big_call = NULL;
  g_autoptr(WsiWscCall) empty_call = NULL;
  g_autofree char *ok_json = NULL;
  g_autofree char *big_json = NULL;
  g_autofree char *empty_json = NULL;
  const guint32 twice[] = { 1001, 1002, 1001 };
  const guint32 zero[] = { 1001, 0 };
  g_autoptr(WsiWscCall) twice_call = wsi_wsc_call_new_write_order (WSI_CATALOG_32, twice, 3);
  g_autoptr(WsiWscCall) zero_call = wsi_wsc_call_new_write_order (WSI_CATALOG_32, zero, 2);
  g_autofree char *twice_json = wsi_wsc_call_to_json (twice_call);
  g_autofree char *zero_json = wsi_wsc_call_to_json (zero_call);

  for (guint i = 0; i <= WSI_HELPER32_MAX_ORDER; i++)
    ids[i] = 1001 + i;
  ok_call = wsi_wsc_call_new_write_order (WSI_CATALOG_32, ids, WSI_HELPER32_MAX_ORDER);
  big_call = wsi_wsc_call_new_write_order (WSI_CATALOG_32, ids, WSI_HELPER32_MAX_ORDER + 1);
  empty_call = wsi_wsc_call_new_write_order (WSI_CATALOG_32, ids, 0);
  ok_json = wsi_wsc_call_to_json (ok_call);
  big_json = wsi_wsc_call_to_json (big_call);
  empty_json = wsi_wsc_call_to_json (empty_call);
  wsi_wsc_call_free (parse_ok (ok_json));
  assert_not_a_call (big_json);
  assert_not_a_call (empty_json);
  /* WSCWriteProviderOrder takes a permutation of catalog IDs. */
  assert_not_a_call (twice_json);
  assert_not_a_call (zero_json);
}
END_TEST

START_TEST (oversized_install_is_refused)
{
  g_autoptr(WsiEntry) e = make_entry ("Base", 1, 1001, 0);
  g_autofree const WsiEntry **infos = g_new0 (const WsiEntry *, WSI_HELPER32_MAX_ENTRIES + 1);
  g_autoptr(WsiWscCall) ok_call = NULL;
  g_autoptr(WsiWscCall) big_call = NULL;
  g_autofree char *ok_json = NULL;
  g_autofree char *big_json = NULL;

  for (guint i = 0; i <= WSI_HELPER32_MAX_ENTRIES; i++)
    infos[i] = e;
  ok_call = wsi_wsc_call_new_install (WSI_CATALOG_32, &test_guid, "C:\\x.dll", infos, WSI_HELPER32_MAX_ENTRIES);
  big_call = wsi_wsc_call_new_install (WSI_CATALOG_32, &test_guid, "C:\\x.dll", infos, WSI_HELPER32_MAX_ENTRIES + 1);
  ok_json = wsi_wsc_call_to_json (ok_call);
  big_json = wsi_wsc_call_to_json (big_call);
  wsi_wsc_call_free (parse_ok (ok_json));
  assert_not_a_call (big_json);
}
END_TEST

/* The helper holds provider paths to the write policy, with its codes. */
START_TEST (helper_refuses_paths_the_write_policy_refuses)
{
  g_autoptr(WsiEntry) e = make_entry ("Test LSP", 0, 0, 0);
  const WsiEntry *infos[] = { e };
  const struct { const char *path; int code; } cases[] = {
    { "C:\\Users\\Public\\lsp.dll", WSI_ERROR_PATH_NOT_ALLOWED },
    { "C:\\ProgramData\\T\\lsp.dll", WSI_ERROR_PATH_NOT_ALLOWED },
    { "\\\\server\\share\\lsp.dll", WSI_ERROR_PATH_NOT_ALLOWED },
    { "lsp.dll", WSI_ERROR_PATH_NOT_ABSOLUTE },
    { "", WSI_ERROR_PATH_NOT_ABSOLUTE },
    { "C:\\Program Files\\T\\..\\..\\Users\\lsp.dll", WSI_ERROR_PATH_NOT_CANONICAL },
    { "%TEMP%\\lsp.dll", WSI_ERROR_PATH_NOT_ALLOWED },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    for (int update = 0; update < 2; update++)
      {
        g_autoptr(WsiWscCall) call = update ? wsi_wsc_call_new_update (WSI_CATALOG_32, &test_guid, cases[i].path,
                                                                       infos, 1)
                                            : wsi_wsc_call_new_install (WSI_CATALOG_32, &test_guid, cases[i].path,
                                                                        infos, 1);
        g_autofree char *json = wsi_wsc_call_to_json (call);
        g_autoptr(GError) error = NULL;
        g_autoptr(WsiWscCall) back = wsi_wsc_call_from_json (json, strlen (json), &error);
        g_autoptr(WsiWscCall) refused = NULL;

        /* A well-formed call: the helper's rule refuses it. */
        ck_assert_msg (back != NULL, "%s: %s", cases[i].path, error != NULL ? error->message : "");
        refused = wsi_helper32_request_parse (json, strlen (json), &error);
        ck_assert_msg (refused == NULL, "accepted %s", cases[i].path);
        ck_assert_msg (error->domain == WSI_ERROR && error->code == cases[i].code, "%s: %s (%d)", cases[i].path,
                       error->message, error->code);
      }
  {
    g_autoptr(WsiWscCall) ok = wsi_wsc_call_new_install (WSI_CATALOG_32, &test_guid,
                                                         "%SystemRoot%\\SysWOW64\\lsp.dll", infos, 1);
    g_autofree char *json = wsi_wsc_call_to_json (ok);
    wsi_wsc_call_free (parse_ok (json));
  }
}
END_TEST

/* wsi_wsc_call_execute makes the one backend call the record describes:
 * the same machine as the direct call, one operation counted. */
START_TEST (executing_a_call_makes_exactly_that_backend_call)
{
  g_autoptr(WsiMachine) machine = wsi_test_load_reference ("win10-x64");
  const WsiCatalog *c32 = wsi_machine_peek_catalog (machine, WSI_CATALOG_32);
  const WsiEntry *first = wsi_catalog_get_entry (c32, 0);
  g_autoptr(WsiEntry) layered = make_entry ("Test LSP", 0, 0, 0);
  const WsiEntry *infos[] = { layered };
  guint n = wsi_catalog_get_size (c32);
  g_autofree guint32 *reversed = g_new0 (guint32, n);
  WsiGuid first_guid = first->provider_id;

  for (guint i = 0; i < n; i++)
    reversed[i] = wsi_catalog_get_entry (c32, n - 1 - i)->catalog_id;
  for (int op = 0; op <= WSI_WSC_SET_PROVIDER_INFO; op++)
    {
      g_autoptr(WsiBackend) via_call = wsi_backend_memory_new (machine);
      g_autoptr(WsiBackend) direct = wsi_backend_memory_new (machine);
      g_autoptr(WsiWscCall) call = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *a = NULL;
      g_autofree char *b = NULL;
      gboolean ok = FALSE;

      switch (op)
        {
        case WSI_WSC_INSTALL_PROVIDER:
          call = wsi_wsc_call_new_install (WSI_CATALOG_32, &test_guid, TEST_PATH, infos, 1);
          ok = wsi_backend_install_provider (direct, WSI_CATALOG_32, &test_guid, TEST_PATH, infos, 1, NULL);
          break;
        case WSI_WSC_INSTALL_PROVIDER_64_32:
          call = wsi_wsc_call_new_install_64_32 (&test_guid, TEST_PATH, infos, 1);
          ok = wsi_backend_install_provider_64_32 (direct, &test_guid, TEST_PATH, infos, 1, NULL);
          break;
        case WSI_WSC_DEINSTALL_PROVIDER:
          call = wsi_wsc_call_new_deinstall (WSI_CATALOG_32, &first_guid);
          ok = wsi_backend_deinstall_provider (direct, WSI_CATALOG_32, &first_guid, NULL);
          break;
        case WSI_WSC_UPDATE_PROVIDER:
          {
            g_autoptr(WsiEntry) renamed = wsi_entry_copy (first);
            const WsiEntry *one[] = { renamed };
            wsi_entry_set_name (renamed, "renamed");
            call = wsi_wsc_call_new_update (WSI_CATALOG_32, &first_guid, first->path, one, 1);
            ok = wsi_backend_update_provider (direct, WSI_CATALOG_32, &first_guid, first->path, one, 1, NULL);
            break;
          }
        case WSI_WSC_WRITE_PROVIDER_ORDER:
          call = wsi_wsc_call_new_write_order (WSI_CATALOG_32, reversed, n);
          ok = wsi_backend_write_order (direct, WSI_CATALOG_32, reversed, n, NULL);
          break;
        default:
          call = wsi_wsc_call_new_set_lsp_categories (WSI_CATALOG_64, &first_guid, 0x2);
          ok = wsi_backend_set_lsp_categories (direct, WSI_CATALOG_64, &first_guid, 0x2, NULL);
          break;
        }
      ck_assert_msg (ok, "the direct call %d failed", op);
      ck_assert_msg (wsi_wsc_call_execute (call, via_call, &error), "%s: %s", wsi_wsc_op_to_string (call->op),
                     error != NULL ? error->message : "");
      ck_assert_uint_eq (via_call->n_operations, 1);
      a = wsi_snapshot_to_string (wsi_backend_memory_get_machine (via_call));
      b = wsi_snapshot_to_string (wsi_backend_memory_get_machine (direct));
      ck_assert_msg (strcmp (a, b) == 0, "%s: the machines differ", wsi_wsc_op_to_string (call->op));
    }
}
END_TEST

/* The backend's own errors come back as they are (WSA codes). */
START_TEST (executing_a_failing_call_returns_the_backend_error)
{
  g_autoptr(WsiMachine) machine = wsi_test_load_reference ("win7-x86");
  g_autoptr(WsiBackend) backend = wsi_backend_memory_new (machine);
  g_autoptr(WsiWscCall) call = wsi_wsc_call_new_deinstall (WSI_CATALOG_32, &test_guid);
  g_autoptr(WsiWscCall) missing = wsi_wsc_call_new_deinstall (WSI_CATALOG_64, &test_guid);
  g_autoptr(GError) error = NULL;

  ck_assert (!wsi_wsc_call_execute (call, backend, &error));
  ck_assert_msg (error->domain == WSI_WSA_ERROR, "%s", error->message);
  g_clear_error (&error);
  ck_assert (!wsi_wsc_call_execute (missing, backend, &error));
  ck_assert (g_error_matches (error, WSI_WSA_ERROR, WSI_WSAEINVAL));
  ck_assert_uint_eq (backend->n_operations, 0);
}
END_TEST

/* ---------------- helper answers ---------------- */


START_TEST (answers_round_trip_with_their_codes)
{
  g_autoptr(GError) wsa = NULL;
  g_autoptr(GError) no_effect = NULL;
  g_autoptr(GError) back = NULL;
  g_autofree char *ok = wsi_helper32_result_to_json (NULL);
  g_autofree char *failed = NULL;
  g_autofree char *nothing = NULL;

  ck_assert (wsi_helper32_result_parse (ok, strlen (ok), 0, NULL));

  wsi_set_wsa_error (&wsa, WSI_WSANO_RECOVERY, "WSCInstallProvider failed");
  failed = wsi_helper32_result_to_json (wsa);
  ck_assert (!wsi_helper32_result_parse (failed, strlen (failed), 1, &back));
  ck_assert (g_error_matches (back, WSI_WSA_ERROR, WSI_WSANO_RECOVERY));
  ck_assert_int_eq (wsi_error_get_wsa (back), WSI_WSANO_RECOVERY);
  g_clear_error (&back);

  g_set_error (&no_effect, WSI_ERROR, WSI_ERROR_NO_EFFECT, "the call reported success but nothing changed");
  nothing = wsi_helper32_result_to_json (no_effect);
  ck_assert (!wsi_helper32_result_parse (nothing, strlen (nothing), 1, &back));
  ck_assert (g_error_matches (back, WSI_ERROR, WSI_ERROR_NO_EFFECT));
}
END_TEST

START_TEST (answers_that_are_not_answers_are_helper_failures)
{
  const struct { const char *json; int status; } cases[] = {
    { "", 0 },
    { "garbage", 0 },
    { "{\"status\":\"ok\"}", 1 },          /* contradicts the exit status */
    { "{\"status\":\"failed\",\"code\":3,\"message\":\"x\"}", 0 },
    { "{\"status\":\"failed\",\"code\":3}", 1 },
    { "{\"status\":\"failed\",\"code\":3,\"message\":\"x\"}", 3 },
    { "{\"status\":\"maybe\"}", 0 },
    { "{\"status\":\"ok\",\"extra\":1}", 0 },
    { "{\"status\":\"failed\",\"code\":\"3\",\"message\":\"x\"}", 1 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      ck_assert_msg (!wsi_helper32_result_parse (cases[i].json, strlen (cases[i].json), cases[i].status, &error),
                     "accepted %s", cases[i].json);
      ck_assert_msg (g_error_matches (error, WSI_ERROR, WSI_ERROR_HELPER_FAILED), "%s: %s", cases[i].json,
                     error->message);
    }
}
END_TEST

/* ---------------- the CLI ---------------- */

static char *
write_temp (const char *dir, const char *name, const char *text)
{
  char *path = g_build_filename (dir, name, NULL);
  ck_assert (g_file_set_contents (path, text, -1, NULL));
  return path;
}

START_TEST (wsc32_run_validates_and_refuses_to_execute_off_windows)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *json = install_request ();
  g_autofree char *good = write_temp (dir, "good.json", json);
  g_autofree char *bad64 = NULL;
  g_autofree char *badfile = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int rc;

  bad64 = replace_once (json, "\"catalog\":32", "\"catalog\":64");
  badfile = write_temp (dir, "bad.json", bad64);

  rc = wsi_test_run_cli ((const char *[]) { "wsc32", "run", "--validate-only", "--call", good, NULL }, &out, &err);
  ck_assert_int_eq (rc, 0);
  ck_assert_str_eq (out, "{\"status\":\"ok\"}\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  rc = wsi_test_run_cli ((const char *[]) { "wsc32", "run", "--validate-only", "--call", badfile, NULL }, &out, &err);
  ck_assert_int_eq (rc, 2);
  ck_assert_msg (strstr (err, "[helper32-request-invalid]") != NULL || strstr (err, "helper32-request-invalid") != NULL,
                 "%s", err);
  ck_assert (g_str_has_prefix (out, "{\"status\":\"failed\""));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A valid call is still not made on Linux: there is no 32-bit catalog. */
  rc = wsi_test_run_cli ((const char *[]) { "wsc32", "run", "--call", good, NULL }, &out, &err);
  ck_assert_int_eq (rc, 2);
  ck_assert (g_str_has_prefix (out, "{\"status\":\"failed\""));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  rc = wsi_test_run_cli ((const char *[]) { "wsc32", "enum", NULL }, &out, &err);
  ck_assert_int_eq (rc, 2);
  ck_assert_str_eq (out, "");
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (live_is_a_usage_error_off_windows)
{
  g_autofree char *manifest = wsi_test_source_path ("manifests/contoso-web-filter.xml");
  const char *const *cases[] = {
    (const char *[]) { "apply", "--live", manifest, NULL },
    (const char *[]) { "uninstall", "--live", manifest, NULL },
    (const char *[]) { "recover", "--live", NULL },
    (const char *[]) { "repair", "--live", NULL },
    (const char *[]) { "repair", "--live", "--apply", NULL },
    (const char *[]) { "catalog", "show", "--live", NULL },
    (const char *[]) { "catalog", "check", "--live", NULL },
    (const char *[]) { "catalog", "resolve", "--live", "--af", "inet", "--type", "stream", NULL },
    (const char *[]) { "apply", "--live", "--machine", "x.xml", manifest, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      int rc = wsi_test_run_cli (cases[i], &out, &err);
      ck_assert_msg (rc == 2, "case %zu: exit %d\n%s", i, rc, err);
      ck_assert_msg (strstr (err, "--live") != NULL, "case %zu: %s", i, err);
      ck_assert_str_eq (out, "");
    }
}
END_TEST

/* ---------------- CustomActionData ---------------- */

START_TEST (action_data_round_trips_awkward_paths)
{
  g_autoptr(WsiMsiData) data = wsi_msi_data_new ();
  g_autoptr(WsiMsiData) back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  data->action = WSI_MSI_ACTION_UNINSTALL;
  g_ptr_array_add (data->manifests, g_strdup ("C:\\Program Files\\Contoso;Ltd\\a=b%20c.xml"));
  g_ptr_array_add (data->manifests, g_strdup ("\\\\server\\share\\Ünïcode manifest.xml"));
  data->journal = g_strdup ("C:\\ProgramData\\wsinstall\\journals\\20261207T172300Z-1234-0badcafe.journal");
  data->helper32 = g_strdup ("C:\\Program Files\\Contoso\\wsinstall-x86.exe");
  data->force = TRUE;
  data->lock_timeout = 120;
  data->keep = g_strdup ("C:\\ProgramData\\wsinstall\\manifests\\{6B1E0F2A-7C3D-4E59-9A21-3F8D5C7B2E10}.Web.xml");
  data->keep_new = TRUE;
  data->snapshot = g_strdup ("Z:\\tmp\\machine; a=b.xml");
  text = wsi_msi_data_format (data);
  ck_assert (g_str_has_prefix (text, WSI_MSI_DATA_VERSION ";"));
  ck_assert (g_str_is_ascii (text));
  back = wsi_msi_data_parse (text, &error);
  ck_assert_msg (back != NULL, "%s", error != NULL ? error->message : "");
  ck_assert_int_eq (back->action, WSI_MSI_ACTION_UNINSTALL);
  ck_assert_uint_eq (back->manifests->len, 2);
  ck_assert_str_eq (g_ptr_array_index (back->manifests, 0), "C:\\Program Files\\Contoso;Ltd\\a=b%20c.xml");
  ck_assert_str_eq (g_ptr_array_index (back->manifests, 1), "\\\\server\\share\\Ünïcode manifest.xml");
  ck_assert_str_eq (back->journal, data->journal);
  ck_assert_str_eq (back->helper32, data->helper32);
  ck_assert (back->force);
  ck_assert_uint_eq (back->lock_timeout, 120);
  ck_assert_str_eq (back->keep, data->keep);
  ck_assert (back->keep_new);
  ck_assert_str_eq (back->snapshot, data->snapshot);
}
END_TEST

START_TEST (action_data_that_was_not_written_by_prepare_is_refused)
{
  const char *const cases[] = {
    "",
    "action=install;manifest=C%3A%5Cm.xml;journal=C%3A%5Cj%5C20261207T172300Z-1234-0badcafe.journal",
    "wsinstall-ca/2;action=install;manifest=C%3A%5Cm.xml;journal=C%3A%5Cj%5C20261207T172300Z-1234-0badcafe.journal",
    "wsinstall-ca/1;action=install;manifest=C%3A%5Cm.xml",
    "wsinstall-ca/1;action=install;journal=C%3A%5Cj%5C20261207T172300Z-1234-0badcafe.journal",
    "wsinstall-ca/1;manifest=C%3A%5Cm.xml;journal=C%3A%5Cj%5C20261207T172300Z-1234-0badcafe.journal",
    "wsinstall-ca/1;action=repair;manifest=C%3A%5Cm.xml;journal=C%3A%5Cj%5C20261207T172300Z-1234-0badcafe.journal",
    "wsinstall-ca/1;action=install;action=install;manifest=C%3A%5Cm.xml;journal=C%3A%5Cj%5C20261207T172300Z-1234-0badcafe.journal",
    "wsinstall-ca/1;action=install;manifest=m.xml;journal=C%3A%5Cj%5C20261207T172300Z-1234-0badcafe.journal",
    "wsinstall-ca/1;action=install;manifest=C%3A%5Cm.xml;journal=20261207T172300Z-1234-0badcafe.journal",
    /* the shared journal of old, or any name that is not a transaction's own */
    "wsinstall-ca/1;action=install;manifest=C%3A%5Cm.xml;journal=C%3A%5CProgramData%5Cwsinstall%5Clive.journal",
    "wsinstall-ca/1;action=install;manifest=C%3A%5Cm.xml;journal=C%3A%5Cj%5C20261207T172300Z-1234-0badcafe.journal.bak",
    "wsinstall-ca/1;action=install;manifest=C%3A%5Cm.xml;journal=C%3A%5Cj%5C20261207T172300Z-1234-0badcafe.journal;helper32=x86.exe",
    "wsinstall-ca/1;action=install;manifest=C%ZZm.xml;journal=C%3A%5Cj%5C20261207T172300Z-1234-0badcafe.journal",
    "wsinstall-ca/1;action=install;manifest=C%3A%5Cm%00.xml;journal=C%3A%5Cj%5C20261207T172300Z-1234-0badcafe.journal",
    "wsinstall-ca/1;action=install;manifest=C%3A%5Cm.xml;journal=C%3A%5Cj%5C20261207T172300Z-1234-0badcafe.journal;force=2",
    "wsinstall-ca/1;action=install;manifest=C%3A%5Cm.xml;journal=C%3A%5Cj%5C20261207T172300Z-1234-0badcafe.journal;lock-timeout=3601",
    "wsinstall-ca/1;action=install;manifest=C%3A%5Cm.xml;journal=C%3A%5Cj%5C20261207T172300Z-1234-0badcafe.journal;lock-timeout=-1",
    "wsinstall-ca/1;action=install;manifest=C%3A%5Cm.xml;journal=C%3A%5Cj%5C20261207T172300Z-1234-0badcafe.journal;lock-timeout=",
    "wsinstall-ca/1;action=install;manifest=C%3A%5Cm.xml;journal=C%3A%5Cj%5C20261207T172300Z-1234-0badcafe.journal;run=calc.exe",
    "wsinstall-ca/1;action=install;manifest=C%3A%5Cm.xml;journal=C%3A%5Cj%5C20261207T172300Z-1234-0badcafe.journal;noequals",
    "wsinstall-ca/1;action=install;manifest=C%3A%5Cm.xml;journal=C%3A%5Cj%5C20261207T172300Z-1234-0badcafe.journal;=x",
    "wsinstall-ca/1;action=install;manifest=C%3A%5Cm.xml;journal=C%3A%5Cj%5C20261207T172300Z-1234-0badcafe.journal;manifest=%FF%FE",
    "wsinstall-ca/1;action=install;manifest=C%3A%5Cm.xml;journal=C%3A%5Cj%5C20261207T172300Z-1234-0badcafe.journal;keep=m.xml",
    "wsinstall-ca/1;action=install;manifest=C%3A%5Cm.xml;journal=C%3A%5Cj%5C20261207T172300Z-1234-0badcafe.journal;keep-new=1",
    "wsinstall-ca/1;action=install;manifest=C%3A%5Cm.xml;journal=C%3A%5Cj%5C20261207T172300Z-1234-0badcafe.journal;keep=C%3A%5Ck.xml;keep-new=2",
    "wsinstall-ca/1;action=install;manifest=C%3A%5Cm.xml;journal=C%3A%5Cj%5C20261207T172300Z-1234-0badcafe.journal;snapshot=s.xml",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(WsiMsiData) data = wsi_msi_data_parse (cases[i], &error);
      ck_assert_msg (data == NULL, "accepted %s", cases[i]);
      ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_INVALID_ARGUMENT));
    }
}
END_TEST

START_TEST (action_data_bounds_its_size_and_manifests)
{
  g_autoptr(GString) many = g_string_new ("wsinstall-ca/1;action=install;journal=C%3A%5Cj%5C20261207T172300Z-1234-0badcafe.journal");
  g_autoptr(GError) error = NULL;
  g_autoptr(WsiMsiData) data = NULL;
  g_autofree char *huge = NULL;

  for (int i = 0; i <= WSI_MSI_MAX_MANIFESTS; i++)
    g_string_append_printf (many, ";manifest=C%%3A%%5Cm%d.xml", i);
  data = wsi_msi_data_parse (many->str, &error);
  ck_assert (data == NULL);
  g_clear_error (&error);
  huge = g_strnfill (WSI_MSI_DATA_MAX + 1, 'a');
  memcpy (huge, WSI_MSI_DATA_VERSION, strlen (WSI_MSI_DATA_VERSION));
  data = wsi_msi_data_parse (huge, &error);
  ck_assert (data == NULL);
}
END_TEST

/* ---------------- the scheduling actions ---------------- */

START_TEST (schedule_follows_the_component_action_state)
{
  const WsiMsiAction install = WSI_MSI_ACTION_INSTALL, uninstall = WSI_MSI_ACTION_UNINSTALL;
  const int unknown = -1, absent = WSI_MSI_STATE_ABSENT, local = WSI_MSI_STATE_LOCAL, source = 4;

  /* Installed (install, repair, upgrade): the install scheduler runs. */
  ck_assert_int_eq (wsi_msi_schedule_for (install, local, FALSE, FALSE), WSI_MSI_SCHEDULE_RUN);
  ck_assert_int_eq (wsi_msi_schedule_for (install, local, FALSE, TRUE), WSI_MSI_SCHEDULE_RUN);
  ck_assert_int_eq (wsi_msi_schedule_for (uninstall, local, FALSE, TRUE), WSI_MSI_SCHEDULE_NOTHING);
  /* Removed: the uninstall scheduler runs, the install one does not. */
  ck_assert_int_eq (wsi_msi_schedule_for (uninstall, absent, TRUE, TRUE), WSI_MSI_SCHEDULE_RUN);
  ck_assert_int_eq (wsi_msi_schedule_for (uninstall, absent, FALSE, FALSE), WSI_MSI_SCHEDULE_RUN);
  ck_assert_int_eq (wsi_msi_schedule_for (install, absent, TRUE, TRUE), WSI_MSI_SCHEDULE_NOTHING);
  /* Unchanged (or run from source): nothing, unless the whole product
   * goes while another keeps the component: then only its kept copy. */
  for (int st = unknown; st <= source; st++)
    {
      if (st == absent || st == local)
        continue;
      ck_assert_int_eq (wsi_msi_schedule_for (install, st, TRUE, TRUE), WSI_MSI_SCHEDULE_NOTHING);
      ck_assert_int_eq (wsi_msi_schedule_for (uninstall, st, FALSE, TRUE), WSI_MSI_SCHEDULE_NOTHING);
      ck_assert_int_eq (wsi_msi_schedule_for (uninstall, st, TRUE, FALSE), WSI_MSI_SCHEDULE_NOTHING);
      ck_assert_int_eq (wsi_msi_schedule_for (uninstall, st, TRUE, TRUE), WSI_MSI_SCHEDULE_FORGET);
    }
}
END_TEST

START_TEST (keep_names_are_product_code_and_row_only)
{
  const char *const good[] = {
    "{0B938D94-F6A5-4638-ABDB-37A2A9DC06B2}.Filter.xml",
    "{0B938D94-F6A5-4638-ABDB-37A2A9DC06B2}.Row_2.x.xml",
  };
  const char *const bad[] = {
    "", ".xml", ".hidden.xml", "{GUID}.Filter.txt", "..\\journals\\x.xml", "a/b.xml", "a b.xml", "a:b.xml",
    "{GUID}.Filter.xml\\..", "%TEMP%.xml",
  };
  g_autofree char *a197 = g_strnfill (197, 'a');
  g_autofree char *long_name = g_strconcat (a197, ".xml", NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    ck_assert_msg (wsi_msi_keep_name_is_valid (good[i]), "refused %s", good[i]);
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    ck_assert_msg (!wsi_msi_keep_name_is_valid (bad[i]), "accepted %s", bad[i]);
  ck_assert (!wsi_msi_keep_name_is_valid (long_name));
}
END_TEST

/* ---------------- the MSI phases on the simulated machine ---------------- */

typedef struct {
  char        *dir;
  char        *machine;
  char        *journal;
  WsiMachine  *before;
  GPtrArray   *log;          /* char* */
  int          cancel_at;    /* step index to cancel at, -1 never */
  guint        steps_seen;
} Fixture;

static void
fixture_log (const char *line, gpointer user_data)
{
  g_ptr_array_add (((Fixture *) user_data)->log, g_strdup (line));
}

static gboolean
fixture_step (const char *summary, guint index, guint total, gpointer user_data)
{
  Fixture *f = user_data;

  f->steps_seen++;
  return g_str_has_prefix (summary, "undo: ") || (int) index != f->cancel_at;
}

static Fixture *
fixture_new (void)
{
  Fixture *f = g_new0 (Fixture, 1);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autofree char *ref = wsi_test_source_path ("data/reference/win10-x64.xml");
  g_autoptr(GError) error = NULL;

  f->dir = wsi_test_mkdtemp ();
  f->machine = g_build_filename (f->dir, "machine.xml", NULL);
  f->journal = wsi_live_journal_new_path (f->dir);
  f->before = wsi_snapshot_load_file (ref, diags);
  ck_assert (f->before != NULL);
  ck_assert (wsi_snapshot_save (f->before, f->machine, &error));
  f->log = g_ptr_array_new_with_free_func (g_free);
  f->cancel_at = -1;
  return f;
}

static void
fixture_free (Fixture *f)
{
  wsi_test_rmtree (f->dir);
  g_free (f->dir);
  g_free (f->machine);
  g_free (f->journal);
  wsi_machine_free (f->before);
  g_ptr_array_unref (f->log);
  g_free (f);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fixture, fixture_free)

static WsiBackend *
fixture_backend (Fixture *f, const char *fault)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(GError) error = NULL;
  WsiBackend *b = wsi_backend_sim_new (f->machine, diags);

  ck_assert (b != NULL);
  if (fault == NULL)
    return b;
  ck_assert (wsi_fault_injection_available ());
  b = wsi_backend_fault_new (b, fault, &error);
  ck_assert_msg (b != NULL, "%s", error != NULL ? error->message : "");
  return b;
}

static WsiMsiData *
fixture_data (Fixture *f, WsiMsiAction action, const char *manifest)
{
  WsiMsiData *data = wsi_msi_data_new ();
  g_autofree char *rel = g_strdup_printf ("manifests/%s", manifest);

  data->action = action;
  g_ptr_array_add (data->manifests, wsi_test_source_path (rel));
  data->journal = g_strdup (f->journal);
  return data;
}

static WsiMachine *
fixture_now (Fixture *f)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  WsiMachine *m = wsi_snapshot_load_file (f->machine, diags);

  ck_assert (m != NULL);
  return m;
}

static void
assert_machine_as_before (Fixture *f)
{
  g_autoptr(WsiMachine) now = fixture_now (f);
  g_autoptr(WsiDiff) diff = wsi_machine_diff (f->before, now);
  g_autofree char *text = wsi_diff_to_text (diff);

  ck_assert_msg (wsi_diff_is_equivalent (diff), "the machine changed:\n%s", text);
}

static void
assert_machine_changed (Fixture *f)
{
  g_autoptr(WsiMachine) now = fixture_now (f);
  g_autoptr(WsiDiff) diff = wsi_machine_diff (f->before, now);

  ck_assert (!wsi_diff_is_equivalent (diff));
}

static WsiJournalState
journal_state (Fixture *f)
{
  g_autoptr(GPtrArray) intents = NULL;
  g_autoptr(GError) error = NULL;
  WsiJournalState state = WSI_JOURNAL_NONE;

  ck_assert_msg (wsi_journal_read (f->journal, &state, &intents, &error), "%s", error != NULL ? error->message : "");
  return state;
}

static gboolean
log_has (Fixture *f, const char *needle)
{
  for (guint i = 0; i < f->log->len; i++)
    if (strstr (g_ptr_array_index (f->log, i), needle) != NULL)
      return TRUE;
  return FALSE;
}

static WsiMsiOutcome
fixture_run (Fixture *f, WsiBackend *backend, const WsiMsiData *data, GError **error)
{
  WsiMsiCallbacks cb = { fixture_log, fixture_step, f };
  return wsi_test_msi_run (backend, data, &cb, error);
}

START_TEST (deferred_install_commits_and_commit_removes_the_journal)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autoptr(WsiMsiData) data = fixture_data (f, WSI_MSI_ACTION_INSTALL, "contoso-web-filter.xml");
  g_autoptr(GError) error = NULL;
  WsiJournalState found = WSI_JOURNAL_NONE;

  {
    g_autoptr(WsiBackend) backend = fixture_backend (f, NULL);
    ck_assert_int_eq (fixture_run (f, backend, data, &error), WSI_MSI_DONE);
  }
  ck_assert (error == NULL);
  ck_assert_uint_gt (f->steps_seen, 0);
  ck_assert (log_has (f, "committed"));
  assert_machine_changed (f);
  ck_assert_int_eq (journal_state (f), WSI_JOURNAL_COMMITTED);
  ck_assert (wsi_msi_commit (f->journal, &found, &error));
  ck_assert_int_eq (found, WSI_JOURNAL_COMMITTED);
  ck_assert (!g_file_test (f->journal, G_FILE_TEST_EXISTS));
  /* Installing it again is nothing to do. */
  {
    g_autoptr(WsiBackend) backend = fixture_backend (f, NULL);
    ck_assert_int_eq (fixture_run (f, backend, data, &error), WSI_MSI_DONE);
    ck_assert (log_has (f, "nothing to do"));
  }
}
END_TEST

START_TEST (rollback_after_a_committed_install_restores_the_machine)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autoptr(WsiMsiData) data = fixture_data (f, WSI_MSI_ACTION_INSTALL, "contoso-web-filter.xml");
  g_autoptr(GError) error = NULL;
  WsiMsiCallbacks cb = { fixture_log, fixture_step, f };
  WsiJournalState found = WSI_JOURNAL_NONE;

  {
    g_autoptr(WsiBackend) backend = fixture_backend (f, NULL);
    ck_assert_int_eq (fixture_run (f, backend, data, &error), WSI_MSI_DONE);
  }
  assert_machine_changed (f);
  {
    g_autoptr(WsiBackend) backend = fixture_backend (f, NULL);
    ck_assert_msg (wsi_test_msi_rollback (backend, f->journal, &cb, &found, &error), "%s",
                   error != NULL ? error->message : "");
  }
  ck_assert_int_eq (found, WSI_JOURNAL_COMMITTED);
  assert_machine_as_before (f);
  ck_assert_int_eq (journal_state (f), WSI_JOURNAL_ROLLED_BACK);
  /* A second rollback (Windows Installer never runs one twice, but a
   * retried script might) finds nothing to do. */
  {
    g_autoptr(WsiBackend) backend = fixture_backend (f, NULL);
    ck_assert (wsi_test_msi_rollback (backend, f->journal, &cb, &found, &error));
  }
  ck_assert_int_eq (found, WSI_JOURNAL_ROLLED_BACK);
  assert_machine_as_before (f);
  /* The commit that follows nothing removes the finished journal. */
  ck_assert (wsi_msi_commit (f->journal, &found, &error));
  ck_assert (!g_file_test (f->journal, G_FILE_TEST_EXISTS));
}
END_TEST

START_TEST (rollback_of_a_committed_install_that_dies_is_finished_by_recover)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autoptr(WsiMsiData) data = fixture_data (f, WSI_MSI_ACTION_INSTALL, "contoso-web-filter.xml");
  g_autoptr(GError) error = NULL;
  WsiMsiCallbacks cb = { fixture_log, NULL, f };
  WsiJournalState found = WSI_JOURNAL_NONE;

  {
    g_autoptr(WsiBackend) backend = fixture_backend (f, NULL);
    ck_assert_int_eq (fixture_run (f, backend, data, &error), WSI_MSI_DONE);
  }
  /* The rollback fails at its second change: incomplete, and said so. */
  {
    g_autoptr(WsiBackend) backend = fixture_backend (f, "fail:2");
    ck_assert (!wsi_test_msi_rollback (backend, f->journal, &cb, &found, &error));
    g_clear_error (&error);
  }
  ck_assert_int_eq (journal_state (f), WSI_JOURNAL_ROLLBACK_INCOMPLETE);
  ck_assert (log_has (f, "[rollback-incomplete]"));
  /* The commit action keeps it; the next run's recovery finishes it. */
  ck_assert (!wsi_msi_commit (f->journal, &found, &error));
  g_clear_error (&error);
  ck_assert (g_file_test (f->journal, G_FILE_TEST_EXISTS));
  {
    g_autoptr(WsiBackend) backend = fixture_backend (f, NULL);
    ck_assert (wsi_txn_recover (backend, f->journal, &found, NULL, NULL, &error));
  }
  ck_assert_int_eq (found, WSI_JOURNAL_ROLLBACK_INCOMPLETE);
  assert_machine_as_before (f);
}
END_TEST

START_TEST (rollback_finishes_an_interrupted_transaction)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autoptr(WsiManifest) manifest = NULL;
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiPlan) plan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = wsi_test_source_path ("manifests/contoso-web-filter.xml");
  WsiMsiCallbacks cb = { fixture_log, NULL, f };
  WsiJournalState found = WSI_JOURNAL_NONE;

  manifest = wsi_manifest_load_file (path, diags);
  ck_assert (manifest != NULL);
  plan = wsi_plan_build (f->before, &manifest, 1, 0, diags);
  ck_assert (plan != NULL && plan->steps->len >= 2);
  /* What a deferred action that died after two steps leaves: intents, no end. */
  {
    g_autoptr(WsiBackend) backend = fixture_backend (f, NULL);
    g_autoptr(WsiJournal) journal = wsi_journal_create (f->journal, "install", plan->steps->len, &error);
    ck_assert (journal != NULL);
    for (guint i = 0; i < 2; i++)
      {
        g_autoptr(WsiPlanStep) step = wsi_plan_step_copy (g_ptr_array_index (plan->steps, i));
        wsi_plan_step_free (step->undo);
        step->undo = wsi_plan_step_make_inverse (step, wsi_backend_peek (backend, NULL), &error);
        ck_assert (step->undo != NULL);
        ck_assert (wsi_journal_intent (journal, step, &error));
        ck_assert_msg (wsi_plan_step_execute (step, backend, FALSE, NULL, &error), "%s", error->message);
      }
  }
  assert_machine_changed (f);
  ck_assert_int_eq (journal_state (f), WSI_JOURNAL_IN_PROGRESS);
  {
    g_autoptr(WsiBackend) backend = fixture_backend (f, NULL);
    ck_assert (wsi_test_msi_rollback (backend, f->journal, &cb, &found, &error));
  }
  ck_assert_int_eq (found, WSI_JOURNAL_IN_PROGRESS);
  assert_machine_as_before (f);
}
END_TEST

START_TEST (failing_install_rolls_back_and_logs_the_tag)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autoptr(WsiMsiData) data = fixture_data (f, WSI_MSI_ACTION_INSTALL, "contoso-web-filter.xml");
  g_autoptr(GError) error = NULL;
  g_autoptr(WsiBackend) backend = fixture_backend (f, "fail:3");

  ck_assert_int_eq (fixture_run (f, backend, data, &error), WSI_MSI_FAILED);
  ck_assert (error != NULL);
  ck_assert (log_has (f, "[wsc-call-failed]"));
  ck_assert (log_has (f, "rolled back"));
  assert_machine_as_before (f);
  ck_assert_int_eq (journal_state (f), WSI_JOURNAL_ROLLED_BACK);
}
END_TEST

START_TEST (cancelling_at_a_step_rolls_everything_back)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autoptr(WsiMsiData) data = fixture_data (f, WSI_MSI_ACTION_INSTALL, "contoso-web-filter.xml");
  g_autoptr(GError) error = NULL;
  g_autoptr(WsiBackend) backend = fixture_backend (f, NULL);

  f->cancel_at = 3;
  ck_assert_int_eq (fixture_run (f, backend, data, &error), WSI_MSI_CANCELLED);
  ck_assert (log_has (f, "cancelled"));
  assert_machine_as_before (f);
  ck_assert_int_eq (journal_state (f), WSI_JOURNAL_ROLLED_BACK);
}
END_TEST

START_TEST (unusable_manifest_fails_before_any_change)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autoptr(WsiMsiData) data = fixture_data (f, WSI_MSI_ACTION_INSTALL, "no-such-manifest.xml");
  g_autoptr(WsiMsiData) wrong = fixture_data (f, WSI_MSI_ACTION_INSTALL, "adatum-ce-transport.xml");
  g_autoptr(GError) error = NULL;
  g_autoptr(WsiBackend) backend = fixture_backend (f, NULL);

  ck_assert_int_eq (fixture_run (f, backend, data, &error), WSI_MSI_FAILED);
  ck_assert (log_has (f, "[file-unreadable]"));
  g_clear_error (&error);
  /* A CE manifest on an x64 machine: a planning error, logged with its tag. */
  ck_assert_int_eq (fixture_run (f, backend, wrong, &error), WSI_MSI_FAILED);
  ck_assert (log_has (f, "[profile-mismatch]"));
  assert_machine_as_before (f);
  ck_assert (!g_file_test (f->journal, G_FILE_TEST_EXISTS));
}
END_TEST

START_TEST (deferred_uninstall_removes_what_install_put)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autoptr(WsiMsiData) install = fixture_data (f, WSI_MSI_ACTION_INSTALL, "contoso-web-filter.xml");
  g_autoptr(WsiMsiData) uninstall = fixture_data (f, WSI_MSI_ACTION_UNINSTALL, "contoso-web-filter.xml");
  g_autoptr(GError) error = NULL;
  WsiJournalState found;

  {
    g_autoptr(WsiBackend) backend = fixture_backend (f, NULL);
    ck_assert_int_eq (fixture_run (f, backend, install, &error), WSI_MSI_DONE);
    ck_assert (wsi_msi_commit (f->journal, &found, &error));
  }
  {
    g_autoptr(WsiBackend) backend = fixture_backend (f, NULL);
    ck_assert_int_eq (fixture_run (f, backend, uninstall, &error), WSI_MSI_DONE);
  }
  assert_machine_as_before (f);
}
END_TEST

START_TEST (commit_keeps_an_unfinished_journal_and_tolerates_none)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autoptr(GError) error = NULL;
  WsiJournalState found = WSI_JOURNAL_COMMITTED;

  ck_assert (wsi_msi_commit (f->journal, &found, &error));
  ck_assert_int_eq (found, WSI_JOURNAL_NONE);
  {
    g_autoptr(WsiJournal) journal = wsi_journal_create (f->journal, "install", 3, &error);
    ck_assert (journal != NULL);
  }
  ck_assert (!wsi_msi_commit (f->journal, &found, &error));
  ck_assert_int_eq (found, WSI_JOURNAL_IN_PROGRESS);
  ck_assert (g_file_test (f->journal, G_FILE_TEST_EXISTS));
  g_clear_error (&error);
  ck_assert (g_file_set_contents (f->journal, "not a journal\n", -1, NULL));
  ck_assert (!wsi_msi_commit (f->journal, &found, &error));
  ck_assert (g_file_test (f->journal, G_FILE_TEST_EXISTS));
}
END_TEST

START_TEST (rollback_without_a_journal_does_nothing)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(WsiBackend) backend = fixture_backend (f, NULL);
  WsiMsiCallbacks cb = { fixture_log, NULL, f };
  WsiJournalState found = WSI_JOURNAL_COMMITTED;

  ck_assert (wsi_test_msi_rollback (backend, f->journal, &cb, &found, &error));
  ck_assert_int_eq (found, WSI_JOURNAL_NONE);
  ck_assert (log_has (f, "nothing to undo"));
  ck_assert (g_file_set_contents (f->journal, "{\"record\":\"nonsense\"}\n", -1, NULL));
  ck_assert (!wsi_test_msi_rollback (backend, f->journal, &cb, &found, &error));
  ck_assert (log_has (f, "[journal-corrupt]"));
  assert_machine_as_before (f);
}
END_TEST

/* ---------------- one journal per live transaction ---------------- */

START_TEST (live_journal_names_say_when_and_who_and_are_checked)
{
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 12, 7, 17, 23, 0);
  g_autofree char *name = wsi_live_journal_name (when, 4242, 0xbeef);
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  static const char *const invalid[] = {
    "live.journal",
    "",
    "20261207T172300Z-4242-0000beef.journal.tmp",
    "20261207T172300Z--0000beef.journal",
    "20261207T172300Z-4242-0000BEEF.journal",
    "20261207T172300Z-4242-beef.journal",
    "20261207T172300Z-4242-0000beef0.journal",
    "20261207172300Z-4242-0000beef.journal",
    "20261207T172300-4242-0000beef.journal",
    "20261207T172300Z-12345678901-0000beef.journal",
    "20261207T172300Z-42a2-0000beef.journal",
    "x20261207T172300Z-4242-0000beef.journal",
  };

  ck_assert_str_eq (name, "20261207T172300Z-4242-0000beef.journal");
  ck_assert (wsi_live_journal_name_is_valid (name));
  for (gsize i = 0; i < G_N_ELEMENTS (invalid); i++)
    ck_assert_msg (!wsi_live_journal_name_is_valid (invalid[i]), "accepted '%s'", invalid[i]);
  ck_assert (!wsi_live_journal_name_is_valid (NULL));

  /* Two transactions never pick the same journal, even in one process
   * and one second. */
  for (guint i = 0; i < 500; i++)
    {
      char *path = wsi_live_journal_new_path (dir);
      g_autofree char *base = g_path_get_basename (path);
      ck_assert (wsi_live_journal_name_is_valid (base));
      ck_assert (wsi_live_journal_path_is_in (dir, path));
      ck_assert_msg (g_hash_table_add (seen, path), "%s picked twice", path);
    }

  {
    g_autofree char *own = g_build_filename (dir, name, NULL);
    g_autofree char *other = g_strconcat (dir, "x" G_DIR_SEPARATOR_S, name, NULL);
    g_autofree char *below = g_build_filename (dir, "sub", name, NULL);
    g_autofree char *base = g_path_get_basename (dir);
    g_autofree char *dotdot = g_build_filename (dir, "..", base, name, NULL);
    g_autofree char *shared = g_build_filename (dir, "live.journal", NULL);

    ck_assert (wsi_live_journal_path_is_in (dir, own));
    ck_assert (!wsi_live_journal_path_is_in (dir, other));
    ck_assert (!wsi_live_journal_path_is_in (dir, below));
    ck_assert (!wsi_live_journal_path_is_in (dir, dotdot));
    ck_assert (!wsi_live_journal_path_is_in (dir, shared));
    ck_assert (!wsi_live_journal_path_is_in (dir, name));
  }
  wsi_test_rmtree (dir);
}
END_TEST

START_TEST (live_journals_are_listed_newest_first_and_nothing_else)
{
  g_autofree char *dir = wsi_test_mkdtemp ();
  g_autofree char *missing = g_build_filename (dir, "no-such-folder", NULL);
  static const char *const files[] = {
    "20261207T172300Z-10-00000001.journal", "live.journal", "20261208T000000Z-5-00000002.journal", "notes.txt",
    "20251231T235959Z-99-00000003.journal",
  };
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GError) error = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (dir, files[i], NULL);
      ck_assert (g_file_set_contents (path, "", 0, NULL));
    }
  names = wsi_live_journal_list (dir, &error);
  ck_assert_ptr_nonnull (names);
  ck_assert_uint_eq (names->len, 3);
  ck_assert_str_eq (g_ptr_array_index (names, 0), "20261208T000000Z-5-00000002.journal");
  ck_assert_str_eq (g_ptr_array_index (names, 1), "20261207T172300Z-10-00000001.journal");
  ck_assert_str_eq (g_ptr_array_index (names, 2), "20251231T235959Z-99-00000003.journal");
  none = wsi_live_journal_list (missing, &error);
  ck_assert_ptr_nonnull (none);
  ck_assert_uint_eq (none->len, 0);

  ck_assert (wsi_live_journal_needs_recovery (WSI_JOURNAL_IN_PROGRESS));
  ck_assert (wsi_live_journal_needs_recovery (WSI_JOURNAL_ROLLBACK_INCOMPLETE));
  ck_assert (!wsi_live_journal_needs_recovery (WSI_JOURNAL_COMMITTED));
  ck_assert (!wsi_live_journal_needs_recovery (WSI_JOURNAL_ROLLED_BACK));
  ck_assert (!wsi_live_journal_needs_recovery (WSI_JOURNAL_NONE));
  wsi_test_rmtree (dir);
}
END_TEST

/* A CLI install of @manifest committed with its own journal @journal. */
static void
commit_cli_install (Fixture *f, const char *manifest, const char *journal)
{
  g_autofree char *rel = g_strdup_printf ("manifests/%s", manifest);
  g_autofree char *path = wsi_test_source_path (rel);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiManifest) m = wsi_manifest_load_file (path, diags);
  g_autoptr(WsiBackend) backend = fixture_backend (f, NULL);
  g_autoptr(WsiPlan) plan = NULL;
  g_autoptr(GError) error = NULL;

  ck_assert (m != NULL);
  plan = wsi_plan_build (wsi_backend_peek (backend, NULL), &m, 1, 0, diags);
  ck_assert (plan != NULL && plan->steps->len > 0);
  ck_assert_int_eq (wsi_txn_apply (backend, plan, journal, NULL, NULL, &error), WSI_TXN_COMMITTED);
}

/* What a transaction that died after two steps of @manifest leaves in
 * @journal: intents, no end. */
static void
leave_in_progress (Fixture *f, const char *manifest, const char *journal)
{
  g_autofree char *rel = g_strdup_printf ("manifests/%s", manifest);
  g_autofree char *path = wsi_test_source_path (rel);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiManifest) m = wsi_manifest_load_file (path, diags);
  g_autoptr(WsiBackend) backend = fixture_backend (f, NULL);
  g_autoptr(WsiPlan) plan = NULL;
  g_autoptr(WsiJournal) j = NULL;
  g_autoptr(GError) error = NULL;

  ck_assert (m != NULL);
  plan = wsi_plan_build (wsi_backend_peek (backend, NULL), &m, 1, 0, diags);
  ck_assert (plan != NULL && plan->steps->len >= 2);
  j = wsi_journal_create (journal, "install", plan->steps->len, &error);
  ck_assert (j != NULL);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(WsiPlanStep) step = wsi_plan_step_copy (g_ptr_array_index (plan->steps, i));
      wsi_plan_step_free (step->undo);
      step->undo = wsi_plan_step_make_inverse (step, wsi_backend_peek (backend, NULL), &error);
      ck_assert (step->undo != NULL);
      ck_assert (wsi_journal_intent (j, step, &error));
      ck_assert_msg (wsi_plan_step_execute (step, backend, FALSE, NULL, &error), "%s", error->message);
    }
}

static WsiJournalState
state_of (const char *journal)
{
  g_autoptr(GPtrArray) intents = NULL;
  g_autoptr(GError) error = NULL;
  WsiJournalState state = WSI_JOURNAL_NONE;

  ck_assert_msg (wsi_journal_read (journal, &state, &intents, &error), "%s", error != NULL ? error->message : "");
  return state;
}

static void
assert_machine_is (Fixture *f, const WsiMachine *want)
{
  g_autoptr(WsiMachine) now = fixture_now (f);
  g_autoptr(WsiDiff) diff = wsi_machine_diff (want, now);
  g_autofree char *text = wsi_diff_to_text (diff);

  ck_assert_msg (wsi_diff_is_equivalent (diff), "the machine differs:\n%s", text);
}

START_TEST (recovery_rolls_back_what_was_left_in_progress_never_a_committed_transaction)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autofree char *cli = wsi_live_journal_new_path (f->dir);
  g_autofree char *died = NULL;
  g_autoptr(WsiMachine) after_cli = NULL;
  g_autoptr(GPtrArray) recovered = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  commit_cli_install (f, "contoso-web-filter.xml", cli);
  after_cli = fixture_now (f);
  /* Named later, so it sorts as the newer transaction. */
  g_usleep (1100 * 1000);
  died = wsi_live_journal_new_path (f->dir);
  leave_in_progress (f, "fabrikam-ifs-redirector.xml", died);
  ck_assert_int_eq (state_of (died), WSI_JOURNAL_IN_PROGRESS);
  {
    g_autoptr(WsiBackend) backend = fixture_backend (f, NULL);
    ck_assert_msg (wsi_live_journal_recover_all (backend, f->dir, NULL, NULL, NULL, NULL, recovered, &error), "%s",
                   error != NULL ? error->message : "");
  }
  ck_assert_uint_eq (recovered->len, 1);
  ck_assert_str_eq (g_ptr_array_index (recovered, 0), died);
  ck_assert_int_eq (state_of (died), WSI_JOURNAL_ROLLED_BACK);
  ck_assert_int_eq (state_of (cli), WSI_JOURNAL_COMMITTED);
  assert_machine_is (f, after_cli);
  /* Again: nothing left in progress. */
  g_ptr_array_set_size (recovered, 0);
  {
    g_autoptr(WsiBackend) backend = fixture_backend (f, NULL);
    ck_assert (wsi_live_journal_recover_all (backend, f->dir, NULL, NULL, NULL, NULL, recovered, &error));
  }
  ck_assert_uint_eq (recovered->len, 0);
  assert_machine_is (f, after_cli);
}
END_TEST

/* Issue 12: under Wine an MSI whose deferred action failed "rolled back"
 * the committed transaction of an earlier CLI install, as both used
 * live.journal. */
START_TEST (msi_rollback_never_touches_a_cli_transaction)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autofree char *cli = wsi_live_journal_new_path (f->dir);
  g_autoptr(WsiMsiData) data = fixture_data (f, WSI_MSI_ACTION_INSTALL, "adatum-ce-transport.xml");
  g_autoptr(WsiMachine) after_cli = NULL;
  g_autoptr(GError) error = NULL;
  WsiMsiCallbacks cb = { fixture_log, NULL, f, NULL };
  WsiJournalState found = WSI_JOURNAL_COMMITTED;

  commit_cli_install (f, "contoso-web-filter.xml", cli);
  after_cli = fixture_now (f);
  ck_assert_str_ne (cli, data->journal);
  /* The deferred action fails before it writes a journal (a CE manifest on
   * an x64 machine) ... */
  {
    g_autoptr(WsiBackend) backend = fixture_backend (f, NULL);
    ck_assert_int_eq (fixture_run (f, backend, data, &error), WSI_MSI_FAILED);
    g_clear_error (&error);
  }
  ck_assert (!g_file_test (data->journal, G_FILE_TEST_EXISTS));
  /* ... so its rollback action, given its own journal, has nothing to undo. */
  {
    g_autoptr(WsiBackend) backend = fixture_backend (f, NULL);
    ck_assert (wsi_test_msi_rollback (backend, data->journal, &cb, &found, &error));
  }
  ck_assert_int_eq (found, WSI_JOURNAL_NONE);
  ck_assert_int_eq (state_of (cli), WSI_JOURNAL_COMMITTED);
  assert_machine_is (f, after_cli);
  /* Nor does its commit action remove the CLI's journal. */
  ck_assert (wsi_msi_commit (data->journal, &found, &error));
  ck_assert (g_file_test (cli, G_FILE_TEST_EXISTS));
}
END_TEST

/* The journal refuse_path refuses when it gets no user data (the MSI
 * phases pass none). */
static const char *planted_journal;

/* A WsiLiveJournalCheck that refuses one path: @user_data, else
 * planted_journal. */
static gboolean
refuse_path (const char *path, gpointer user_data, GError **error)
{
  const char *planted = user_data != NULL ? user_data : planted_journal;

  if (g_strcmp0 (path, planted) != 0)
    return TRUE;
  g_set_error (error, WSI_ERROR, WSI_ERROR_UNTRUSTED, "%s is planted", path);
  return FALSE;
}

START_TEST (an_untrusted_journal_is_never_read_or_replayed)
{
  g_autoptr(Fixture) f = fixture_new ();
  g_autofree char *planted = wsi_live_journal_new_path (f->dir);
  g_autoptr(WsiMsiData) data = fixture_data (f, WSI_MSI_ACTION_INSTALL, "contoso-web-filter.xml");
  g_autoptr(WsiMachine) changed = NULL;
  g_autoptr(GPtrArray) recovered = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  WsiMsiCallbacks cb = { fixture_log, fixture_step, f, refuse_path };
  WsiJournalState found = WSI_JOURNAL_NONE;

  leave_in_progress (f, "fabrikam-ifs-redirector.xml", planted);
  changed = fixture_now (f);
  /* recover: refused at the journal, nothing replayed. */
  {
    g_autoptr(WsiBackend) backend = fixture_backend (f, NULL);
    ck_assert (!wsi_live_journal_recover_all (backend, f->dir, refuse_path, planted, NULL, NULL, recovered, &error));
  }
  ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_UNTRUSTED));
  g_clear_error (&error);
  ck_assert_uint_eq (recovered->len, 0);
  ck_assert_int_eq (state_of (planted), WSI_JOURNAL_IN_PROGRESS);
  assert_machine_is (f, changed);

  /* The MSI's deferred action: refused before any change, with the tag. */
  planted_journal = planted;
  {
    g_autoptr(WsiBackend) backend = fixture_backend (f, NULL);
    ck_assert_int_eq (wsi_test_msi_run (backend, data, &cb, &error), WSI_MSI_FAILED);
  }
  ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_UNTRUSTED));
  g_clear_error (&error);
  ck_assert (log_has (f, "[journal-untrusted]"));
  ck_assert (!g_file_test (data->journal, G_FILE_TEST_EXISTS));
  assert_machine_is (f, changed);

  /* The rollback action, pointed at it: refused, the tag logged. */
  g_ptr_array_set_size (f->log, 0);
  {
    g_autoptr(WsiBackend) backend = fixture_backend (f, NULL);
    ck_assert (!wsi_test_msi_rollback (backend, planted, &cb, &found, &error));
  }
  ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_UNTRUSTED));
  ck_assert (log_has (f, "[journal-untrusted]"));
  ck_assert_int_eq (state_of (planted), WSI_JOURNAL_IN_PROGRESS);
  assert_machine_is (f, changed);
  planted_journal = NULL;
}
END_TEST

static Suite *
win32_logic_suite (void)
{
  Suite *s = suite_create ("win32-logic");
  TCase *helper = tcase_create ("helper32");
  TCase *cli = tcase_create ("cli");
  TCase *msi = tcase_create ("msi");

  tcase_add_test (helper, install_call_round_trips_with_literal_chain_ids);
  tcase_add_test (helper, every_call_type_round_trips);
  tcase_add_test (helper, call_for_the_64_bit_catalog_is_refused);
  tcase_add_test (helper, registry_and_64_32_calls_are_refused);
  tcase_add_test (helper, call_with_an_inverse_or_predictions_is_refused);
  tcase_add_test (helper, call_with_unknown_members_is_refused);
  tcase_add_test (helper, call_with_wrong_types_or_ranges_is_refused);
  tcase_add_test (helper, call_whose_entries_break_the_api_limits_is_refused);
  tcase_add_test (helper, call_that_is_not_one_json_object_in_its_own_form_is_refused);
  tcase_add_test (helper, oversized_or_repeating_order_is_refused);
  tcase_add_test (helper, oversized_install_is_refused);
  tcase_add_test (helper, helper_refuses_paths_the_write_policy_refuses);
  tcase_add_test (helper, executing_a_call_makes_exactly_that_backend_call);
  tcase_add_test (helper, executing_a_failing_call_returns_the_backend_error);
  tcase_add_test (helper, answers_round_trip_with_their_codes);
  tcase_add_test (helper, answers_that_are_not_answers_are_helper_failures);
  suite_add_tcase (s, helper);

  tcase_add_test (cli, wsc32_run_validates_and_refuses_to_execute_off_windows);
  tcase_add_test (cli, live_is_a_usage_error_off_windows);
  suite_add_tcase (s, cli);

  tcase_add_test (msi, action_data_round_trips_awkward_paths);
  tcase_add_test (msi, action_data_that_was_not_written_by_prepare_is_refused);
  tcase_add_test (msi, action_data_bounds_its_size_and_manifests);
  tcase_add_test (msi, schedule_follows_the_component_action_state);
  tcase_add_test (msi, keep_names_are_product_code_and_row_only);
  tcase_add_test (msi, deferred_install_commits_and_commit_removes_the_journal);
  tcase_add_test (msi, rollback_after_a_committed_install_restores_the_machine);
  tcase_add_test (msi, rollback_of_a_committed_install_that_dies_is_finished_by_recover);
  tcase_add_test (msi, rollback_finishes_an_interrupted_transaction);
  tcase_add_test (msi, failing_install_rolls_back_and_logs_the_tag);
  tcase_add_test (msi, cancelling_at_a_step_rolls_everything_back);
  tcase_add_test (msi, unusable_manifest_fails_before_any_change);
  tcase_add_test (msi, deferred_uninstall_removes_what_install_put);
  tcase_add_test (msi, commit_keeps_an_unfinished_journal_and_tolerates_none);
  tcase_add_test (msi, rollback_without_a_journal_does_nothing);
  tcase_add_test (msi, live_journal_names_say_when_and_who_and_are_checked);
  tcase_add_test (msi, live_journals_are_listed_newest_first_and_nothing_else);
  tcase_add_test (msi, recovery_rolls_back_what_was_left_in_progress_never_a_committed_transaction);
  tcase_add_test (msi, msi_rollback_never_touches_a_cli_transaction);
  tcase_add_test (msi, an_untrusted_journal_is_never_read_or_replayed);
  suite_add_tcase (s, msi);
  return s;
}

int
main (void)
{
  return wsi_test_run_suite (win32_logic_suite ());
}
