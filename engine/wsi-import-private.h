/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-import-private.h: what the registry importers (.reg file, offline
 * hive) share: the Winsock part of a Services key, gathered into a small
 * tree, and the code that turns it into a machine. */
#pragma once

#include <glib.h>

#include "wsi-diag.h"
#include "wsi-import.h"

G_BEGIN_DECLS

typedef struct _WsiImportTree WsiImportTree;

typedef struct {
  char    *name;   /* as written in the input; "" for the default value */
  guint32  type;   /* REG_* */
  GBytes  *data;
  int      line;   /* in the input (0: not from a text file) */
} WsiImportValue;

/* Is @path (relative to ...\Services, any case) a key the import reads?
 * WinSock2\Parameters\Protocol_Catalog9 and below, Winsock\Parameters,
 * Winsock\Parameters\TCP on SAN, and every <service>\Parameters\Winsock. */
gboolean        wsi_import_key_is_relevant   (const char *path);

/* Splits a full key path at its control set: "HKEY_LOCAL_MACHINE\SYSTEM\
 * CurrentControlSet\Services\Tcpip" gives root "HKEY_LOCAL_MACHINE\SYSTEM\
 * CurrentControlSet" and relative "Tcpip". Control sets are CurrentControlSet
 * and ControlSetNNN, after any prefix (a mounted hive's name, or none).
 * FALSE when the path is not below a control set's Services key. @relative
 * is "" for the Services key itself. */
gboolean        wsi_import_split_services_path (const char  *path,
                                                char       **root,
                                                char       **relative);

/* The registry's own limits ("Registry element size limits"): a key name
 * of at most 255 characters, a tree at most 512 levels deep. A path beyond
 * them cannot come from a real machine; refusing it also bounds what a
 * hostile file can make the importer build. */
#define WSI_REG_MAX_KEY_NAME  255
#define WSI_REG_MAX_KEY_DEPTH 512
gboolean        wsi_import_key_path_is_valid (const char  *path,
                                              char       **why);

WsiImportTree  *wsi_import_tree_new          (void);
void            wsi_import_tree_free         (WsiImportTree *self);
/* Keys and values by path relative to Services; names compare without case,
 * the first spelling is kept. A value set twice keeps the last data (what
 * regedit does when it imports such a file). */
void            wsi_import_tree_add_key      (WsiImportTree *self,
                                              const char    *path,
                                              int            line);
void            wsi_import_tree_set_value    (WsiImportTree *self,
                                              const char    *key,
                                              const char    *name,
                                              guint32        type,
                                              GBytes        *data,
                                              int            line);
gboolean        wsi_import_tree_has_key      (const WsiImportTree *self,
                                              const char          *path);

/* Builds the machine: both catalogs (entries in key order, counters checked
 * against the entries read) and the registry values wsinstall may own.
 * Problems add packed-item-invalid, catalog-keys-inconsistent or
 * import-kind-conflict to @diags (with @display_name) and return NULL:
 * never a partial machine. */
WsiMachine     *wsi_import_tree_build        (const WsiImportTree    *self,
                                              const WsiImportOptions *options,
                                              const char             *display_name,
                                              const char             *description,
                                              WsiDiagList            *diags);

/* Reads a whole input file, refusing it unread when larger than
 * @max_size (file-too-large); file-unreadable when it cannot be read. */
GBytes         *wsi_import_read_file         (const char  *path,
                                              gsize        max_size,
                                              WsiDiagList *diags);

/* "Imported from NAME (WHAT)" with NAME the file's base name, so a
 * snapshot does not depend on where its input was. */
char           *wsi_import_default_description (const char *display_name,
                                                const char *what);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsiImportTree, wsi_import_tree_free)

G_END_DECLS
