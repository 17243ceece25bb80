/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-win32-registry.c: the Winsock registry values of the live machine.
 * Always the 64-bit view (KEY_WOW64_64KEY): a 32-bit wsinstall on 64-bit
 * Windows would otherwise read and write HKLM\SOFTWARE\WOW6432Node. */
#include "wsi-win32-private.h"

#include <windows.h>
#include <string.h>

#include "wsi-error.h"
#include "wsi-registry.h"

#define WSI_SERVICES_KEY      "SYSTEM\\CurrentControlSet\\Services\\"
#define WSI_OWN_ABSOLUTE_KEY  "HKLM\\SOFTWARE\\wsinstall\\"
#define WSI_PROTOCOL_CATALOG  WSI_SERVICES_KEY "WinSock2\\Parameters\\Protocol_Catalog9"
#define WSI_MAX_VALUE_BYTES   (1024 * 1024)
#define WSI_MAX_TRANSPORTS    256
#define WSI_MAX_PRODUCTS      1024

static const char *const wsi_wsh_values[] = { "Mapping", "HelperDllName", "MinSockaddrLength", "MaxSockaddrLength" };

/* The path below HKLM for a model key, or NULL when the backend may not
 * touch it. */
static char *
wsi_reg_subkey (const char *key)
{
  if (key == NULL || *key == '\0' || key[strlen (key) - 1] == '\\' || strstr (key, "\\\\") != NULL)
    return NULL;
  if (g_ascii_strncasecmp (key, "HKLM\\", 5) == 0)
    return g_ascii_strncasecmp (key, WSI_OWN_ABSOLUTE_KEY, strlen (WSI_OWN_ABSOLUTE_KEY)) == 0
             ? g_strdup (key + 5) : NULL;
  if (key[0] == '\\')
    return NULL;
  return g_strconcat (WSI_SERVICES_KEY, key, NULL);
}

static HKEY
wsi_reg_open (const char *subkey, REGSAM access)
{
  g_autofree gunichar2 *w = g_utf8_to_utf16 (subkey, -1, NULL, NULL, NULL);
  HKEY hk = NULL;

  if (w == NULL || RegOpenKeyExW (HKEY_LOCAL_MACHINE, (LPCWSTR) w, 0, access | KEY_WOW64_64KEY, &hk) != ERROR_SUCCESS)
    return NULL;
  return hk;
}

static gboolean
wsi_reg_type_known (DWORD type)
{
  return type == REG_SZ || type == REG_EXPAND_SZ || type == REG_BINARY || type == REG_DWORD || type == REG_MULTI_SZ;
}

/* One value into @reg (under @model_key) when it exists, has a type the
 * model knows and a bounded size. */
static void
wsi_reg_read_value (HKEY hk, const char *model_key, const char *name, WsiRegistry *reg)
{
  g_autofree gunichar2 *wname = g_utf8_to_utf16 (name, -1, NULL, NULL, NULL);
  g_autofree BYTE *buf = NULL;
  DWORD type = 0, size = 0;
  LONG rc;

  if (wname == NULL)
    return;
  rc = RegQueryValueExW (hk, (LPCWSTR) wname, NULL, &type, NULL, &size);
  if (rc != ERROR_SUCCESS || !wsi_reg_type_known (type) || size > WSI_MAX_VALUE_BYTES)
    return;
  buf = g_malloc (size + 1);
  rc = RegQueryValueExW (hk, (LPCWSTR) wname, NULL, &type, buf, &size);
  if (rc != ERROR_SUCCESS || !wsi_reg_type_known (type))
    return;
  {
    g_autoptr(GBytes) data = g_bytes_new (buf, size);
    wsi_registry_set (reg, model_key, name, (WsiRegType) type, data);
  }
}

static void
wsi_reg_read_named (const char *model_key, const char *const *names, guint n, WsiRegistry *reg)
{
  g_autofree char *subkey = wsi_reg_subkey (model_key);
  HKEY hk = subkey != NULL ? wsi_reg_open (subkey, KEY_QUERY_VALUE) : NULL;

  if (hk == NULL)
    return;
  for (guint i = 0; i < n; i++)
    wsi_reg_read_value (hk, model_key, names[i], reg);
  RegCloseKey (hk);
}

/* Every value of a key (TCP on SAN, a product record). */
static void
wsi_reg_read_all (const char *model_key, WsiRegistry *reg)
{
  g_autofree char *subkey = wsi_reg_subkey (model_key);
  HKEY hk = subkey != NULL ? wsi_reg_open (subkey, KEY_QUERY_VALUE) : NULL;
  WCHAR name[16384];

  if (hk == NULL)
    return;
  for (DWORD i = 0; i < 4096; i++)
    {
      DWORD len = G_N_ELEMENTS (name);
      g_autofree char *utf8 = NULL;
      if (RegEnumValueW (hk, i, name, &len, NULL, NULL, NULL, NULL) != ERROR_SUCCESS)
        break;
      utf8 = g_utf16_to_utf8 ((const gunichar2 *) name, (glong) len, NULL, NULL, NULL);
      if (utf8 != NULL)
        wsi_reg_read_value (hk, model_key, utf8, reg);
    }
  RegCloseKey (hk);
}

static void
wsi_reg_read_products (WsiRegistry *reg)
{
  HKEY hk = wsi_reg_open (WSI_REG_KEY_PRODUCTS + strlen ("HKLM\\"), KEY_ENUMERATE_SUB_KEYS);
  WCHAR name[256];

  if (hk == NULL)
    return;
  for (DWORD i = 0; i < WSI_MAX_PRODUCTS; i++)
    {
      DWORD len = G_N_ELEMENTS (name);
      g_autofree char *utf8 = NULL;
      g_autofree char *model_key = NULL;
      if (RegEnumKeyExW (hk, i, name, &len, NULL, NULL, NULL, NULL) != ERROR_SUCCESS)
        break;
      utf8 = g_utf16_to_utf8 ((const gunichar2 *) name, (glong) len, NULL, NULL, NULL);
      if (utf8 == NULL)
        continue;
      model_key = g_strdup_printf ("%s\\%s", WSI_REG_KEY_PRODUCTS, utf8);
      wsi_reg_read_all (model_key, reg);
    }
  RegCloseKey (hk);
}

void
wsi_win32_registry_read (WsiRegistry *reg, GHashTable *written)
{
  static const char *const transports_name[] = { "Transports" };
  g_auto(GStrv) transports = NULL;
  GHashTableIter it;
  gpointer key, names;

  wsi_reg_read_named (WSI_REG_KEY_WINSOCK_PARAMETERS, transports_name, 1, reg);
  wsi_reg_read_all (WSI_REG_KEY_TCP_ON_SAN, reg);
  transports = wsi_registry_get_multi_sz (reg, WSI_REG_KEY_WINSOCK_PARAMETERS, "Transports");
  for (guint i = 0; transports != NULL && transports[i] != NULL && i < WSI_MAX_TRANSPORTS; i++)
    {
      g_autofree char *k = NULL;
      if (*transports[i] == '\0' || strchr (transports[i], '\\') != NULL)
        continue;
      k = g_strdup_printf ("%s\\Parameters\\Winsock", transports[i]);
      wsi_reg_read_named (k, wsi_wsh_values, G_N_ELEMENTS (wsi_wsh_values), reg);
    }
  wsi_reg_read_products (reg);

  /* What this process wrote elsewhere, so a step's effect is seen. */
  if (written == NULL)
    return;
  g_hash_table_iter_init (&it, written);
  while (g_hash_table_iter_next (&it, &key, &names))
    {
      g_autofree gpointer *list = g_hash_table_get_keys_as_array (names, NULL);
      for (guint i = 0; list[i] != NULL; i++)
        {
          WsiRegType type;
          if (!wsi_registry_get (reg, key, list[i], &type, NULL))
            wsi_reg_read_named (key, (const char *const *) &list[i], 1, reg);
        }
    }
}

static gboolean
wsi_reg_fail (GError **error, LONG rc, const char *what, const char *key, const char *name)
{
  g_set_error (error, WSI_ERROR, WSI_ERROR_IO, "cannot %s %s\\%s (Windows error %ld)", what, key, name, (long) rc);
  return FALSE;
}

/* Windows keeps empty keys; a product record whose last value went is
 * removed with its key, so an uninstall leaves no trace. */
static void
wsi_reg_remove_if_empty (const char *subkey)
{
  g_autofree gunichar2 *w = g_utf8_to_utf16 (subkey, -1, NULL, NULL, NULL);
  HKEY hk = wsi_reg_open (subkey, KEY_QUERY_VALUE);
  DWORD n_keys = 1, n_values = 1;

  if (hk == NULL)
    return;
  RegQueryInfoKeyW (hk, NULL, NULL, NULL, &n_keys, NULL, NULL, &n_values, NULL, NULL, NULL, NULL);
  RegCloseKey (hk);
  if (n_keys == 0 && n_values == 0 && w != NULL)
    RegDeleteKeyExW (HKEY_LOCAL_MACHINE, (LPCWSTR) w, KEY_WOW64_64KEY, 0);
}

gboolean
wsi_win32_registry_write (const char *key, const char *name, WsiRegType type, GBytes *data, GError **error)
{
  g_autofree char *subkey = wsi_reg_subkey (key);
  g_autofree gunichar2 *wkey = NULL;
  g_autofree gunichar2 *wname = NULL;
  HKEY hk = NULL;
  LONG rc;

  if (subkey == NULL)
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_POLICY,
                   "the live backend writes below HKLM\\SYSTEM\\CurrentControlSet\\Services and %s only, not '%s'",
                   WSI_OWN_ABSOLUTE_KEY, key != NULL ? key : "");
      return FALSE;
    }
  wkey = g_utf8_to_utf16 (subkey, -1, NULL, NULL, NULL);
  wname = g_utf8_to_utf16 (name, -1, NULL, NULL, NULL);
  if (wkey == NULL || wname == NULL)
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_INVALID_ARGUMENT, "the key or value name is not valid UTF-8");
      return FALSE;
    }
  if (data == NULL)
    {
      rc = RegOpenKeyExW (HKEY_LOCAL_MACHINE, (LPCWSTR) wkey, 0, KEY_SET_VALUE | KEY_WOW64_64KEY, &hk);
      if (rc == ERROR_FILE_NOT_FOUND)
        return TRUE;
      if (rc != ERROR_SUCCESS)
        return wsi_reg_fail (error, rc, "open", key, name);
      rc = RegDeleteValueW (hk, (LPCWSTR) wname);
      RegCloseKey (hk);
      if (rc != ERROR_SUCCESS && rc != ERROR_FILE_NOT_FOUND)
        return wsi_reg_fail (error, rc, "delete", key, name);
      if (g_ascii_strncasecmp (key, WSI_REG_KEY_PRODUCTS "\\", strlen (WSI_REG_KEY_PRODUCTS) + 1) == 0)
        wsi_reg_remove_if_empty (subkey);
      return TRUE;
    }
  {
    gsize len = 0;
    const guint8 *bytes = g_bytes_get_data (data, &len);
    if (len > WSI_MAX_VALUE_BYTES)
      {
        g_set_error (error, WSI_ERROR, WSI_ERROR_INVALID_ARGUMENT, "a registry value of %" G_GSIZE_FORMAT " bytes", len);
        return FALSE;
      }
    rc = RegCreateKeyExW (HKEY_LOCAL_MACHINE, (LPCWSTR) wkey, 0, NULL, 0, KEY_SET_VALUE | KEY_WOW64_64KEY, NULL, &hk,
                          NULL);
    if (rc != ERROR_SUCCESS)
      return wsi_reg_fail (error, rc, "create", key, name);
    rc = RegSetValueExW (hk, (LPCWSTR) wname, 0, (DWORD) type, bytes, (DWORD) len);
    RegCloseKey (hk);
    if (rc != ERROR_SUCCESS)
      return wsi_reg_fail (error, rc, "write", key, name);
  }
  return TRUE;
}

static gboolean
wsi_reg_read_dword (HKEY hk, const wchar_t *name, guint32 *out)
{
  DWORD type = 0, value = 0, size = sizeof value;

  if (RegQueryValueExW (hk, name, NULL, &type, (BYTE *) &value, &size) != ERROR_SUCCESS || type != REG_DWORD ||
      size != sizeof value)
    return FALSE;
  *out = value;
  return TRUE;
}

gboolean
wsi_win32_catalog_counters (guint32 *next_id, guint32 *serial)
{
  HKEY hk = wsi_reg_open (WSI_PROTOCOL_CATALOG, KEY_QUERY_VALUE);
  gboolean ok;

  if (hk == NULL)
    return FALSE;
  ok = wsi_reg_read_dword (hk, L"Next_Catalog_Entry_ID", next_id);
  if (!wsi_reg_read_dword (hk, L"Serial_Access_Num", serial))
    *serial = 0;
  RegCloseKey (hk);
  return ok;
}
