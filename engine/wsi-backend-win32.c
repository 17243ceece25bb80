/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-backend-win32.c: the live machine through ws2_32 (see
 * wsi-backend-win32.h).
 *
 * Every WSC* function is looked up with GetProcAddress instead of being
 * imported: an executable that imports a function its ws2_32 lacks does
 * not start at all, and Wine 8 lacks WSCInstallProviderAndChains*,
 * WSCDeinstallProvider32, WSCWriteProviderOrder32, WSCEnumProtocols32 and
 * WSCSetProviderInfo; old Windows lacks the *32 and ProviderInfo calls. A
 * missing call is an error when it is needed (WSI_ERROR_NOT_SUPPORTED), or
 * routed to the x86 helper when it is a 32-bit-catalog call. */
#include "wsi-config.h"
#include "wsi-backend-win32.h"
#include "wsi-win32-private.h"
#include "wsi-win32-helper.h"

#include <winsock2.h>
#include <windows.h>
#include <string.h>

#include "wsi-error.h"
#include "wsi-snapshot.h"

G_STATIC_ASSERT (sizeof (WSAPROTOCOL_INFOW) == WSI_PROTOCOL_INFO_SIZE);
G_STATIC_ASSERT (sizeof (GUID) == 16);

/* ProviderInfoLspCategories in WSC_PROVIDER_INFO_TYPE. */
#define WSI_PROVIDER_INFO_LSP_CATEGORIES 0
/* More than any real catalog holds (a few dozen entries). */
#define WSI_MAX_ENUM_BYTES (WSI_PROTOCOL_INFO_SIZE * 65536u)
#define WSI_PATH_CHARS 1024

typedef int (WSAAPI *WsiFnEnum) (LPINT, LPWSAPROTOCOL_INFOW, LPDWORD, LPINT);
typedef int (WSAAPI *WsiFnInstall) (LPGUID, const WCHAR *, LPWSAPROTOCOL_INFOW, DWORD, LPINT);
typedef int (WSAAPI *WsiFnDeinstall) (LPGUID, LPINT);
typedef int (WSAAPI *WsiFnUpdate) (LPGUID, const WCHAR *, const WSAPROTOCOL_INFOW *, DWORD, LPINT);
typedef int (WSAAPI *WsiFnOrder) (LPDWORD, DWORD);
typedef int (WSAAPI *WsiFnGetPath) (LPGUID, WCHAR *, LPINT, LPINT);
typedef int (WSAAPI *WsiFnSetInfo) (LPGUID, int, PBYTE, size_t, DWORD, LPINT);
typedef int (WSAAPI *WsiFnGetInfo) (LPGUID, int, PBYTE, size_t *, DWORD, LPINT);

/* One catalog's calls. */
typedef struct {
  const char     *suffix;         /* "" or "32", for messages */
  WsiFnEnum       enum_protocols;
  WsiFnInstall    install;        /* never for the 32-bit catalog of a 64-bit process */
  WsiFnDeinstall  deinstall;
  WsiFnUpdate     update;
  WsiFnOrder      write_order;
  WsiFnGetPath    get_path;
  WsiFnSetInfo    set_info;
  WsiFnGetInfo    get_info;
} WsiWscCalls;

typedef struct {
  WsiBackend      parent;
  WsiMachineKind  kind;
  WsiBitness      native;
  gboolean        wow64;
  WsiWscCalls     own;            /* the native catalog */
  WsiWscCalls     other;          /* the 32-bit catalog from a 64-bit process */
  WsiFnInstall    install_64_32;
  char           *helper32;
  WsiMachine     *machine;        /* the current view, NULL after a change */
  WsiMachine     *last;           /* the previous view (for the 32-bit catalog cache) */
  gboolean        dirty32;        /* the 32-bit catalog may have changed since @last */
  const char     *last_via32;     /* how @last's 32-bit catalog was read */
  GPtrArray      *retired;        /* views handed out before: valid until free */
  GHashTable     *written;        /* model key -> set of value names written */
  char           *wsc_dll;        /* the WSC test double in use (test builds), or NULL */
} WsiWin32Backend;

static gpointer
wsi_proc (HMODULE module, const char *name)
{
  /* GetProcAddress returns FARPROC; the casts go through void *. */
  return (gpointer) GetProcAddress (module, name);
}

static void
wsi_load_calls (HMODULE ws2, gboolean thirty_two, WsiWscCalls *c)
{
  const char *s = thirty_two ? "32" : "";
  g_autofree char *n_enum = g_strconcat ("WSCEnumProtocols", s, NULL);
  g_autofree char *n_deinstall = g_strconcat ("WSCDeinstallProvider", s, NULL);
  g_autofree char *n_update = g_strconcat ("WSCUpdateProvider", s, NULL);
  g_autofree char *n_order = g_strconcat ("WSCWriteProviderOrder", s, NULL);
  g_autofree char *n_path = g_strconcat ("WSCGetProviderPath", s, NULL);
  g_autofree char *n_set = g_strconcat ("WSCSetProviderInfo", s, NULL);
  g_autofree char *n_get = g_strconcat ("WSCGetProviderInfo", s, NULL);

  c->suffix = s;
  c->enum_protocols = (WsiFnEnum) wsi_proc (ws2, n_enum);
  /* There is no WSCInstallProvider32. */
  c->install = thirty_two ? NULL : (WsiFnInstall) wsi_proc (ws2, "WSCInstallProvider");
  c->deinstall = (WsiFnDeinstall) wsi_proc (ws2, n_deinstall);
  c->update = (WsiFnUpdate) wsi_proc (ws2, n_update);
  c->write_order = (WsiFnOrder) wsi_proc (ws2, n_order);
  c->get_path = (WsiFnGetPath) wsi_proc (ws2, n_path);
  c->set_info = (WsiFnSetInfo) wsi_proc (ws2, n_set);
  c->get_info = (WsiFnGetInfo) wsi_proc (ws2, n_get);
}

static void
wsi_guid_to_win (const WsiGuid *guid, GUID *out)
{
  guint8 bytes[16];
  wsi_guid_to_bytes (guid, bytes);
  memcpy (out, bytes, sizeof bytes);
}

static gboolean
wsi_not_exported (GError **error, const char *call, const char *suffix)
{
  g_set_error (error, WSI_ERROR, WSI_ERROR_NOT_SUPPORTED, "this ws2_32.dll does not export %s%s", call, suffix);
  return FALSE;
}

/* ---- reading ---- */

static char *
wsi_read_path (const WsiWscCalls *c, const WsiGuid *guid)
{
  WCHAR path[WSI_PATH_CHARS + 1] = { 0 };
  INT len = WSI_PATH_CHARS, err = 0;
  GUID g;

  if (c->get_path == NULL)
    return NULL;
  wsi_guid_to_win (guid, &g);
  if (c->get_path (&g, path, &len, &err) != 0 || path[0] == 0)
    return NULL;
  path[WSI_PATH_CHARS] = 0;
  return g_utf16_to_utf8 ((const gunichar2 *) path, -1, NULL, NULL, NULL);
}

static guint32
wsi_read_categories (const WsiWscCalls *c, const WsiGuid *guid)
{
  DWORD categories = 0;
  size_t size = sizeof categories;
  INT err = 0;
  GUID g;

  if (c->get_info == NULL)
    return 0;
  wsi_guid_to_win (guid, &g);
  if (c->get_info (&g, WSI_PROVIDER_INFO_LSP_CATEGORIES, (PBYTE) &categories, &size, 0, &err) != 0 ||
      size != sizeof categories)
    return 0;
  return categories;
}

/* WSCEnumProtocols(32) into @catalog, with each provider's path and
 * categories (asked once per GUID: they are per provider). */
static gboolean
wsi_enum_catalog (const WsiWscCalls *c, WsiCatalog *catalog, GError **error)
{
  g_autofree guint8 *buf = NULL;
  g_autoptr(GHashTable) paths = g_hash_table_new_full ((GHashFunc) wsi_guid_hash, (GEqualFunc) wsi_guid_equal,
                                                       g_free, g_free);
  g_autoptr(GHashTable) categories = g_hash_table_new_full ((GHashFunc) wsi_guid_hash,
                                                            (GEqualFunc) wsi_guid_equal, g_free, NULL);
  DWORD len = 0;
  INT err = 0;
  int n = SOCKET_ERROR;

  if (c->enum_protocols == NULL)
    return wsi_not_exported (error, "WSCEnumProtocols", c->suffix);
  /* The catalog may grow between asking for the size and reading. */
  for (int attempt = 0; attempt < 5; attempt++)
    {
      n = c->enum_protocols (NULL, (LPWSAPROTOCOL_INFOW) buf, &len, &err);
      if (n != SOCKET_ERROR)
        break;
      if (err != WSAENOBUFS || len == 0 || len > WSI_MAX_ENUM_BYTES)
        return wsi_set_wsa_error (error, err, "WSCEnumProtocols%s failed", c->suffix);
      g_free (buf);
      buf = g_malloc0 (len);
    }
  if (n == SOCKET_ERROR || n < 0 || (gsize) n * WSI_PROTOCOL_INFO_SIZE > len)
    return wsi_set_wsa_error (error, err, "WSCEnumProtocols%s did not settle", c->suffix);
  for (int i = 0; i < n; i++)
    {
      WsiEntry *e = wsi_entry_unpack_protocol_info (buf + (gsize) i * WSI_PROTOCOL_INFO_SIZE,
                                                    WSI_PROTOCOL_INFO_SIZE, error);
      gpointer cached;

      if (e == NULL)
        return FALSE;
      if (!g_hash_table_lookup_extended (paths, &e->provider_id, NULL, &cached))
        {
          cached = wsi_read_path (c, &e->provider_id);
          g_hash_table_insert (paths, g_memdup2 (&e->provider_id, sizeof (WsiGuid)), cached);
          g_hash_table_insert (categories, g_memdup2 (&e->provider_id, sizeof (WsiGuid)),
                               GUINT_TO_POINTER (wsi_read_categories (c, &e->provider_id)));
        }
      wsi_entry_set_path (e, cached);
      e->lsp_categories = GPOINTER_TO_UINT (g_hash_table_lookup (categories, &e->provider_id));
      wsi_catalog_append_loaded (catalog, e);
    }
  return TRUE;
}

/* The 32-bit catalog as the x86 helper enumerates it. */
static gboolean
wsi_enum_via_helper (WsiWin32Backend *self, WsiCatalog *catalog, GError **error)
{
  static const char *const args[] = { "wsc32", "enum", NULL };
  g_autoptr(GByteArray) out = NULL;
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) view = NULL;
  const WsiCatalog *theirs;
  int status = 0;

  if (self->helper32 == NULL)
    {
      g_set_error_literal (error, WSI_ERROR, WSI_ERROR_HELPER_FAILED, "no x86 helper is known (set WSINSTALL_HELPER32)");
      return FALSE;
    }
  if (!wsi_win32_spawn (self->helper32, args, "", 0, WSI_HELPER32_MAX_ANSWER, &out, &status, error))
    return FALSE;
  if (status != 0)
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_HELPER_FAILED, "%s wsc32 enum failed (exit status %d)",
                   self->helper32, status);
      return FALSE;
    }
  view = wsi_snapshot_load_memory ((const char *) out->data, out->len, "x86 helper", diags);
  theirs = view != NULL ? wsi_machine_peek_catalog (view, WSI_CATALOG_32) : NULL;
  if (theirs == NULL)
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_HELPER_FAILED, "%s wsc32 enum answered no readable catalog",
                   self->helper32);
      return FALSE;
    }
  for (guint i = 0; i < wsi_catalog_get_size (theirs); i++)
    wsi_catalog_append_loaded (catalog, wsi_entry_copy (wsi_catalog_get_entry (theirs, i)));
  return TRUE;
}

static gboolean
wsi_running_on_wine (void)
{
  HMODULE ntdll = GetModuleHandleW (L"ntdll.dll");
  return ntdll != NULL && wsi_proc (ntdll, "wine_get_version") != NULL;
}

static guint32
wsi_max_id (const WsiMachine *m)
{
  guint32 max = 0;

  for (int b = 0; b < 2; b++)
    {
      const WsiCatalog *c = wsi_machine_peek_catalog (m, b == 0 ? WSI_CATALOG_32 : WSI_CATALOG_64);
      for (guint i = 0; c != NULL && i < wsi_catalog_get_size (c); i++)
        max = MAX (max, wsi_catalog_get_entry (c, i)->catalog_id);
    }
  return max;
}

static WsiMachine *
wsi_win32_read (WsiWin32Backend *self, GError **error)
{
  g_autoptr(WsiMachine) m = wsi_machine_new (self->kind);
  g_autoptr(GString) desc = g_string_new ("live: ");
  guint32 next_id = 0, serial = 0, max_id;
  gboolean counted;
  const char *via32 = NULL;

  if (self->kind == WSI_MACHINE_X64)
    {
      WsiCatalog *c32 = wsi_machine_get_catalog (m, WSI_CATALOG_32);
      const WsiCatalog *before = self->last != NULL ? wsi_machine_peek_catalog (self->last, WSI_CATALOG_32) : NULL;

      g_string_append (desc, "x64 Windows, 64-bit wsinstall");
      if (!wsi_enum_catalog (&self->own, wsi_machine_get_catalog (m, WSI_CATALOG_64), error))
        return NULL;
      if (self->other.enum_protocols != NULL)
        {
          via32 = "WSCEnumProtocols32";
          if (!wsi_enum_catalog (&self->other, c32, error))
            return NULL;
        }
      else if (before != NULL && !self->dirty32)
        {
          /* Nothing touched the 32-bit catalog since the helper read it. */
          via32 = self->last_via32;
          for (guint i = 0; i < wsi_catalog_get_size (before); i++)
            wsi_catalog_append_loaded (c32, wsi_entry_copy (wsi_catalog_get_entry (before, i)));
        }
      else
        {
          g_autoptr(GError) helper_error = NULL;
          via32 = "the x86 helper";
          if (!wsi_enum_via_helper (self, c32, &helper_error))
            {
              /* Wine keeps one catalog for both bitnesses (its 32-bit and
               * 64-bit ws2_32 report the same fixed list) and has no
               * WSCEnumProtocols32: without a runnable x86 helper (no
               * wine32), its one catalog is the 32-bit one too. Real
               * Windows always has WSCEnumProtocols32 on x64. */
              if (!wsi_running_on_wine ())
                {
                  g_propagate_error (error, g_steal_pointer (&helper_error));
                  return NULL;
                }
              via32 = "Wine's single catalog (no WSCEnumProtocols32, and the x86 helper did not run)";
              if (!wsi_enum_catalog (&self->own, c32, error))
                return NULL;
            }
        }
    }
  else
    {
      g_string_append (desc, self->wow64 ? "the 32-bit catalog of x64 Windows as a 32-bit (WOW64) process sees it"
                                         : "x86 Windows");
      if (!wsi_enum_catalog (&self->own, wsi_machine_get_catalog (m, WSI_CATALOG_32), error))
        return NULL;
    }
  if (via32 != NULL)
    g_string_append_printf (desc, "; 32-bit catalog through %s", via32);
#if WSI_TEST_HOOKS
  if (self->wsc_dll != NULL)
    g_string_append_printf (desc, "; WSC calls from the test double %s (WSINSTALL_WSC_DLL)", self->wsc_dll);
#endif
  self->last_via32 = via32;

  /* Next_Catalog_Entry_ID is not part of the API. The registry has it (one
   * counter for both catalogs); without it, the next ID is at least the
   * highest in use + 1, which is what the planner's prediction needs
   * (the executor never depends on predicted IDs). */
  max_id = wsi_max_id (m);
  counted = wsi_win32_catalog_counters (&next_id, &serial) && next_id > max_id;
  if (!counted)
    next_id = MAX (max_id + 1, (guint32) WSI_FIRST_CATALOG_ID);
  g_string_append_printf (desc, "; Next_Catalog_Entry_ID %u %s", next_id,
                          counted ? "from the registry" : "assumed (highest ID + 1: not readable from the registry)");
  for (int b = 0; b < 2; b++)
    {
      WsiCatalog *c = wsi_machine_get_catalog (m, b == 0 ? WSI_CATALOG_32 : WSI_CATALOG_64);
      if (c == NULL)
        continue;
      wsi_catalog_set_next_id (c, next_id);
      wsi_catalog_set_serial (c, serial);
    }
  wsi_win32_registry_read (wsi_machine_get_registry (m), self->written);
  wsi_machine_set_description (m, desc->str);
  return g_steal_pointer (&m);
}

static const WsiMachine *
wsi_win32_peek (WsiBackend *backend, GError **error)
{
  WsiWin32Backend *self = (WsiWin32Backend *) backend;
  WsiMachine *m;

  if (self->machine != NULL)
    return self->machine;
  m = wsi_win32_read (self, error);
  if (m == NULL)
    return NULL;
  self->machine = m;
  self->last = m;
  self->dirty32 = FALSE;
  return m;
}

/* After any call that may have changed the machine, successful or not: the
 * next peek reads it again. The old view stays valid for callers holding
 * it. */
static void
wsi_win32_changed (WsiWin32Backend *self, gboolean catalog32)
{
  if (self->machine != NULL)
    g_ptr_array_add (self->retired, self->machine);
  self->machine = NULL;
  if (catalog32)
    self->dirty32 = TRUE;
}

/* ---- the x86 helper ---- */

/* The x86 helper as a remote backend: @call (taken) is made there, on the
 * 32-bit catalog, and its answer is this call's result. */
static gboolean
wsi_win32_run_helper (WsiWin32Backend *self, WsiWscCall *call, GError **error)
{
  static const char *const args[] = { "wsc32", "run", NULL };
  g_autoptr(WsiWscCall) owned = call;
  g_autofree char *request = wsi_wsc_call_to_json (owned);
  g_autoptr(GByteArray) out = NULL;
  int status = 0;

  wsi_win32_changed (self, TRUE);
  if (self->helper32 == NULL)
    {
      g_set_error_literal (error, WSI_ERROR, WSI_ERROR_HELPER_FAILED, "no x86 helper is known (set WSINSTALL_HELPER32)");
      return FALSE;
    }
  if (!wsi_win32_spawn (self->helper32, args, request, strlen (request), 64 * 1024, &out, &status, error))
    return FALSE;
  return wsi_helper32_result_parse ((const char *) out->data, out->len, status, error);
}

/* ---- changing ---- */

/* The WSC calls for @bitness, or NULL with an error when this process has
 * no such catalog. *@helper is TRUE when they must go through the helper
 * (the 32-bit catalog of a 64-bit process). */
static const WsiWscCalls *
wsi_win32_calls (WsiWin32Backend *self, WsiBitness bitness, GError **error)
{
  if (bitness == self->native)
    return &self->own;
  if (self->kind == WSI_MACHINE_X64 && bitness == WSI_CATALOG_32)
    return &self->other;
  wsi_set_wsa_error (error, WSI_WSAEINVAL, "this %s machine has no %d-bit catalog",
                     wsi_machine_kind_to_string (self->kind), (int) bitness);
  return NULL;
}

static guint8 *
wsi_pack_infos (const WsiEntry *const *infos, guint n)
{
  guint8 *buf = g_malloc0 ((gsize) MAX (n, 1u) * WSI_PROTOCOL_INFO_SIZE);

  for (guint i = 0; i < n; i++)
    wsi_entry_pack_protocol_info (infos[i], buf + (gsize) i * WSI_PROTOCOL_INFO_SIZE);
  return buf;
}

static gunichar2 *
wsi_path_utf16 (const char *path, GError **error)
{
  gunichar2 *w = g_utf8_to_utf16 (path != NULL ? path : "", -1, NULL, NULL, NULL);
  if (w == NULL)
    wsi_set_wsa_error (error, WSI_WSAEINVAL, "the provider path is not valid UTF-8");
  return w;
}

static gboolean
wsi_win32_install_provider (WsiBackend *backend, WsiBitness bitness, const WsiGuid *guid, const char *path,
                            const WsiEntry *const *infos, guint n, GError **error)
{
  WsiWin32Backend *self = (WsiWin32Backend *) backend;
  const WsiWscCalls *c = wsi_win32_calls (self, bitness, error);
  g_autofree guint8 *buf = NULL;
  g_autofree gunichar2 *wpath = NULL;
  INT err = 0;
  GUID g;

  if (c == NULL)
    return FALSE;
  if (c == &self->other)
    return wsi_win32_run_helper (self, wsi_wsc_call_new_install (WSI_CATALOG_32, guid, path, infos, n), error);
  if (c->install == NULL)
    return wsi_not_exported (error, "WSCInstallProvider", "");
  if ((wpath = wsi_path_utf16 (path, error)) == NULL)
    return FALSE;
  buf = wsi_pack_infos (infos, n);
  wsi_guid_to_win (guid, &g);
  wsi_win32_changed (self, bitness == WSI_CATALOG_32);
  if (c->install (&g, (const WCHAR *) wpath, (LPWSAPROTOCOL_INFOW) buf, n, &err) != 0)
    return wsi_set_wsa_error (error, err, "WSCInstallProvider failed");
  return TRUE;
}

static gboolean
wsi_win32_install_provider_64_32 (WsiBackend *backend, const WsiGuid *guid, const char *path,
                                  const WsiEntry *const *infos, guint n, GError **error)
{
  WsiWin32Backend *self = (WsiWin32Backend *) backend;
  g_autofree guint8 *buf = NULL;
  g_autofree gunichar2 *wpath = NULL;
  INT err = 0;
  GUID g;

  if (self->kind != WSI_MACHINE_X64)
    return wsi_set_wsa_error (error, WSI_WSAEINVAL, "WSCInstallProvider64_32 needs a 64-bit process on x64 Windows");
  if (self->install_64_32 == NULL)
    return wsi_not_exported (error, "WSCInstallProvider64_32", "");
  if ((wpath = wsi_path_utf16 (path, error)) == NULL)
    return FALSE;
  buf = wsi_pack_infos (infos, n);
  wsi_guid_to_win (guid, &g);
  wsi_win32_changed (self, TRUE);
  if (self->install_64_32 (&g, (const WCHAR *) wpath, (LPWSAPROTOCOL_INFOW) buf, n, &err) != 0)
    return wsi_set_wsa_error (error, err, "WSCInstallProvider64_32 failed");
  return TRUE;
}

static gboolean
wsi_win32_deinstall_provider (WsiBackend *backend, WsiBitness bitness, const WsiGuid *guid, GError **error)
{
  WsiWin32Backend *self = (WsiWin32Backend *) backend;
  const WsiWscCalls *c = wsi_win32_calls (self, bitness, error);
  INT err = 0;
  GUID g;

  if (c == NULL)
    return FALSE;
  if (c->deinstall == NULL)
    {
      if (c == &self->other)
        return wsi_win32_run_helper (self, wsi_wsc_call_new_deinstall (WSI_CATALOG_32, guid), error);
      return wsi_not_exported (error, "WSCDeinstallProvider", c->suffix);
    }
  wsi_guid_to_win (guid, &g);
  wsi_win32_changed (self, bitness == WSI_CATALOG_32);
  if (c->deinstall (&g, &err) != 0)
    return wsi_set_wsa_error (error, err, "WSCDeinstallProvider%s failed", c->suffix);
  return TRUE;
}

static gboolean
wsi_win32_update_provider (WsiBackend *backend, WsiBitness bitness, const WsiGuid *guid, const char *path,
                           const WsiEntry *const *infos, guint n, GError **error)
{
  WsiWin32Backend *self = (WsiWin32Backend *) backend;
  const WsiWscCalls *c = wsi_win32_calls (self, bitness, error);
  g_autofree guint8 *buf = NULL;
  g_autofree gunichar2 *wpath = NULL;
  INT err = 0;
  GUID g;

  if (c == NULL)
    return FALSE;
  if (c->update == NULL)
    {
      if (c == &self->other)
        return wsi_win32_run_helper (self, wsi_wsc_call_new_update (WSI_CATALOG_32, guid, path, infos, n), error);
      return wsi_not_exported (error, "WSCUpdateProvider", c->suffix);
    }
  if ((wpath = wsi_path_utf16 (path, error)) == NULL)
    return FALSE;
  buf = wsi_pack_infos (infos, n);
  wsi_guid_to_win (guid, &g);
  wsi_win32_changed (self, bitness == WSI_CATALOG_32);
  if (c->update (&g, (const WCHAR *) wpath, (const WSAPROTOCOL_INFOW *) buf, n, &err) != 0)
    return wsi_set_wsa_error (error, err, "WSCUpdateProvider%s failed", c->suffix);
  return TRUE;
}

static gboolean
wsi_win32_write_order (WsiBackend *backend, WsiBitness bitness, const guint32 *ids, guint n, GError **error)
{
  WsiWin32Backend *self = (WsiWin32Backend *) backend;
  const WsiWscCalls *c = wsi_win32_calls (self, bitness, error);
  g_autofree DWORD *copy = NULL;
  int rc;

  if (c == NULL)
    return FALSE;
  if (c->write_order == NULL)
    {
      if (c == &self->other)
        return wsi_win32_run_helper (self, wsi_wsc_call_new_write_order (WSI_CATALOG_32, ids, n), error);
      return wsi_not_exported (error, "WSCWriteProviderOrder", c->suffix);
    }
  copy = g_new0 (DWORD, MAX (n, 1u));
  for (guint i = 0; i < n; i++)
    copy[i] = ids[i];
  wsi_win32_changed (self, bitness == WSI_CATALOG_32);
  /* WSCWriteProviderOrder returns the error code itself. */
  rc = c->write_order (copy, n);
  if (rc != 0)
    return wsi_set_wsa_error (error, rc, "WSCWriteProviderOrder%s failed", c->suffix);
  return TRUE;
}

static gboolean
wsi_win32_set_lsp_categories (WsiBackend *backend, WsiBitness bitness, const WsiGuid *guid, guint32 categories,
                              GError **error)
{
  WsiWin32Backend *self = (WsiWin32Backend *) backend;
  const WsiWscCalls *c = wsi_win32_calls (self, bitness, error);
  DWORD value = categories;
  INT err = 0;
  GUID g;

  if (c == NULL)
    return FALSE;
  if (c->set_info == NULL)
    {
      if (c == &self->other)
        return wsi_win32_run_helper (self, wsi_wsc_call_new_set_lsp_categories (WSI_CATALOG_32, guid, categories),
                                     error);
      return wsi_not_exported (error, "WSCSetProviderInfo", c->suffix);
    }
  wsi_guid_to_win (guid, &g);
  wsi_win32_changed (self, bitness == WSI_CATALOG_32);
  if (c->set_info (&g, WSI_PROVIDER_INFO_LSP_CATEGORIES, (PBYTE) &value, sizeof value, 0, &err) != 0)
    return wsi_set_wsa_error (error, err, "WSCSetProviderInfo%s failed", c->suffix);
  return TRUE;
}

static gboolean
wsi_win32_registry_set (WsiBackend *backend, const char *key, const char *name, WsiRegType type, GBytes *data,
                        GError **error)
{
  WsiWin32Backend *self = (WsiWin32Backend *) backend;
  GHashTable *names = g_hash_table_lookup (self->written, key);

  wsi_win32_changed (self, FALSE);
  if (names == NULL)
    {
      names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (self->written, g_strdup (key), names);
    }
  g_hash_table_add (names, g_strdup (name));
  return wsi_win32_registry_write (key, name, type, data, error);
}

static void
wsi_win32_free (WsiBackend *backend)
{
  WsiWin32Backend *self = (WsiWin32Backend *) backend;

  wsi_machine_free (self->machine);
  g_ptr_array_unref (self->retired);
  g_hash_table_unref (self->written);
  g_free (self->helper32);
  g_free (self->wsc_dll);
  g_free (self);
}

static const WsiBackendClass wsi_win32_class = {
  .name = "win32",
  .peek = wsi_win32_peek,
  .install_provider = wsi_win32_install_provider,
  .install_provider_64_32 = wsi_win32_install_provider_64_32,
  .deinstall_provider = wsi_win32_deinstall_provider,
  .update_provider = wsi_win32_update_provider,
  .write_order = wsi_win32_write_order,
  .set_lsp_categories = wsi_win32_set_lsp_categories,
  .registry_set = wsi_win32_registry_set,
  .free = wsi_win32_free,
};

/* The module the WSC functions come from: ws2_32, or in a test build
 * (-Dtest_hooks=true) the DLL WSINSTALL_WSC_DLL names, the WSC test double
 * of the Wine tests (windows/wsc-double/). Every WSC call, enumeration
 * included, then comes from that one DLL. *@dll_out is its name, or NULL
 * for ws2_32. A release build has no such code: it runs as SYSTEM from an
 * MSI, and must never load a DLL the environment names. */
static HMODULE
wsi_win32_load_wsc (char **dll_out, GError **error)
{
  HMODULE module;

  *dll_out = NULL;
#if WSI_TEST_HOOKS
  {
    const char *dll = g_getenv ("WSINSTALL_WSC_DLL");

    if (dll != NULL && *dll != '\0')
      {
        g_autofree gunichar2 *wide = g_utf8_to_utf16 (dll, -1, NULL, NULL, NULL);

        /* A 32-bit process (the x86 helper, which inherits the variable)
         * asking for %windir%\system32\NAME gets SysWOW64\NAME from WOW64's
         * file system redirection: one name serves both builds of the
         * double. */
        module = wide != NULL ? LoadLibraryW ((const WCHAR *) wide) : NULL;
        if (module == NULL)
          {
            g_set_error (error, WSI_ERROR, WSI_ERROR_NOT_SUPPORTED,
                         "cannot load the WSC test double %s named by WSINSTALL_WSC_DLL (Windows error %lu)", dll,
                         (unsigned long) GetLastError ());
            return NULL;
          }
        *dll_out = g_strdup (dll);
        return module;
      }
  }
#endif
  /* ws2_32 is a KnownDLL: loading it by name cannot pick up a planted copy. */
  module = LoadLibraryW (L"ws2_32.dll");
  if (module == NULL)
    g_set_error (error, WSI_ERROR, WSI_ERROR_NOT_SUPPORTED, "cannot load ws2_32.dll (Windows error %lu)",
                 (unsigned long) GetLastError ());
  return module;
}

WsiBackend *
wsi_backend_win32_new (WsiWin32Flags flags, const char *helper32, GError **error)
{
  WsiWin32Backend *self;
  g_autofree char *wsc_dll = NULL;
  HMODULE ws2;

  if ((flags & WSI_WIN32_FOR_WRITING) != 0 && !wsi_win32_is_admin ())
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_NOT_ADMIN,
                   "changing the Winsock catalog needs administrator rights (an elevated process); "
                   "WSC calls would fail with WSANO_RECOVERY");
      return NULL;
    }
  ws2 = wsi_win32_load_wsc (&wsc_dll, error);
  if (ws2 == NULL)
    return NULL;
  self = g_new0 (WsiWin32Backend, 1);
  self->wsc_dll = g_steal_pointer (&wsc_dll);
  self->parent.klass = &wsi_win32_class;
  self->retired = g_ptr_array_new_with_free_func ((GDestroyNotify) wsi_machine_free);
  self->written = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_hash_table_unref);
  self->helper32 = helper32 != NULL ? g_strdup (helper32) : wsi_win32_default_helper32 ();
  wsi_load_calls (ws2, FALSE, &self->own);
#if GLIB_SIZEOF_VOID_P == 8
  self->kind = WSI_MACHINE_X64;
  self->native = WSI_CATALOG_64;
  wsi_load_calls (ws2, TRUE, &self->other);
  self->install_64_32 = (WsiFnInstall) wsi_proc (ws2, "WSCInstallProvider64_32");
#else
  self->kind = WSI_MACHINE_X86;
  self->native = WSI_CATALOG_32;
  self->wow64 = wsi_win32_is_wow64 ();
#endif
  return &self->parent;
}
