/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* test-policy.c: the write policy. Each rule is tried with the allowed form
 * and with the tricks that would escape it (case, .. segments, slashes,
 * device prefixes, UNC, variables, 8.3 names, trailing dots). */
#include "wsi-test-util.h"

#include <string.h>

#include "wsi-plan.h"

/* A desktop-x86 manifest with a SAN provider (registration "Example SAN"),
 * a WSH helper for transport @transport and product id "example". */
static WsiManifest *
load_registry_manifest (const char *transport, WsiDiagList *diags)
{
  g_autofree char *xml = g_strdup_printf (
    "<manifest xmlns=\"urn:wsinstall:manifest:1\">\n"
    "  <product id=\"example\" name=\"Example\" version=\"1\"/>\n"
    "  <target profile=\"desktop-x86\"/>\n"
    "  <san-provider id=\"san\" guid=\"{11111111-2222-3333-4444-555555555556}\" path=\"C:\\san\\san.dll\" registration=\"Example SAN\">\n"
    "    <protocol name=\"Example SAN\" af=\"inet\" type=\"stream\" protocol=\"tcp\" min-sockaddr=\"16\" max-sockaddr=\"16\" provider-flags=\"HIDDEN\"/>\n"
    "  </san-provider>\n"
    "  <wsh-helper transport=\"%s\" dll=\"%%SystemRoot%%\\System32\\wshx.dll\" min-sockaddr=\"16\" max-sockaddr=\"16\">\n"
    "    <mapping af=\"inet\" type=\"stream\" protocol=\"tcp\"/>\n"
    "  </wsh-helper>\n"
    "</manifest>\n", transport);
  return wsi_manifest_load_memory (xml, strlen (xml), "registry.xml", diags);
}

/* A manifest with a layered provider at @path for @profile. */
static WsiManifest *
load_path_manifest (const char *profile, const char *path, WsiDiagList *diags)
{
  g_autofree char *xml = g_strdup_printf (
    "<manifest xmlns=\"urn:wsinstall:manifest:1\">\n"
    "  <product id=\"p\" name=\"P\" version=\"1\"/>\n"
    "  <target profile=\"%s\"/>\n"
    "  <layered-provider id=\"l\" guid=\"{A0000001-0000-4000-8000-0000000000F1}\" name=\"L\" path=\"%s\"%s/>\n"
    "  <chain layer=\"l\"><over af=\"inet\" type=\"stream\" protocol=\"tcp\"/></chain>\n"
    "</manifest>\n", profile, path, strcmp (profile, "ce") == 0 ? "" : " categories=\"proxy\"");
  return wsi_manifest_load_memory (xml, strlen (xml), "path.xml", diags);
}

static WsiManifest *
registry_manifest (void)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  WsiManifest *m = load_registry_manifest ("ExampleNet", diags);
  g_autofree char *all = wsi_test_diags_to_string (diags);

  ck_assert_msg (m != NULL, "the registry manifest does not load:\n%s", all);
  return m;
}

static void
assert_write (const WsiManifest *m, const char *key, const char *name, gboolean allowed)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = wsi_policy_check_registry_write (m, key, name, &error);

  if (allowed)
    ck_assert_msg (ok, "write to [%s] '%s' refused: %s", key, name, error != NULL ? error->message : "");
  else
    {
      ck_assert_msg (!ok, "write to [%s] '%s' allowed", key, name);
      ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_POLICY));
      ck_assert_str_eq (wsi_error_to_tag (error), "registry-write-denied");
    }
}

/* --- registry: what a manifest owns --- */

START_TEST (san_registration_value_allowed)
{
  g_autoptr(WsiManifest) m = registry_manifest ();
  assert_write (m, "Winsock\\Parameters\\TCP on SAN", "Example SAN", TRUE);
}
END_TEST

START_TEST (san_registration_matches_without_case)
{
  g_autoptr(WsiManifest) m = registry_manifest ();
  assert_write (m, "WINSOCK\\parameters\\tcp ON san", "EXAMPLE san", TRUE);
}
END_TEST

START_TEST (san_key_absolute_form_is_the_same_key)
{
  g_autoptr(WsiManifest) m = registry_manifest ();
  assert_write (m, "HKLM\\SYSTEM\\CurrentControlSet\\Services\\Winsock\\Parameters\\TCP on SAN", "Example SAN", TRUE);
  assert_write (m, "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\Winsock\\Parameters\\TCP on SAN",
                "Example SAN", TRUE);
}
END_TEST

/* Windows upcases names one character at a time: the Kelvin sign (U+212A)
 * stays itself, so "WinsocK" with it is another key, and "ß" is not "SS". */
START_TEST (unicode_case_folding_does_not_widen_a_match)
{
  g_autoptr(WsiManifest) m = registry_manifest ();
  assert_write (m, "Winsoc\xe2\x84\xaa\\Parameters\\TCP on SAN", "Example SAN", FALSE);
  assert_write (m, "Winsock\\Parameters\\TCP on SAN", "Example \xc3\x9f" "AN", FALSE);
  assert_write (m, "\xef\xbc\xb7insock\\Parameters", "Transports", FALSE);
}
END_TEST

START_TEST (san_other_registration_denied)
{
  g_autoptr(WsiManifest) m = registry_manifest ();
  assert_write (m, "Winsock\\Parameters\\TCP on SAN", "Other Vendor SAN", FALSE);
  assert_write (m, "Winsock\\Parameters\\TCP on SAN", "Example SAN ", FALSE);
  assert_write (m, "Winsock\\Parameters\\TCP on SAN", "", FALSE);
}
END_TEST

START_TEST (transports_allowed_with_a_wsh_helper)
{
  g_autoptr(WsiManifest) m = registry_manifest ();
  assert_write (m, "Winsock\\Parameters", "Transports", TRUE);
  assert_write (m, "Winsock\\Parameters", "transports", TRUE);
}
END_TEST

START_TEST (transports_denied_without_a_wsh_helper)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiManifest) m = load_path_manifest ("desktop-x86", "%ProgramFiles%\\V\\l.dll", diags);

  ck_assert_ptr_nonnull (m);
  assert_write (m, "Winsock\\Parameters", "Transports", FALSE);
}
END_TEST

START_TEST (other_winsock_parameters_values_denied)
{
  g_autoptr(WsiManifest) m = registry_manifest ();
  assert_write (m, "Winsock\\Parameters", "AutodialDLL", FALSE);
  assert_write (m, "Winsock\\Parameters", "", FALSE);
  assert_write (m, "WinSock2\\Parameters", "Transports", FALSE);
  assert_write (m, "WinSock2\\Parameters\\Protocol_Catalog9", "Next_Catalog_Entry_ID", FALSE);
}
END_TEST

START_TEST (wsh_helper_values_allowed)
{
  g_autoptr(WsiManifest) m = registry_manifest ();
  assert_write (m, "ExampleNet\\Parameters\\Winsock", "Mapping", TRUE);
  assert_write (m, "ExampleNet\\Parameters\\Winsock", "HelperDllName", TRUE);
  assert_write (m, "examplenet\\PARAMETERS\\winsock", "MinSockaddrLength", TRUE);
  assert_write (m, "ExampleNet\\Parameters\\Winsock", "MaxSockaddrLength", TRUE);
}
END_TEST

START_TEST (wsh_helper_other_values_denied)
{
  g_autoptr(WsiManifest) m = registry_manifest ();
  assert_write (m, "ExampleNet\\Parameters\\Winsock", "UseDelayedAcceptance", FALSE);
  assert_write (m, "ExampleNet\\Parameters", "HelperDllName", FALSE);
  assert_write (m, "ExampleNet", "ImagePath", FALSE);
}
END_TEST

START_TEST (other_transport_denied)
{
  g_autoptr(WsiManifest) m = registry_manifest ();
  assert_write (m, "Tcpip\\Parameters\\Winsock", "HelperDllName", FALSE);
  assert_write (m, "ExampleNet2\\Parameters\\Winsock", "Mapping", FALSE);
}
END_TEST

/* A manifest that got past validation with a WSH helper for a transport
 * of Windows (a planner bug, a tampered journal): the policy itself still
 * refuses every write the helper would need. */
START_TEST (windows_transport_values_denied_whatever_the_manifest_declares)
{
  static const char *const transports[] = { "AFD", "afd", "Tcpip", "TCPIP6", "NetBIOS", "psched", "AfUnix", "IrDA",
                                            "rfcomm", "VMBus" };

  for (gsize i = 0; i < G_N_ELEMENTS (transports); i++)
    {
      g_autoptr(WsiManifest) m = registry_manifest ();
      WsiManifestWshHelper *h = g_ptr_array_index (m->wsh_helpers, 0);
      g_autofree char *key = g_strconcat (transports[i], "\\Parameters\\Winsock", NULL);
      g_autofree char *absolute = g_strconcat ("HKLM\\SYSTEM\\CurrentControlSet\\Services\\", key, NULL);

      ck_assert_msg (wsi_policy_transport_is_windows (transports[i]), "%s", transports[i]);
      g_free (h->transport);
      h->transport = g_strdup (transports[i]);
      assert_write (m, key, "HelperDllName", FALSE);
      assert_write (m, key, "Mapping", FALSE);
      assert_write (m, absolute, "MinSockaddrLength", FALSE);
      /* Nor may it add the transport to Winsock\Parameters\Transports. */
      assert_write (m, "Winsock\\Parameters", "Transports", FALSE);
    }
}
END_TEST

/* A vendor's transport keeps its own name, even one that resembles
 * Windows' (only exact names are Windows'). */
START_TEST (vendor_transport_named_like_windows_allowed)
{
  static const char *const transports[] = { "viosock", "LitwareNet", "Tcpip7", "MyTcpip", "AFD2", "Tcpip6Vendor",
                                            "NetBIOSX" };

  for (gsize i = 0; i < G_N_ELEMENTS (transports); i++)
    {
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
      g_autoptr(WsiManifest) m = load_registry_manifest (transports[i], diags);
      g_autofree char *all = wsi_test_diags_to_string (diags);
      g_autofree char *key = g_strconcat (transports[i], "\\Parameters\\Winsock", NULL);

      ck_assert_msg (!wsi_policy_transport_is_windows (transports[i]), "%s", transports[i]);
      ck_assert_msg (m != NULL, "transport '%s' refused:\n%s", transports[i], all);
      assert_write (m, key, "HelperDllName", TRUE);
      assert_write (m, "Winsock\\Parameters", "Transports", TRUE);
    }
}
END_TEST

START_TEST (windows_transport_refused_by_validate_with_its_own_hint)
{
  static const char *const transports[] = { "AFD", "aFd", "Tcpip", "tcpip6", "NetBIOS", "Psched", "afunix", "irda",
                                            "RFCOMM", "vmbus" };
  const WsiTagInfo *info = wsi_tag_lookup ("registry-write-denied");

  ck_assert_ptr_nonnull (info);
  for (gsize i = 0; i < G_N_ELEMENTS (transports); i++)
    {
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
      g_autoptr(WsiManifest) m = load_registry_manifest (transports[i], diags);
      const WsiDiag *d;

      ck_assert_msg (m == NULL, "transport '%s' accepted", transports[i]);
      ck_assert_diag (diags, "registry-write-denied", 7);
      ck_assert_uint_eq (wsi_diag_list_count (diags, WSI_SEVERITY_ERROR), 1);
      d = wsi_diag_list_get (diags, 0);
      /* The hint names the problem (a transport of Windows), not the
       * generic one of the tag. */
      ck_assert_ptr_nonnull (d->hint);
      ck_assert_str_ne (d->hint, info->hint);
    }
}
END_TEST

START_TEST (product_record_allowed)
{
  g_autoptr(WsiManifest) m = registry_manifest ();
  assert_write (m, WSI_REG_KEY_PRODUCTS "\\example", "Version", TRUE);
  assert_write (m, "hklm\\software\\WSINSTALL\\products\\EXAMPLE", "Guids", TRUE);
  assert_write (m, "HKEY_LOCAL_MACHINE\\SOFTWARE\\wsinstall\\Products\\example", "", TRUE);
}
END_TEST

START_TEST (other_product_record_denied)
{
  g_autoptr(WsiManifest) m = registry_manifest ();
  assert_write (m, WSI_REG_KEY_PRODUCTS "\\other", "Version", FALSE);
  assert_write (m, WSI_REG_KEY_PRODUCTS, "Version", FALSE);
  assert_write (m, WSI_REG_KEY_PRODUCTS "\\example\\sub", "Version", FALSE);
  /* Relative keys are below Services: this is not the product key. */
  assert_write (m, "SOFTWARE\\wsinstall\\Products\\example", "Version", FALSE);
  assert_write (m, "HKCU\\SOFTWARE\\wsinstall\\Products\\example", "Version", FALSE);
}
END_TEST

START_TEST (other_control_set_denied)
{
  g_autoptr(WsiManifest) m = registry_manifest ();
  assert_write (m, "HKLM\\SYSTEM\\ControlSet001\\Services\\Winsock\\Parameters\\TCP on SAN", "Example SAN", FALSE);
  assert_write (m, "HKLM\\SYSTEM\\CurrentControlSet\\Control", "Example SAN", FALSE);
}
END_TEST

START_TEST (dot_dot_segments_denied)
{
  g_autoptr(WsiManifest) m = registry_manifest ();
  assert_write (m, "ExampleNet\\Parameters\\Winsock\\..\\..\\..\\Tcpip\\Parameters\\Winsock", "HelperDllName", FALSE);
  assert_write (m, "Winsock\\Parameters\\TCP on SAN\\..", "Transports", FALSE);
  assert_write (m, "Winsock\\.\\Parameters", "Transports", FALSE);
  assert_write (m, WSI_REG_KEY_PRODUCTS "\\example\\..\\other", "Version", FALSE);
}
END_TEST

START_TEST (malformed_key_forms_denied)
{
  g_autoptr(WsiManifest) m = registry_manifest ();
  assert_write (m, "Winsock\\Parameters\\", "Transports", FALSE);
  assert_write (m, "\\Winsock\\Parameters", "Transports", FALSE);
  assert_write (m, "Winsock\\\\Parameters", "Transports", FALSE);
  assert_write (m, "Winsock/Parameters", "Transports", FALSE);
  assert_write (m, "Winsock\\Parameters/TCP on SAN", "Example SAN", FALSE);
  assert_write (m, "", "Transports", FALSE);
  assert_write (m, NULL, "Transports", FALSE);
  assert_write (m, "Winsock\\Parameters", NULL, FALSE);
}
END_TEST

START_TEST (control_characters_denied)
{
  g_autoptr(WsiManifest) m = registry_manifest ();
  assert_write (m, "Winsock\\Parameters\\TCP on SAN\n", "Example SAN", FALSE);
  assert_write (m, "Winsock\\Parameters\\TCP on SAN", "Example SAN\r", FALSE);
  assert_write (m, "Winsock\x01\\Parameters", "Transports", FALSE);
  assert_write (m, "Winsock\\Parameters\\TCP on SAN", "Example\x7fSAN", FALSE);
  assert_write (m, "Winsock\\Parameters\\TCP on SAN", "Example \xff SAN", FALSE);
}
END_TEST

/* A C string ends at its first NUL: a key "with an embedded NUL" is the
 * key before it, which is what any caller passing it writes too. The
 * policy never sees (and so never allows) the part after the NUL. */
START_TEST (embedded_nul_ends_the_key)
{
  g_autoptr(WsiManifest) m = registry_manifest ();
  static const char key[] = "Winsock\\Parameters\0\\..\\..\\Tcpip";
  static const char name[] = "Tran\0sports";

  ck_assert_uint_gt (sizeof key, strlen (key) + 1);
  assert_write (m, key, "Transports", TRUE);
  assert_write (m, "Winsock\\Parameters", name, FALSE);
}
END_TEST

static WsiRegistry *
san_registry (const WsiGuid *guid)
{
  WsiRegistry *reg = wsi_registry_new ();
  guint8 raw[16];
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GBytes) short_data = NULL;

  wsi_guid_to_bytes (guid, raw);
  data = g_bytes_new (raw, 16);
  short_data = g_bytes_new (raw, 15);
  wsi_registry_set (reg, WSI_REG_KEY_TCP_ON_SAN, "Old Name", WSI_REG_BINARY, data);
  wsi_registry_set (reg, WSI_REG_KEY_TCP_ON_SAN, "As String", WSI_REG_SZ, data);
  wsi_registry_set (reg, WSI_REG_KEY_TCP_ON_SAN, "Short", WSI_REG_BINARY, short_data);
  return reg;
}

START_TEST (san_unregister_allowed_for_the_guid_it_holds)
{
  WsiGuid guid;
  g_autoptr(WsiRegistry) reg = NULL;
  g_autoptr(GError) error = NULL;

  ck_assert (wsi_guid_parse ("{11111111-2222-3333-4444-555555555556}", &guid));
  reg = san_registry (&guid);
  ck_assert_msg (wsi_policy_check_san_unregister (reg, "Old Name", &guid, &error), "%s", error ? error->message : "");
  ck_assert_msg (wsi_policy_check_san_unregister (reg, "old NAME", &guid, &error), "%s", error ? error->message : "");
}
END_TEST

START_TEST (san_unregister_denied_for_other_values)
{
  WsiGuid guid, other;
  g_autoptr(WsiRegistry) reg = NULL;
  const char *const names[] = { "As String", "Short", "Missing", "Old Name\n" };

  ck_assert (wsi_guid_parse ("{11111111-2222-3333-4444-555555555556}", &guid));
  ck_assert (wsi_guid_parse ("{11111111-2222-3333-4444-555555555557}", &other));
  reg = san_registry (&guid);
  for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      ck_assert_msg (!wsi_policy_check_san_unregister (reg, names[i], &guid, &error), "%s allowed", names[i]);
      ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_POLICY));
    }
  {
    g_autoptr(GError) error = NULL;
    ck_assert (!wsi_policy_check_san_unregister (reg, "Old Name", &other, &error));
    ck_assert (g_error_matches (error, WSI_ERROR, WSI_ERROR_POLICY));
  }
}
END_TEST

START_TEST (no_manifest_writes_nothing)
{
  assert_write (NULL, "Winsock\\Parameters", "Transports", FALSE);
  assert_write (NULL, WSI_REG_KEY_PRODUCTS "\\example", "Version", FALSE);
}
END_TEST

START_TEST (transport_that_is_not_a_service_name_refused_by_validate)
{
  static const char *const transports[] = { "..", ".", "Winsock", "WINSOCK2", "Example/Net" };

  for (guint i = 0; i < G_N_ELEMENTS (transports); i++)
    {
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
      g_autoptr(WsiManifest) m = load_registry_manifest (transports[i], diags);
      ck_assert_msg (m == NULL, "transport '%s' accepted", transports[i]);
      ck_assert_diag (diags, "registry-write-denied", 7);
    }
}
END_TEST

START_TEST (san_registration_with_control_characters_refused_by_validate)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  static const char xml[] =
    "<manifest xmlns=\"urn:wsinstall:manifest:1\">\n"
    "  <product id=\"example\" name=\"Example\" version=\"1\"/>\n"
    "  <target profile=\"desktop-x86\"/>\n"
    "  <san-provider id=\"san\" guid=\"{11111111-2222-3333-4444-555555555556}\" path=\"C:\\san\\san.dll\" registration=\"Example&#10;SAN\">\n"
    "    <protocol name=\"Example SAN\" af=\"inet\" type=\"stream\" protocol=\"tcp\" min-sockaddr=\"16\" max-sockaddr=\"16\" provider-flags=\"HIDDEN\"/>\n"
    "  </san-provider>\n"
    "</manifest>\n";
  g_autoptr(WsiManifest) m = wsi_manifest_load_memory (xml, strlen (xml), "san.xml", diags);

  ck_assert_ptr_null (m);
  ck_assert_diag (diags, "registry-write-denied", 4);
}
END_TEST

/* --- DLL paths --- */

static void
assert_path (WsiProfile profile, const char *path, const char *expected_tag)
{
  g_autofree char *reason = NULL;
  const char *tag = wsi_policy_dll_path_problem (profile, path, &reason);
  g_autoptr(GError) error = NULL;
  gboolean ok = wsi_policy_check_dll_path (profile, path, &error);

  ck_assert_msg (g_strcmp0 (tag, expected_tag) == 0, "%s: expected %s, got %s (%s)", path,
                 expected_tag != NULL ? expected_tag : "allowed", tag != NULL ? tag : "allowed",
                 reason != NULL ? reason : "");
  ck_assert (ok == (expected_tag == NULL));
  if (expected_tag != NULL)
    {
      ck_assert (error->domain == WSI_ERROR);
      ck_assert_str_eq (wsi_error_to_tag (error), expected_tag);
      ck_assert (reason != NULL && reason[0] != '\0');
    }
}

#define DESKTOP WSI_PROFILE_DESKTOP_X64

START_TEST (desktop_admin_locations_allowed)
{
  assert_path (DESKTOP, "%SystemRoot%\\System32\\mswsock.dll", NULL);
  assert_path (DESKTOP, "%systemroot%\\system32\\x.dll", NULL);
  assert_path (DESKTOP, "%windir%\\SysWOW64\\x.dll", NULL);
  assert_path (DESKTOP, "%ProgramFiles%\\Contoso\\Web Filter\\cwflsp64.dll", NULL);
  assert_path (DESKTOP, "%ProgramFiles(x86)%\\Contoso\\cwflsp.dll", NULL);
  assert_path (DESKTOP, "%ProgramW6432%\\Contoso\\x.dll", NULL);
  assert_path (DESKTOP, "%CommonProgramFiles%\\Contoso\\x.dll", NULL);
  assert_path (DESKTOP, "%CommonProgramFiles(x86)%\\Contoso\\x.dll", NULL);
  assert_path (DESKTOP, "C:\\Program Files\\Contoso\\x.dll", NULL);
  assert_path (DESKTOP, "c:\\windows\\system32\\nonifslsp.dll", NULL);
  assert_path (DESKTOP, "D:\\Vendor\\x.dll", NULL);
  assert_path (WSI_PROFILE_DESKTOP_X86, "C:\\Windows\\Temp.dll", NULL);
}
END_TEST

START_TEST (forward_slashes_count_as_backslashes)
{
  assert_path (DESKTOP, "C:/Program Files/Contoso/x.dll", NULL);
  assert_path (DESKTOP, "C:/Users/bob/x.dll", "path-not-allowed");
  assert_path (DESKTOP, "C:\\Program Files/../Users/bob/x.dll", "path-not-canonical");
  assert_path (DESKTOP, "%ProgramFiles%/Contoso/x.dll", NULL);
}
END_TEST

START_TEST (relative_paths_not_absolute)
{
  assert_path (DESKTOP, "lsp.dll", "path-not-absolute");
  assert_path (DESKTOP, "Contoso\\lsp.dll", "path-not-absolute");
  assert_path (DESKTOP, ".\\lsp.dll", "path-not-absolute");
  assert_path (DESKTOP, "..\\lsp.dll", "path-not-absolute");
  assert_path (DESKTOP, "\\Program Files\\lsp.dll", "path-not-absolute");
  assert_path (DESKTOP, "C:lsp.dll", "path-not-absolute");
  assert_path (DESKTOP, "", "path-not-absolute");
  assert_path (DESKTOP, NULL, "path-not-absolute");
  assert_path (DESKTOP, "%ProgramFiles\\lsp.dll", "path-not-absolute");
  assert_path (DESKTOP, "%%\\lsp.dll", "path-not-absolute");
}
END_TEST

START_TEST (network_and_device_paths_not_allowed)
{
  assert_path (DESKTOP, "\\\\server\\share\\lsp.dll", "path-not-allowed");
  assert_path (DESKTOP, "//server/share/lsp.dll", "path-not-allowed");
  assert_path (DESKTOP, "\\\\server/share\\lsp.dll", "path-not-allowed");
  assert_path (DESKTOP, "\\\\127.0.0.1\\c$\\Windows\\lsp.dll", "path-not-allowed");
  assert_path (DESKTOP, "\\\\?\\C:\\Windows\\System32\\lsp.dll", "path-not-allowed");
  assert_path (DESKTOP, "\\\\?\\UNC\\server\\share\\lsp.dll", "path-not-allowed");
  assert_path (DESKTOP, "//?/C:/Windows/lsp.dll", "path-not-allowed");
  assert_path (DESKTOP, "\\\\.\\C:\\Windows\\lsp.dll", "path-not-allowed");
  assert_path (DESKTOP, "\\??\\C:\\Windows\\lsp.dll", "path-not-allowed");
}
END_TEST

START_TEST (user_writable_directories_not_allowed)
{
  assert_path (DESKTOP, "C:\\Users\\Public\\lsp.dll", "path-not-allowed");
  assert_path (DESKTOP, "c:\\USERS\\bob\\AppData\\lsp.dll", "path-not-allowed");
  assert_path (DESKTOP, "C:\\ProgramData\\Contoso\\lsp.dll", "path-not-allowed");
  assert_path (DESKTOP, "C:\\Documents and Settings\\bob\\lsp.dll", "path-not-allowed");
  assert_path (DESKTOP, "C:\\$Recycle.Bin\\lsp.dll", "path-not-allowed");
  assert_path (DESKTOP, "D:\\Temp\\lsp.dll", "path-not-allowed");
  assert_path (DESKTOP, "C:\\Program Files\\Contoso\\tmp\\lsp.dll", "path-not-allowed");
  assert_path (DESKTOP, "C:\\Windows\\Temp\\lsp.dll", "path-not-allowed");
  assert_path (DESKTOP, "C:\\WINDOWS\\tasks\\lsp.dll", "path-not-allowed");
  assert_path (DESKTOP, "C:\\WINNT\\Tracing\\lsp.dll", "path-not-allowed");
  assert_path (DESKTOP, "%SystemRoot%\\Temp\\lsp.dll", "path-not-allowed");
  assert_path (DESKTOP, "%windir%\\System32\\spool\\drivers\\color\\lsp.dll", "path-not-allowed");
  assert_path (DESKTOP, "%SYSTEMROOT%\\system32\\TASKS\\lsp.dll", "path-not-allowed");
  assert_path (DESKTOP, "%SystemRoot%\\Registration\\CRMLog\\lsp.dll", "path-not-allowed");
}
END_TEST

START_TEST (environment_variable_tricks_not_allowed)
{
  assert_path (DESKTOP, "%TEMP%\\lsp.dll", "path-not-allowed");
  assert_path (DESKTOP, "%APPDATA%\\Contoso\\lsp.dll", "path-not-allowed");
  assert_path (DESKTOP, "%USERPROFILE%\\lsp.dll", "path-not-allowed");
  assert_path (DESKTOP, "%ProgramData%\\Contoso\\lsp.dll", "path-not-allowed");
  assert_path (DESKTOP, "%ALLUSERSPROFILE%\\lsp.dll", "path-not-allowed");
  assert_path (DESKTOP, "%SystemDrive%\\Program Files\\lsp.dll", "path-not-allowed");
  assert_path (DESKTOP, "%ProgramFiles%\\%TEMP%\\lsp.dll", "path-not-allowed");
  assert_path (DESKTOP, "C:\\Program Files\\%USERNAME%\\lsp.dll", "path-not-allowed");
  assert_path (DESKTOP, "%SystemRoot%", "path-not-canonical");
  assert_path (DESKTOP, "%SystemRoot%lsp.dll", "path-not-canonical");
  assert_path (DESKTOP, "%SystemRoot%\\..\\Users\\bob\\lsp.dll", "path-not-canonical");
}
END_TEST

START_TEST (non_canonical_paths_refused)
{
  assert_path (DESKTOP, "C:\\Program Files\\..\\Users\\bob\\lsp.dll", "path-not-canonical");
  assert_path (DESKTOP, "C:\\Program Files\\.\\lsp.dll", "path-not-canonical");
  assert_path (DESKTOP, "C:\\Program Files\\\\lsp.dll", "path-not-canonical");
  assert_path (DESKTOP, "C:\\Program Files\\Contoso\\", "path-not-canonical");
  assert_path (DESKTOP, "C:\\", "path-not-canonical");
  assert_path (DESKTOP, "C:\\Users.\\bob\\lsp.dll", "path-not-canonical");
  assert_path (DESKTOP, "C:\\Users \\bob\\lsp.dll", "path-not-canonical");
  assert_path (DESKTOP, "C:\\Program Files\\lsp.dll.", "path-not-canonical");
  assert_path (DESKTOP, "C:\\PROGRA~3\\Contoso\\lsp.dll", "path-not-canonical");
  assert_path (DESKTOP, "C:\\Program Files\\Contoso\\lsp.dll:evil", "path-not-canonical");
  assert_path (DESKTOP, "C:\\Program Files\\Contoso\\ls*.dll", "path-not-canonical");
  assert_path (DESKTOP, "C:\\Program Files\\Contoso\\lsp?.dll", "path-not-canonical");
  assert_path (DESKTOP, "C:\\Program Files\\Contoso\\CON.dll", "path-not-canonical");
  assert_path (DESKTOP, "C:\\Program Files\\nul\\lsp.dll", "path-not-canonical");
  assert_path (DESKTOP, "C:\\Program Files\\Contoso\\com1", "path-not-canonical");
  assert_path (DESKTOP, "C:\\Program Files\\Con\ttoso\\lsp.dll", "path-not-canonical");
  assert_path (DESKTOP, "C:\\Program Files\\\xff\\lsp.dll", "path-not-canonical");
}
END_TEST

START_TEST (ce_system_folders_allowed)
{
  assert_path (WSI_PROFILE_CE, "\\Windows\\adtmrlnk.dll", NULL);
  assert_path (WSI_PROFILE_CE, "\\windows\\x.dll", NULL);
  assert_path (WSI_PROFILE_CE, "\\Program Files\\Adatum\\x.dll", NULL);
  assert_path (WSI_PROFILE_CE, "/Windows/x.dll", NULL);
}
END_TEST

START_TEST (ce_other_places_refused)
{
  assert_path (WSI_PROFILE_CE, "\\Storage Card\\x.dll", "path-not-allowed");
  assert_path (WSI_PROFILE_CE, "\\Temp\\x.dll", "path-not-allowed");
  assert_path (WSI_PROFILE_CE, "\\My Documents\\x.dll", "path-not-allowed");
  assert_path (WSI_PROFILE_CE, "\\x.dll", "path-not-allowed");
  assert_path (WSI_PROFILE_CE, "\\Windows", "path-not-allowed");
  assert_path (WSI_PROFILE_CE, "\\Windows\\Temp\\x.dll", "path-not-allowed");
  assert_path (WSI_PROFILE_CE, "\\Windows\\..\\Storage Card\\x.dll", "path-not-canonical");
  assert_path (WSI_PROFILE_CE, "\\\\server\\x.dll", "path-not-allowed");
  assert_path (WSI_PROFILE_CE, "%SystemRoot%\\x.dll", "path-not-absolute");
  assert_path (WSI_PROFILE_CE, "\\Windows\\%TEMP%\\x.dll", "path-not-allowed");
  assert_path (WSI_PROFILE_CE, "C:\\Windows\\x.dll", "path-not-absolute");
  assert_path (WSI_PROFILE_CE, "Windows\\x.dll", "path-not-absolute");
}
END_TEST

/* --- validate reports the path rules --- */

START_TEST (validate_reports_path_not_allowed_with_its_line)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiManifest) m = load_path_manifest ("desktop-x86", "C:\\Users\\Public\\l.dll", diags);

  ck_assert_ptr_null (m);
  ck_assert_diag (diags, "path-not-allowed", 4);
}
END_TEST

START_TEST (validate_reports_path_not_canonical_with_its_line)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiManifest) m = load_path_manifest ("desktop-x86", "%ProgramFiles%\\..\\Users\\l.dll", diags);

  ck_assert_ptr_null (m);
  ck_assert_diag (diags, "path-not-canonical", 4);
}
END_TEST

START_TEST (validate_reports_unc_path_once)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiManifest) m = load_path_manifest ("desktop-x86", "\\\\server\\share\\l.dll", diags);

  ck_assert_ptr_null (m);
  ck_assert_diag (diags, "path-not-allowed", 4);
  ck_assert (!wsi_diag_list_has_tag (diags, "path-not-absolute"));
}
END_TEST

START_TEST (validate_reports_ce_path_outside_system_folders)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiManifest) m = load_path_manifest ("ce", "\\Storage Card\\l.dll", diags);

  ck_assert_ptr_null (m);
  ck_assert_diag (diags, "path-not-allowed", 4);
}
END_TEST

START_TEST (validate_accepts_allowed_path)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiManifest) m = load_path_manifest ("desktop-x86", "%ProgramFiles%\\V\\l.dll", diags);
  g_autofree char *all = wsi_test_diags_to_string (diags);

  ck_assert_msg (m != NULL, "%s", all);
}
END_TEST

START_TEST (validate_checks_wsh_helper_dll)
{
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autofree char *xml = NULL;
  g_autoptr(WsiManifest) m = NULL;

  xml = g_strdup (
    "<manifest xmlns=\"urn:wsinstall:manifest:1\">\n"
    "  <product id=\"w\" name=\"W\" version=\"1\"/>\n"
    "  <target profile=\"desktop-x86\"/>\n"
    "  <wsh-helper transport=\"W\" dll=\"%TEMP%\\wshw.dll\" min-sockaddr=\"16\" max-sockaddr=\"16\">\n"
    "    <mapping af=\"inet\" type=\"stream\" protocol=\"tcp\"/>\n"
    "  </wsh-helper>\n"
    "</manifest>\n");
  m = wsi_manifest_load_memory (xml, strlen (xml), "wsh.xml", diags);
  ck_assert_ptr_null (m);
  ck_assert_diag (diags, "path-not-allowed", 4);
}
END_TEST

/* Every manifest the project ships passes the policy. */
START_TEST (shipped_manifests_pass_the_policy)
{
  g_autofree char *dir_path = wsi_test_source_path ("manifests");
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0;

  ck_assert_ptr_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
      g_autoptr(WsiManifest) m = NULL;
      g_autofree char *all = NULL;

      if (!g_str_has_suffix (name, ".xml"))
        continue;
      m = wsi_manifest_load_file (path, diags);
      all = wsi_test_diags_to_string (diags);
      ck_assert_msg (!wsi_diag_list_has_tag (diags, "path-not-allowed") && !wsi_diag_list_has_tag (diags, "path-not-canonical")
                     && !wsi_diag_list_has_tag (diags, "registry-write-denied"), "%s:\n%s", name, all);
      n++;
    }
  ck_assert_uint_ge (n, 7);
}
END_TEST

/* Every registry write and DLL path of a plan the planner makes for a
 * shipped manifest (install, and uninstall from the installed machine)
 * passes the policy: wiring the policy into the planner refuses nothing
 * legitimate. */
static guint
check_plan_steps (const WsiManifest *m, const WsiPlan *plan)
{
  guint n = 0;

  for (guint i = 0; i < plan->steps->len; i++)
    {
      const WsiPlanStep *step = g_ptr_array_index (plan->steps, i);
      g_autoptr(GError) error = NULL;

      if (step->op == WSI_STEP_SET_REGISTRY_VALUE)
        {
          gboolean ok = wsi_policy_check_registry_write (m, step->reg_key, step->reg_name, &error);
          for (guint k = 0; !ok && step->reg_data == NULL && k < m->providers->len; k++)
            {
              const WsiManifestProvider *p = g_ptr_array_index (m->providers, k);
              ok = p->san && wsi_policy_check_san_unregister (wsi_machine_peek_registry (plan->before), step->reg_name,
                                                              &p->guid, NULL);
            }
          ck_assert_msg (ok, "%s: step %u: %s", m->file, i, error->message);
          n++;
        }
      if (!plan->uninstall && (step->op == WSI_STEP_INSTALL_PROVIDER || step->op == WSI_STEP_INSTALL_PROVIDER_64_32))
        {
          ck_assert_msg (wsi_policy_check_dll_path (m->target.profile, step->path, &error), "%s: step %u: %s", m->file,
                         i, error->message);
          n++;
        }
    }
  return n;
}

START_TEST (shipped_plans_pass_the_policy)
{
  g_autofree char *dir_path = wsi_test_source_path ("manifests");
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) machines = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_machine_free);
  static const char *const snapshots[] = { "snapshots/win7-x86.xml", "snapshots/win10-1709-x64.xml" };
  const char *name;
  guint checked = 0, registry_plans = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (snapshots); i++)
    {
      g_autofree char *path = wsi_test_data_path (snapshots[i]);
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
      WsiMachine *machine = wsi_snapshot_load_file (path, diags);
      ck_assert_ptr_nonnull (machine);
      g_ptr_array_add (machines, machine);
    }
  g_ptr_array_add (machines, wsi_machine_new (WSI_MACHINE_CE));
  ck_assert_ptr_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
      g_autoptr(WsiManifest) m = NULL;

      if (!g_str_has_suffix (name, ".xml"))
        continue;
      m = wsi_manifest_load_file (path, diags);
      ck_assert_ptr_nonnull (m);
      for (guint k = 0; k < machines->len; k++)
        {
          g_autoptr(WsiDiagList) plan_diags = wsi_diag_list_new ();
          g_autoptr(WsiPlan) install = wsi_plan_build (g_ptr_array_index (machines, k), &m, 1, WSI_PLAN_FLAG_NONE,
                                                       plan_diags);
          g_autoptr(WsiPlan) uninstall = NULL;
          guint before = checked;

          if (install == NULL)
            continue;   /* a manifest for another kind of machine */
          checked += check_plan_steps (m, install);
          uninstall = wsi_plan_build (install->after, &m, 1, WSI_PLAN_FLAG_UNINSTALL, plan_diags);
          ck_assert_ptr_nonnull (uninstall);
          checked += check_plan_steps (m, uninstall);
          for (guint i = 0; i < install->steps->len; i++)
            if (((WsiPlanStep *) g_ptr_array_index (install->steps, i))->op == WSI_STEP_SET_REGISTRY_VALUE)
              {
                registry_plans++;
                break;
              }
          ck_assert_uint_gt (checked, before);
        }
    }
  /* The SAN provider and the WSH helper examples write the registry. */
  ck_assert_uint_ge (registry_plans, 2);
}
END_TEST

static Suite *
policy_suite (void)
{
  Suite *s = suite_create ("policy");
  TCase *reg = tcase_create ("registry");
  TCase *paths = tcase_create ("paths");
  TCase *validate = tcase_create ("validate");

  tcase_add_test (reg, san_registration_value_allowed);
  tcase_add_test (reg, san_registration_matches_without_case);
  tcase_add_test (reg, san_key_absolute_form_is_the_same_key);
  tcase_add_test (reg, san_other_registration_denied);
  tcase_add_test (reg, unicode_case_folding_does_not_widen_a_match);
  tcase_add_test (reg, transports_allowed_with_a_wsh_helper);
  tcase_add_test (reg, transports_denied_without_a_wsh_helper);
  tcase_add_test (reg, other_winsock_parameters_values_denied);
  tcase_add_test (reg, wsh_helper_values_allowed);
  tcase_add_test (reg, wsh_helper_other_values_denied);
  tcase_add_test (reg, other_transport_denied);
  tcase_add_test (reg, windows_transport_values_denied_whatever_the_manifest_declares);
  tcase_add_test (reg, vendor_transport_named_like_windows_allowed);
  tcase_add_test (reg, windows_transport_refused_by_validate_with_its_own_hint);
  tcase_add_test (reg, product_record_allowed);
  tcase_add_test (reg, other_product_record_denied);
  tcase_add_test (reg, other_control_set_denied);
  tcase_add_test (reg, dot_dot_segments_denied);
  tcase_add_test (reg, malformed_key_forms_denied);
  tcase_add_test (reg, control_characters_denied);
  tcase_add_test (reg, embedded_nul_ends_the_key);
  tcase_add_test (reg, no_manifest_writes_nothing);
  tcase_add_test (reg, san_unregister_allowed_for_the_guid_it_holds);
  tcase_add_test (reg, san_unregister_denied_for_other_values);
  tcase_add_test (reg, transport_that_is_not_a_service_name_refused_by_validate);
  tcase_add_test (reg, san_registration_with_control_characters_refused_by_validate);
  suite_add_tcase (s, reg);

  tcase_add_test (paths, desktop_admin_locations_allowed);
  tcase_add_test (paths, forward_slashes_count_as_backslashes);
  tcase_add_test (paths, relative_paths_not_absolute);
  tcase_add_test (paths, network_and_device_paths_not_allowed);
  tcase_add_test (paths, user_writable_directories_not_allowed);
  tcase_add_test (paths, environment_variable_tricks_not_allowed);
  tcase_add_test (paths, non_canonical_paths_refused);
  tcase_add_test (paths, ce_system_folders_allowed);
  tcase_add_test (paths, ce_other_places_refused);
  suite_add_tcase (s, paths);

  tcase_add_test (validate, validate_reports_path_not_allowed_with_its_line);
  tcase_add_test (validate, validate_reports_path_not_canonical_with_its_line);
  tcase_add_test (validate, validate_reports_unc_path_once);
  tcase_add_test (validate, validate_reports_ce_path_outside_system_folders);
  tcase_add_test (validate, validate_accepts_allowed_path);
  tcase_add_test (validate, validate_checks_wsh_helper_dll);
  tcase_add_test (validate, shipped_manifests_pass_the_policy);
  tcase_add_test (validate, shipped_plans_pass_the_policy);
  suite_add_tcase (s, validate);
  return s;
}

int
main (void)
{
  return wsi_test_run_suite (policy_suite ());
}
