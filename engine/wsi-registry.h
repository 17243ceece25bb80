/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-registry.h: the Winsock registry values a machine model carries — the
 * ones wsinstall may own (TCP on SAN, Transports, each transport's
 * Parameters\Winsock) — as Windows stores them (raw bytes, UTF-16LE
 * strings). Keys are paths below HKLM\SYSTEM\CurrentControlSet\Services,
 * compared case-insensitively like Windows does: "Winsock\Parameters",
 * "Winsock\Parameters\TCP on SAN", "Tcpip\Parameters\Winsock". */
#pragma once

#include <glib.h>

#include "wsi-version.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

typedef enum {
  WSI_REG_SZ = 1,
  WSI_REG_EXPAND_SZ = 2,
  WSI_REG_BINARY = 3,
  WSI_REG_DWORD = 4,
  WSI_REG_MULTI_SZ = 7,
} WsiRegType;

#define WSI_REG_KEY_WINSOCK_PARAMETERS "Winsock\\Parameters"
#define WSI_REG_KEY_TCP_ON_SAN         "Winsock\\Parameters\\TCP on SAN"
/* Where wsinstall records the products it installed (name, version, the
 * provider GUIDs they own): HKLM\SOFTWARE\wsinstall\Products\<product id>.
 * Registry keys starting with "HKLM\\" are absolute; all others are below
 * HKLM\SYSTEM\CurrentControlSet\Services. */
#define WSI_REG_KEY_PRODUCTS           "HKLM\\SOFTWARE\\wsinstall\\Products"
/* An entry key's LSP categories in a .reg export. Where ws2_32 stores what
 * WSCSetProviderInfo(ProviderInfoLspCategories) sets is not documented; this
 * value is wsinstall's own, written by `catalog export` and read by
 * `catalog import`, so export then import keeps the categories. */
#define WSI_REG_VALUE_LSP_CATEGORIES   "WsinstallLspCategories"

typedef struct _WsiRegistry WsiRegistry;

/* A key or value name folded the way the registry compares names: equal
 * results for names the registry takes as the same. Free with g_free. */
char        *wsi_registry_fold_name    (const char        *name);

WsiRegistry *wsi_registry_new          (void);
WsiRegistry *wsi_registry_copy         (const WsiRegistry *self);
void         wsi_registry_free         (WsiRegistry       *self);

/* Raw access. get returns FALSE when the value does not exist. */
gboolean     wsi_registry_get          (const WsiRegistry *self,
                                        const char        *key,
                                        const char        *name,
                                        WsiRegType        *type,
                                        GBytes           **data);
void         wsi_registry_set          (WsiRegistry       *self,
                                        const char        *key,
                                        const char        *name,
                                        WsiRegType         type,
                                        GBytes            *data);
/* FALSE when there was nothing to delete. */
gboolean     wsi_registry_delete       (WsiRegistry       *self,
                                        const char        *key,
                                        const char        *name);

/* Keys in sorted order (case-insensitive), and one key's value names. */
GStrv        wsi_registry_list_keys    (const WsiRegistry *self);
GStrv        wsi_registry_list_values  (const WsiRegistry *self,
                                        const char        *key);
gboolean     wsi_registry_equal        (const WsiRegistry *a,
                                        const WsiRegistry *b);

/* Typed helpers (strings converted from/to UTF-16LE). */
void         wsi_registry_set_string   (WsiRegistry *self, const char *key, const char *name,
                                        WsiRegType type, const char *value);
char        *wsi_registry_get_string   (const WsiRegistry *self, const char *key, const char *name);
void         wsi_registry_set_dword    (WsiRegistry *self, const char *key, const char *name, guint32 value);
gboolean     wsi_registry_get_dword    (const WsiRegistry *self, const char *key, const char *name, guint32 *value);
void         wsi_registry_set_multi_sz (WsiRegistry *self, const char *key, const char *name,
                                        const char * const *values);
GStrv        wsi_registry_get_multi_sz (const WsiRegistry *self, const char *key, const char *name);

/* The data encodings on their own: REG_SZ is UTF-16LE with its NUL;
 * REG_MULTI_SZ each string NUL-terminated plus a final NUL. Decoding stops
 * at the first NUL (string) or empty string (list); NULL for invalid
 * UTF-16. */
GBytes      *wsi_reg_encode_string     (const char *text);
char        *wsi_reg_decode_string     (GBytes     *data);
GBytes      *wsi_reg_encode_multi_sz   (const char * const *values);
GStrv        wsi_reg_decode_multi_sz   (GBytes     *data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsiRegistry, wsi_registry_free)

WSI_END_PUBLIC
G_END_DECLS
