/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-backend-win32.h: the live machine: ws2_32's WSC* calls and the
 * Winsock registry keys (Windows builds only; the functions do not exist
 * elsewhere).
 *
 * What the process sees, by its bitness:
 *  - 64-bit process (x64 Windows): an x64 machine. The 64-bit catalog
 *    through the plain calls; the 32-bit one through the *32 calls
 *    (WSCEnumProtocols32, WSCDeinstallProvider32, ...) when ws2_32 exports
 *    them, otherwise — and always for installing, as there is no
 *    WSCInstallProvider32 — through the x86 helper (wsi-win32-helper.h).
 *  - 32-bit process on 32-bit Windows: an x86 machine, one catalog.
 *  - 32-bit process on 64-bit Windows (WOW64): its plain calls reach the
 *    32-bit catalog only, and the 64-bit catalog cannot be enumerated from
 *    it. It is modelled as a one-catalog x86 machine whose description says
 *    so: enough for the helper and for looking, not for planning (the CLI
 *    refuses changing commands there: run the x64 wsinstall.exe).
 *
 * peek() re-reads the live catalogs (WSCEnumProtocols, each provider's DLL
 * path through WSCGetProviderPath, LSP categories through WSCGetProviderInfo
 * where exported) and registry values the first time and after every
 * change made through the backend, so the executor's check of every step
 * sees what Windows really did. A machine it returned stays valid until the
 * backend is freed. Next_Catalog_Entry_ID is not exposed by the API: it is
 * read from Protocol_Catalog9 when readable, otherwise taken as the highest
 * ID + 1 (the description says which). */
#pragma once

#include <glib.h>

#include "wsi-version.h"
#include "wsi-backend.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

typedef enum {
  WSI_WIN32_READ_ONLY = 0,
  /* The caller will change the machine: refuse early, with an error whose
   * message starts with "not-admin: ", when the process lacks
   * administrator rights (every WSC install call needs them). */
  WSI_WIN32_FOR_WRITING = 1 << 0,
} WsiWin32Flags;

/* @helper32: the x86 wsinstall.exe for 32-bit-catalog operations; NULL:
 * $WSINSTALL_HELPER32, else wsinstall-x86.exe next to this executable. It
 * is only started when needed. */
WsiBackend *wsi_backend_win32_new           (WsiWin32Flags   flags,
                                             const char     *helper32,
                                             GError        **error);

/* A 32-bit process on 64-bit Windows. */
gboolean    wsi_win32_is_wow64              (void);
/* Member of BUILTIN\Administrators with the group enabled (elevated).
 * $WSINSTALL_ASSUME_NOT_ADMIN=1 makes it FALSE (tests; it can only make
 * wsinstall refuse, never allow). */
gboolean    wsi_win32_is_admin              (void);
/* The folder of the live journals (wsi-live-journal.h),
 * %ProgramData%\wsinstall\journals, by name only: the MSI's immediate
 * action, which may run as the user, names a journal in it. */
char       *wsi_win32_journal_dir_path      (GError        **error);
/* The same folder (and %ProgramData%\wsinstall) created when missing with
 * a protected DACL that only SYSTEM and Administrators can write, then
 * checked with wsi_win32_journal_check: an existing folder someone else
 * could write is refused (WSI_ERROR_UNTRUSTED, tag journal-untrusted). */
char       *wsi_win32_journal_dir_open      (GError        **error);
/* A WsiLiveJournalCheck for a journal or folder: not a link; owned by
 * SYSTEM, Administrators, TrustedInstaller or this elevated administrator;
 * a DACL in which no allow ACE lets anyone else write, delete or change
 * permissions. Otherwise FALSE with WSI_ERROR_UNTRUSTED (message
 * "journal-untrusted: ..."). */
gboolean    wsi_win32_journal_check         (const char     *path,
                                             gpointer        user_data,
                                             GError        **error);
/* The helper the backend would start (see wsi_backend_win32_new). */
char       *wsi_win32_default_helper32      (void);

WSI_END_PUBLIC
G_END_DECLS
