/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-wsc-double.c: a test double of ws2_32's WSC functions, for the Wine
 * tests ONLY.
 *
 * Wine's WSC functions report success and change nothing, so under Wine the
 * live backend (engine/wsi-backend-win32.c) could never be seen installing,
 * removing or reordering anything. This DLL stands in for ws2_32: a test
 * build of wsinstall (meson -Dtest_hooks=true, never a release build) looks
 * its WSC functions up here when WSINSTALL_WSC_DLL names it. It implements
 * them with the semantics Windows documents (winsock-catalog.md
 * §3-4: error codes, one ID counter for both catalogs, IDs never reused,
 * new entries appended, the order a permutation of all IDs) and keeps the
 * catalogs where and how Windows keeps them: Protocol_Catalog9 under
 * HKLM\SYSTEM\CurrentControlSet\Services\WinSock2\Parameters, with
 * Catalog_Entries (the 32-bit catalog) and Catalog_Entries64 (x64 only),
 * one key per position holding an 888-byte PackedCatalogItem, and the
 * counters Next_Catalog_Entry_ID, Num_Catalog_Entries(64) and
 * Serial_Access_Num. It reads and writes nothing else, so its catalog is
 * what the test seeded into Wine's registry (regedit /S of an exported
 * .reg), and a `regedit /E` of the key is what `catalog import` reads.
 *
 * That format is private to Windows' ws2_32: nothing in wsinstall writes it
 * on a real machine. This DLL must never be installed on Windows; it is
 * built only with the test hooks, and only the Wine tests load it.
 *
 * The x64 build exports the plain names (the 64-bit catalog), the *32 names
 * (the 32-bit catalog) and WSCInstallProvider64_32 (both), as the 64-bit
 * ws2_32 of x64 Windows does; the x86 build exports the plain names only,
 * on the 32-bit catalog, as a 32-bit process's ws2_32 does. So a 64-bit
 * wsinstall must still send a 32-bit-catalog install to its x86 helper
 * (there is no WSCInstallProvider32), which then loads the x86 double.
 *
 * Plain Win32 C: no GLib, no CRT beyond string functions. */
#include <winsock2.h>
#include <windows.h>
#include <string.h>

#define WSI_DOUBLE_API __declspec (dllexport) int WINAPI

/* WSAPROTOCOL_INFOW, by offset (little endian; the same layout in 32-bit
 * and 64-bit processes). */
#define INFO_SIZE        628
#define OFF_PROVIDER_ID  20
#define OFF_CATALOG_ID   36
#define OFF_CHAIN_LEN    40
#define OFF_CHAIN        44
#define OFF_PROTOCOL     96
#define OFF_MAX_OFFSET   100
#define OFF_NAME         116
#define NAME_UNITS       256
#define MAX_CHAIN        7
/* PackedCatalogItem: CHAR path[MAX_PATH] (ANSI) + WSAPROTOCOL_INFOW. */
#define PATH_BYTES       260
#define ITEM_SIZE        (PATH_BYTES + INFO_SIZE)
#define FIRST_ID         1001u
/* More than any real catalog holds; a bound on what is read. */
#define MAX_ENTRIES      4096u
/* Windows-1252, the ANSI code page of the paths in the packed items (the
 * one engine/wsi-entry-pack.c uses). */
#define PATH_CODE_PAGE   1252
/* ProviderInfoLspCategories */
#define INFO_LSP_CATEGORIES 0

static const WCHAR catalog_key[] = L"SYSTEM\\CurrentControlSet\\Services\\WinSock2\\Parameters\\Protocol_Catalog9";
/* Where ws2_32 keeps what WSCSetProviderInfo sets is not documented; the
 * double keeps it where wsinstall's exporter and importer do (see
 * engine/wsi-registry.h), so the categories survive the regedit round trip. */
static const WCHAR categories_value[] = L"WsinstallLspCategories";

typedef struct {
  BYTE  item[ITEM_SIZE];
  DWORD categories;
} Entry;

typedef struct {
  Entry *entries;
  DWORD  n;
  BOOL   dirty;
} Catalog;

/* Index 0: the 32-bit catalog (Catalog_Entries), 1: the 64-bit one. */
typedef struct {
  DWORD   next_id;
  DWORD   serial;
  Catalog catalogs[2];
} State;

enum { CAT32 = 0, CAT64 = 1 };

static const WCHAR *const subkeys[2] = { L"Catalog_Entries", L"Catalog_Entries64" };
static const WCHAR *const count_values[2] = { L"Num_Catalog_Entries", L"Num_Catalog_Entries64" };

/* ---- little-endian fields ---- */

static DWORD
get_u32 (const BYTE *p)
{
  return (DWORD) p[0] | (DWORD) p[1] << 8 | (DWORD) p[2] << 16 | (DWORD) p[3] << 24;
}

static void
put_u32 (BYTE *p, DWORD v)
{
  p[0] = (BYTE) v;
  p[1] = (BYTE) (v >> 8);
  p[2] = (BYTE) (v >> 16);
  p[3] = (BYTE) (v >> 24);
}

static const BYTE *
info_of (const Entry *e)
{
  return e->item + PATH_BYTES;
}

static DWORD
entry_id (const Entry *e)
{
  return get_u32 (info_of (e) + OFF_CATALOG_ID);
}

static int
entry_chain_len (const Entry *e)
{
  return (int) get_u32 (info_of (e) + OFF_CHAIN_LEN);
}

static BOOL
entry_has_guid (const Entry *e, const GUID *guid)
{
  return memcmp (info_of (e) + OFF_PROVIDER_ID, guid, sizeof (GUID)) == 0;
}

/* ---- the registry ---- */

/* The name of position @pos's key: twelve decimal digits. */
static void
position_name (DWORD pos, WCHAR name[13])
{
  for (int i = 11; i >= 0; i--)
    {
      name[i] = (WCHAR) (L'0' + pos % 10);
      pos /= 10;
    }
  name[12] = 0;
}

static HANDLE
lock_catalog (void)
{
  /* One process at a time, as ws2_32 serialises catalog writers: the x64
   * wsinstall and its x86 helper never overlap, but an MSI server and a
   * CLI run could. */
  HANDLE m = CreateMutexW (NULL, FALSE, L"Local\\wsi-wsc-double");
  if (m != NULL)
    WaitForSingleObject (m, INFINITE);
  return m;
}

static void
unlock_catalog (HANDLE m)
{
  if (m != NULL)
    {
      ReleaseMutex (m);
      CloseHandle (m);
    }
}

static BOOL
read_dword (HKEY hk, const WCHAR *name, DWORD *out)
{
  DWORD type = 0, size = sizeof *out;
  return RegQueryValueExW (hk, name, NULL, &type, (BYTE *) out, &size) == ERROR_SUCCESS && type == REG_DWORD &&
         size == sizeof *out;
}

static void
state_free (State *s)
{
  for (int c = 0; c < 2; c++)
    {
      HeapFree (GetProcessHeap (), 0, s->catalogs[c].entries);
      s->catalogs[c].entries = NULL;
      s->catalogs[c].n = 0;
    }
}

/* Room for @n entries (and one spare call's worth more). */
static BOOL
catalog_reserve (Catalog *c, DWORD n)
{
  Entry *grown;
  SIZE_T bytes = (SIZE_T) (n > 0 ? n : 1) * sizeof (Entry);

  grown = c->entries == NULL ? HeapAlloc (GetProcessHeap (), HEAP_ZERO_MEMORY, bytes)
                             : HeapReAlloc (GetProcessHeap (), HEAP_ZERO_MEMORY, c->entries, bytes);
  if (grown == NULL)
    return FALSE;
  c->entries = grown;
  return TRUE;
}

/* One catalog from its subkey; FALSE (WSANO_RECOVERY for the caller) when
 * it is damaged: a missing key or an item that is not 888 bytes. */
static BOOL
read_catalog (HKEY root, int which, Catalog *c)
{
  DWORD count = 0;
  HKEY sub = NULL;

  c->n = 0;
  if (!read_dword (root, count_values[which], &count) || count == 0)
    return TRUE;
  if (count > MAX_ENTRIES || !catalog_reserve (c, count))
    return FALSE;
  if (RegOpenKeyExW (root, subkeys[which], 0, KEY_READ | KEY_WOW64_64KEY, &sub) != ERROR_SUCCESS)
    return FALSE;
  for (DWORD pos = 1; pos <= count; pos++)
    {
      WCHAR name[13];
      HKEY hk = NULL;
      DWORD type = 0, size = ITEM_SIZE;
      Entry *e = &c->entries[pos - 1];
      BOOL ok;

      position_name (pos, name);
      if (RegOpenKeyExW (sub, name, 0, KEY_READ | KEY_WOW64_64KEY, &hk) != ERROR_SUCCESS)
        {
          RegCloseKey (sub);
          return FALSE;
        }
      ok = RegQueryValueExW (hk, L"PackedCatalogItem", NULL, &type, e->item, &size) == ERROR_SUCCESS &&
           type == REG_BINARY && size == ITEM_SIZE;
      if (!read_dword (hk, categories_value, &e->categories))
        e->categories = 0;
      RegCloseKey (hk);
      if (!ok)
        {
          RegCloseKey (sub);
          return FALSE;
        }
      c->n = pos;
    }
  RegCloseKey (sub);
  return TRUE;
}

/* The catalogs as the registry holds them. A machine without the key has
 * empty catalogs and a counter at its first value. */
static BOOL
state_load (State *s)
{
  HKEY root = NULL;
  LONG rc;
  BOOL ok;

  memset (s, 0, sizeof *s);
  s->next_id = FIRST_ID;
  rc = RegOpenKeyExW (HKEY_LOCAL_MACHINE, catalog_key, 0, KEY_READ | KEY_WOW64_64KEY, &root);
  if (rc == ERROR_FILE_NOT_FOUND)
    return TRUE;
  if (rc != ERROR_SUCCESS)
    return FALSE;
  if (!read_dword (root, L"Next_Catalog_Entry_ID", &s->next_id))
    s->next_id = FIRST_ID;
  if (!read_dword (root, L"Serial_Access_Num", &s->serial))
    s->serial = 0;
  ok = read_catalog (root, CAT32, &s->catalogs[CAT32]);
#ifdef _WIN64
  ok = ok && read_catalog (root, CAT64, &s->catalogs[CAT64]);
#endif
  RegCloseKey (root);
  if (!ok)
    state_free (s);
  return ok;
}

static BOOL
set_dword (HKEY hk, const WCHAR *name, DWORD v)
{
  return RegSetValueExW (hk, name, 0, REG_DWORD, (const BYTE *) &v, sizeof v) == ERROR_SUCCESS;
}

/* Position keys 1..n rewritten, the ones after n deleted, the count set. */
static BOOL
write_catalog (HKEY root, int which, const Catalog *c)
{
  HKEY sub = NULL;
  DWORD old = 0;
  BOOL ok = TRUE;

  if (!read_dword (root, count_values[which], &old))
    old = 0;
  if (RegCreateKeyExW (root, subkeys[which], 0, NULL, 0, KEY_ALL_ACCESS | KEY_WOW64_64KEY, NULL, &sub, NULL) !=
      ERROR_SUCCESS)
    return FALSE;
  for (DWORD pos = 1; ok && pos <= c->n; pos++)
    {
      const Entry *e = &c->entries[pos - 1];
      WCHAR name[13];
      WCHAR protocol[NAME_UNITS];
      HKEY hk = NULL;
      DWORD units = 0;

      position_name (pos, name);
      if (RegCreateKeyExW (sub, name, 0, NULL, 0, KEY_ALL_ACCESS | KEY_WOW64_64KEY, NULL, &hk, NULL) !=
          ERROR_SUCCESS)
        {
          ok = FALSE;
          break;
        }
      memcpy (protocol, info_of (e) + OFF_NAME, sizeof protocol);
      protocol[NAME_UNITS - 1] = 0;
      while (protocol[units] != 0)
        units++;
      ok = RegSetValueExW (hk, L"PackedCatalogItem", 0, REG_BINARY, e->item, ITEM_SIZE) == ERROR_SUCCESS &&
           RegSetValueExW (hk, L"ProtocolName", 0, REG_SZ, (const BYTE *) protocol,
                           (units + 1) * sizeof (WCHAR)) == ERROR_SUCCESS;
      if (ok && e->categories != 0)
        ok = set_dword (hk, categories_value, e->categories);
      else if (ok)
        RegDeleteValueW (hk, categories_value);
      RegCloseKey (hk);
    }
  for (DWORD pos = c->n + 1; ok && pos <= old; pos++)
    {
      WCHAR name[13];
      position_name (pos, name);
      RegDeleteKeyW (sub, name);
    }
  RegCloseKey (sub);
  return ok && set_dword (root, count_values[which], c->n);
}

/* The changed catalogs, then the counters (one counter and one serial for
 * both catalogs, as in Protocol_Catalog9). */
static BOOL
state_save (const State *s)
{
  HKEY root = NULL;
  BOOL ok = TRUE;

  if (RegCreateKeyExW (HKEY_LOCAL_MACHINE, catalog_key, 0, NULL, 0, KEY_ALL_ACCESS | KEY_WOW64_64KEY, NULL, &root,
                       NULL) != ERROR_SUCCESS)
    return FALSE;
  for (int c = 0; c < 2 && ok; c++)
    if (s->catalogs[c].dirty)
      ok = write_catalog (root, c, &s->catalogs[c]);
  ok = ok && set_dword (root, L"Next_Catalog_Entry_ID", s->next_id) &&
       set_dword (root, L"Serial_Access_Num", s->serial + 1);
  RegCloseKey (root);
  return ok;
}

/* ---- the calls' common frame ---- */

static int
fail (LPINT err, int code)
{
  if (err != NULL)
    *err = code;
  return SOCKET_ERROR;
}

/* Every call: lock, load, run @op on the state, save when it changed
 * something, unlock. */
typedef int (*Op) (State *s, void *args, int *code);

static int
run (Op op, void *args, LPINT err)
{
  State s;
  HANDLE lock = lock_catalog ();
  int code = 0;
  int rc;

  if (!state_load (&s))
    {
      unlock_catalog (lock);
      return fail (err, WSANO_RECOVERY);
    }
  rc = op (&s, args, &code);
  if (rc != SOCKET_ERROR && (s.catalogs[CAT32].dirty || s.catalogs[CAT64].dirty) && !state_save (&s))
    {
      rc = SOCKET_ERROR;
      code = WSANO_RECOVERY;
    }
  state_free (&s);
  unlock_catalog (lock);
  if (rc == SOCKET_ERROR)
    return fail (err, code);
  return rc;
}

static int
refuse (int *code, int value)
{
  *code = value;
  return SOCKET_ERROR;
}

static Entry *
find_id (Catalog *c, DWORD id)
{
  for (DWORD i = 0; i < c->n; i++)
    if (entry_id (&c->entries[i]) == id)
      return &c->entries[i];
  return NULL;
}

static DWORD
count_guid (const Catalog *c, const GUID *guid)
{
  DWORD n = 0;
  for (DWORD i = 0; i < c->n; i++)
    n += entry_has_guid (&c->entries[i], guid);
  return n;
}

/* ---- argument checks (install and update) ---- */

/* @path as the packed item's ANSI bytes (zero-filled): WSAEFAULT without
 * one, WSAEINVAL when it does not fit MAX_PATH or the code page. */
static int
pack_path (const WCHAR *path, BYTE out[PATH_BYTES])
{
  int len;
  BOOL lossy = FALSE;

  if (path == NULL)
    return WSAEFAULT;
  memset (out, 0, PATH_BYTES);
  len = lstrlenW (path);
  if (len >= PATH_BYTES)
    return WSAEINVAL;
  if (len == 0)
    return 0;
  if (WideCharToMultiByte (PATH_CODE_PAGE, WC_NO_BEST_FIT_CHARS, path, len, (char *) out, PATH_BYTES - 1, NULL,
                           &lossy) != len || lossy)
    return WSAEINVAL;
  return 0;
}

/* The chain rule Windows documents: a chain (ChainLen >= 2) names entries
 * that exist, a layered one on top, a base or chain below, none twice. A
 * chain built from the other catalog's IDs fails here (WSAEINVAL), which is
 * the mistake issue 17 asks the double to catch. */
static BOOL
chain_valid (Catalog *c, const BYTE *info)
{
  int len = (int) get_u32 (info + OFF_CHAIN_LEN);

  if (len < 0 || len > MAX_CHAIN)
    return FALSE;
  if (len < 2)
    return TRUE;
  for (int i = 0; i < len; i++)
    {
      DWORD id = get_u32 (info + OFF_CHAIN + 4 * i);
      Entry *e = find_id (c, id);

      if (e == NULL)
        return FALSE;
      if (i == 0 && entry_chain_len (e) != 0)
        return FALSE;
      for (int j = 0; j < i; j++)
        if (get_u32 (info + OFF_CHAIN + 4 * j) == id)
          return FALSE;
    }
  return TRUE;
}

static int
check_infos (Catalog *const *cats, int ncats, const BYTE *infos, DWORD n)
{
  if (n == 0)
    return WSAEINVAL;
  if (infos == NULL)
    return WSAEFAULT;
  for (DWORD i = 0; i < n; i++)
    {
      const BYTE *info = infos + (SIZE_T) i * INFO_SIZE;
      const BYTE *name = info + OFF_NAME;
      BOOL terminated = FALSE;

      for (int u = 0; u < NAME_UNITS && !terminated; u++)
        terminated = name[2 * u] == 0 && name[2 * u + 1] == 0;
      if (!terminated)
        return WSAEINVAL;
      for (int k = 0; k < ncats; k++)
        if (!chain_valid (cats[k], info))
          return WSAEINVAL;
    }
  return 0;
}

/* The entry as stored: the path, the caller's WSAPROTOCOL_INFOW with the
 * call's GUID and the ID the catalog assigns (what the caller passed in
 * dwCatalogEntryId is ignored). */
static void
make_entry (Entry *e, const BYTE path[PATH_BYTES], const BYTE *info, const GUID *guid, DWORD id)
{
  memcpy (e->item, path, PATH_BYTES);
  memcpy (e->item + PATH_BYTES, info, INFO_SIZE);
  memcpy (e->item + PATH_BYTES + OFF_PROVIDER_ID, guid, sizeof (GUID));
  put_u32 (e->item + PATH_BYTES + OFF_CATALOG_ID, id);
  e->categories = 0;
}

/* ---- install ---- */

typedef struct {
  const GUID  *guid;
  const WCHAR *path;
  const BYTE  *infos;
  DWORD        n;
  int          which;     /* CAT32 or CAT64; -1: both (64_32) */
} InstallArgs;

static BOOL
catalogs_in_sync (const State *s)
{
  const Catalog *a = &s->catalogs[CAT32], *b = &s->catalogs[CAT64];

  if (a->n != b->n)
    return FALSE;
  for (DWORD i = 0; i < a->n; i++)
    if (entry_id (&a->entries[i]) != entry_id (&b->entries[i]))
      return FALSE;
  return TRUE;
}

static int
op_install (State *s, void *data, int *code)
{
  InstallArgs *a = data;
  Catalog *cats[2];
  int ncats = 0;
  BYTE path[PATH_BYTES];
  int bad;

  if (a->which == -1)
    {
      /* Vista and later refuse once the catalogs' IDs differ: the same
       * ChainEntries cannot be right in both. */
      if (!catalogs_in_sync (s))
        return refuse (code, WSANO_RECOVERY);
      cats[ncats++] = &s->catalogs[CAT64];
      cats[ncats++] = &s->catalogs[CAT32];
    }
  else
    cats[ncats++] = &s->catalogs[a->which];
  if (a->guid == NULL)
    return refuse (code, WSAEFAULT);
  if ((bad = pack_path (a->path, path)) != 0 || (bad = check_infos (cats, ncats, a->infos, a->n)) != 0)
    return refuse (code, bad);
  for (int k = 0; k < ncats; k++)
    if (count_guid (cats[k], a->guid) > 0)
      return refuse (code, WSANO_RECOVERY);
  if ((unsigned long long) s->next_id + a->n > 0xFFFFFFFFull || cats[0]->n + a->n > MAX_ENTRIES)
    return refuse (code, WSANO_RECOVERY);

  /* One call, one set of IDs: with 64_32 both halves get the same ones,
   * and the shared counter moves past them once. */
  for (int k = 0; k < ncats; k++)
    {
      Catalog *c = cats[k];
      if (!catalog_reserve (c, c->n + a->n))
        return refuse (code, WSA_NOT_ENOUGH_MEMORY);
      for (DWORD i = 0; i < a->n; i++)
        make_entry (&c->entries[c->n + i], path, a->infos + (SIZE_T) i * INFO_SIZE, a->guid, s->next_id + i);
      c->n += a->n;
      c->dirty = TRUE;
    }
  s->next_id += a->n;
  return 0;
}

static int
install (int which, LPGUID guid, const WCHAR *path, LPWSAPROTOCOL_INFOW infos, DWORD n, LPINT err)
{
  InstallArgs a = { guid, path, (const BYTE *) infos, n, which };
  return run (op_install, &a, err);
}

/* ---- deinstall ---- */

typedef struct {
  const GUID *guid;
  int         which;
} GuidArgs;

static int
op_deinstall (State *s, void *data, int *code)
{
  GuidArgs *a = data;
  Catalog *c = &s->catalogs[a->which];
  DWORD kept = 0;

  if (a->guid == NULL)
    return refuse (code, WSAEFAULT);
  if (count_guid (c, a->guid) == 0)
    return refuse (code, WSAEINVAL);
  for (DWORD i = 0; i < c->n; i++)
    if (!entry_has_guid (&c->entries[i], a->guid))
      c->entries[kept++] = c->entries[i];
  c->n = kept;
  c->dirty = TRUE;
  return 0;
}

static int
deinstall (int which, LPGUID guid, LPINT err)
{
  GuidArgs a = { guid, which };
  return run (op_deinstall, &a, err);
}

/* ---- update ---- */

static int
op_update (State *s, void *data, int *code)
{
  InstallArgs *a = data;
  Catalog *c = &s->catalogs[a->which];
  BYTE path[PATH_BYTES];
  DWORD k = 0;
  int bad;

  if (a->guid == NULL)
    return refuse (code, WSAEFAULT);
  if ((bad = pack_path (a->path, path)) != 0 || (bad = check_infos (&c, 1, a->infos, a->n)) != 0)
    return refuse (code, bad);
  if (count_guid (c, a->guid) != a->n)
    return refuse (code, WSAEINVAL);
  /* In place, in catalog order: IDs, positions and categories stay. */
  for (DWORD i = 0; i < c->n; i++)
    {
      Entry *e = &c->entries[i];
      DWORD id, categories;

      if (!entry_has_guid (e, a->guid))
        continue;
      id = entry_id (e);
      categories = e->categories;
      make_entry (e, path, a->infos + (SIZE_T) k++ * INFO_SIZE, a->guid, id);
      e->categories = categories;
    }
  c->dirty = TRUE;
  return 0;
}

static int
update (int which, LPGUID guid, const WCHAR *path, const WSAPROTOCOL_INFOW *infos, DWORD n, LPINT err)
{
  InstallArgs a = { guid, path, (const BYTE *) infos, n, which };
  return run (op_update, &a, err);
}

/* ---- order ---- */

typedef struct {
  const DWORD *ids;
  DWORD        n;
  int          which;
} OrderArgs;

static int
op_order (State *s, void *data, int *code)
{
  OrderArgs *a = data;
  Catalog *c = &s->catalogs[a->which];
  Entry *order;

  if (a->ids == NULL && a->n > 0)
    return refuse (code, WSAEFAULT);
  if (a->n != c->n)
    return refuse (code, WSAEINVAL);
  if (a->n == 0)
    return 0;
  order = HeapAlloc (GetProcessHeap (), HEAP_ZERO_MEMORY, (SIZE_T) a->n * sizeof (Entry));
  if (order == NULL)
    return refuse (code, WSA_NOT_ENOUGH_MEMORY);
  for (DWORD i = 0; i < a->n; i++)
    {
      Entry *e = find_id (c, a->ids[i]);
      BOOL twice = FALSE;

      for (DWORD j = 0; j < i && !twice; j++)
        twice = a->ids[j] == a->ids[i];
      if (e == NULL || twice)
        {
          HeapFree (GetProcessHeap (), 0, order);
          return refuse (code, WSAEINVAL);
        }
      order[i] = *e;
    }
  memcpy (c->entries, order, (SIZE_T) a->n * sizeof (Entry));
  HeapFree (GetProcessHeap (), 0, order);
  c->dirty = TRUE;
  return 0;
}

static int
write_order (int which, LPDWORD ids, DWORD n)
{
  OrderArgs a = { ids, n, which };
  int err = 0;

  /* WSCWriteProviderOrder returns the error code itself. */
  return run (op_order, &a, &err) == 0 ? 0 : err;
}

/* ---- provider info ---- */

typedef struct {
  const GUID *guid;
  int         type;
  BYTE       *info;
  size_t      size;      /* set */
  size_t     *size_io;   /* get */
  int         which;
} InfoArgs;

static int
op_set_info (State *s, void *data, int *code)
{
  InfoArgs *a = data;
  Catalog *c = &s->catalogs[a->which];
  DWORD value;

  if (a->guid == NULL || a->info == NULL)
    return refuse (code, WSAEFAULT);
  if (a->type != INFO_LSP_CATEGORIES || a->size != sizeof (DWORD))
    return refuse (code, WSAEINVAL);
  if (count_guid (c, a->guid) == 0)
    return refuse (code, WSAEINVAL);
  memcpy (&value, a->info, sizeof value);
  for (DWORD i = 0; i < c->n; i++)
    if (entry_has_guid (&c->entries[i], a->guid))
      c->entries[i].categories = value;
  c->dirty = TRUE;
  return 0;
}

static int
op_get_info (State *s, void *data, int *code)
{
  InfoArgs *a = data;
  Catalog *c = &s->catalogs[a->which];

  if (a->guid == NULL || a->size_io == NULL)
    return refuse (code, WSAEFAULT);
  if (a->type != INFO_LSP_CATEGORIES)
    return refuse (code, WSAEINVAL);
  for (DWORD i = 0; i < c->n; i++)
    if (entry_has_guid (&c->entries[i], a->guid))
      {
        if (a->info == NULL || *a->size_io < sizeof (DWORD))
          {
            *a->size_io = sizeof (DWORD);
            return refuse (code, WSAEFAULT);
          }
        memcpy (a->info, &c->entries[i].categories, sizeof (DWORD));
        *a->size_io = sizeof (DWORD);
        return 0;
      }
  return refuse (code, WSAEINVAL);
}

/* ---- reading ---- */

typedef struct {
  const INT *protocols;
  BYTE      *buf;
  DWORD     *len;
  int        which;
} EnumArgs;

/* lpiProtocols is 0-terminated; an entry serving a range (RAW: 0..255)
 * answers for every protocol in it. */
static BOOL
in_filter (const Entry *e, const INT *protocols)
{
  long long low = (INT) get_u32 (info_of (e) + OFF_PROTOCOL);
  long long off = (INT) get_u32 (info_of (e) + OFF_MAX_OFFSET);
  long long high = low + (off > 0 ? off : 0);

  if (protocols == NULL)
    return TRUE;
  for (const INT *p = protocols; *p != 0; p++)
    if (*p >= low && *p <= high)
      return TRUE;
  return FALSE;
}

static int
op_enum (State *s, void *data, int *code)
{
  EnumArgs *a = data;
  Catalog *c = &s->catalogs[a->which];
  DWORD n = 0, k = 0;
  unsigned long long needed;

  if (a->len == NULL)
    return refuse (code, WSAEFAULT);
  for (DWORD i = 0; i < c->n; i++)
    n += in_filter (&c->entries[i], a->protocols);
  needed = (unsigned long long) n * INFO_SIZE;
  if (*a->len < needed)
    {
      *a->len = (DWORD) needed;
      return refuse (code, WSAENOBUFS);
    }
  if (a->buf == NULL && n > 0)
    return refuse (code, WSAEFAULT);
  for (DWORD i = 0; i < c->n; i++)
    if (in_filter (&c->entries[i], a->protocols))
      memcpy (a->buf + (SIZE_T) k++ * INFO_SIZE, info_of (&c->entries[i]), INFO_SIZE);
  return (int) n;
}

typedef struct {
  const GUID *guid;
  WCHAR      *path;
  INT        *len;
  int         which;
} PathArgs;

static int
op_path (State *s, void *data, int *code)
{
  PathArgs *a = data;
  Catalog *c = &s->catalogs[a->which];

  if (a->guid == NULL || a->len == NULL)
    return refuse (code, WSAEFAULT);
  for (DWORD i = 0; i < c->n; i++)
    if (entry_has_guid (&c->entries[i], a->guid))
      {
        const char *ansi = (const char *) c->entries[i].item;
        int bytes = (int) strnlen (ansi, PATH_BYTES - 1);
        int units = bytes > 0 ? MultiByteToWideChar (PATH_CODE_PAGE, 0, ansi, bytes, NULL, 0) : 0;

        if (a->path == NULL || *a->len < units + 1)
          {
            *a->len = units + 1;
            return refuse (code, WSAEFAULT);
          }
        if (units > 0)
          MultiByteToWideChar (PATH_CODE_PAGE, 0, ansi, bytes, a->path, units);
        a->path[units] = 0;
        *a->len = units;
        return 0;
      }
  return refuse (code, WSAEINVAL);
}

/* ---- the exports ---- */

/* The prototypes of ws2spi.h, which is not included: its declarations
 * carry dllimport. */
WSI_DOUBLE_API WSCEnumProtocols (LPINT, LPWSAPROTOCOL_INFOW, LPDWORD, LPINT);
WSI_DOUBLE_API WSCInstallProvider (LPGUID, const WCHAR *, LPWSAPROTOCOL_INFOW, DWORD, LPINT);
WSI_DOUBLE_API WSCDeinstallProvider (LPGUID, LPINT);
WSI_DOUBLE_API WSCUpdateProvider (LPGUID, const WCHAR *, const WSAPROTOCOL_INFOW *, DWORD, LPINT);
WSI_DOUBLE_API WSCWriteProviderOrder (LPDWORD, DWORD);
WSI_DOUBLE_API WSCGetProviderPath (LPGUID, WCHAR *, LPINT, LPINT);
WSI_DOUBLE_API WSCSetProviderInfo (LPGUID, int, PBYTE, size_t, DWORD, LPINT);
WSI_DOUBLE_API WSCGetProviderInfo (LPGUID, int, PBYTE, size_t *, DWORD, LPINT);
#ifdef _WIN64
WSI_DOUBLE_API WSCInstallProvider64_32 (LPGUID, const WCHAR *, LPWSAPROTOCOL_INFOW, DWORD, LPINT);
WSI_DOUBLE_API WSCEnumProtocols32 (LPINT, LPWSAPROTOCOL_INFOW, LPDWORD, LPINT);
WSI_DOUBLE_API WSCDeinstallProvider32 (LPGUID, LPINT);
WSI_DOUBLE_API WSCUpdateProvider32 (LPGUID, const WCHAR *, const WSAPROTOCOL_INFOW *, DWORD, LPINT);
WSI_DOUBLE_API WSCWriteProviderOrder32 (LPDWORD, DWORD);
WSI_DOUBLE_API WSCGetProviderPath32 (LPGUID, WCHAR *, LPINT, LPINT);
WSI_DOUBLE_API WSCSetProviderInfo32 (LPGUID, int, PBYTE, size_t, DWORD, LPINT);
WSI_DOUBLE_API WSCGetProviderInfo32 (LPGUID, int, PBYTE, size_t *, DWORD, LPINT);
#endif

#ifdef _WIN64
#define NATIVE CAT64
#else
#define NATIVE CAT32
#endif

WSI_DOUBLE_API
WSCEnumProtocols (LPINT protocols, LPWSAPROTOCOL_INFOW buf, LPDWORD len, LPINT err)
{
  EnumArgs a = { protocols, (BYTE *) buf, len, NATIVE };
  return run (op_enum, &a, err);
}

WSI_DOUBLE_API
WSCInstallProvider (LPGUID guid, const WCHAR *path, LPWSAPROTOCOL_INFOW infos, DWORD n, LPINT err)
{
  return install (NATIVE, guid, path, infos, n, err);
}

WSI_DOUBLE_API
WSCDeinstallProvider (LPGUID guid, LPINT err)
{
  return deinstall (NATIVE, guid, err);
}

WSI_DOUBLE_API
WSCUpdateProvider (LPGUID guid, const WCHAR *path, const WSAPROTOCOL_INFOW *infos, DWORD n, LPINT err)
{
  return update (NATIVE, guid, path, infos, n, err);
}

WSI_DOUBLE_API
WSCWriteProviderOrder (LPDWORD ids, DWORD n)
{
  return write_order (NATIVE, ids, n);
}

WSI_DOUBLE_API
WSCGetProviderPath (LPGUID guid, WCHAR *path, LPINT len, LPINT err)
{
  PathArgs a = { guid, path, len, NATIVE };
  return run (op_path, &a, err);
}

WSI_DOUBLE_API
WSCSetProviderInfo (LPGUID guid, int type, PBYTE info, size_t size, DWORD flags, LPINT err)
{
  InfoArgs a = { guid, type, info, size, NULL, NATIVE };
  (void) flags;
  return run (op_set_info, &a, err);
}

WSI_DOUBLE_API
WSCGetProviderInfo (LPGUID guid, int type, PBYTE info, size_t *size, DWORD flags, LPINT err)
{
  InfoArgs a = { guid, type, info, 0, size, NATIVE };
  (void) flags;
  return run (op_get_info, &a, err);
}

#ifdef _WIN64
WSI_DOUBLE_API
WSCInstallProvider64_32 (LPGUID guid, const WCHAR *path, LPWSAPROTOCOL_INFOW infos, DWORD n, LPINT err)
{
  return install (-1, guid, path, infos, n, err);
}

WSI_DOUBLE_API
WSCEnumProtocols32 (LPINT protocols, LPWSAPROTOCOL_INFOW buf, LPDWORD len, LPINT err)
{
  EnumArgs a = { protocols, (BYTE *) buf, len, CAT32 };
  return run (op_enum, &a, err);
}

WSI_DOUBLE_API
WSCDeinstallProvider32 (LPGUID guid, LPINT err)
{
  return deinstall (CAT32, guid, err);
}

WSI_DOUBLE_API
WSCUpdateProvider32 (LPGUID guid, const WCHAR *path, const WSAPROTOCOL_INFOW *infos, DWORD n, LPINT err)
{
  return update (CAT32, guid, path, infos, n, err);
}

WSI_DOUBLE_API
WSCWriteProviderOrder32 (LPDWORD ids, DWORD n)
{
  return write_order (CAT32, ids, n);
}

WSI_DOUBLE_API
WSCGetProviderPath32 (LPGUID guid, WCHAR *path, LPINT len, LPINT err)
{
  PathArgs a = { guid, path, len, CAT32 };
  return run (op_path, &a, err);
}

WSI_DOUBLE_API
WSCSetProviderInfo32 (LPGUID guid, int type, PBYTE info, size_t size, DWORD flags, LPINT err)
{
  InfoArgs a = { guid, type, info, size, NULL, CAT32 };
  (void) flags;
  return run (op_set_info, &a, err);
}

WSI_DOUBLE_API
WSCGetProviderInfo32 (LPGUID guid, int type, PBYTE info, size_t *size, DWORD flags, LPINT err)
{
  InfoArgs a = { guid, type, info, 0, size, CAT32 };
  (void) flags;
  return run (op_get_info, &a, err);
}
#endif
