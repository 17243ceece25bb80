/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-policy.h: the write policy. What a manifest may make wsinstall write
 * is narrow: its own providers' DLL paths in the catalog, and a handful of
 * registry values it declares. Everything else is refused, however the
 * request got there (a hostile manifest, a bug in the planner, a tampered
 * journal), so the checks here run on the final key, name and path, not on
 * the manifest's intent.
 *
 * Registry keys use the registry model's convention (wsi-registry.h):
 * "HKLM\..." is absolute, anything else is below
 * HKLM\SYSTEM\CurrentControlSet\Services.
 * A manifest may write
 *   - Winsock\Parameters\TCP on SAN, value <registration> of each of its SAN
 *     providers (seed 002);
 *   - Winsock\Parameters, value Transports, when it declares a WSH helper
 *     (seed 004);
 *   - <transport>\Parameters\Winsock, values Mapping, HelperDllName,
 *     MinSockaddrLength and MaxSockaddrLength, for each of its WSH helpers,
 *     unless the transport is one of Windows' own (AFD, Tcpip, ...: see
 *     wsi_policy_transport_is_windows);
 *   - HKLM\SOFTWARE\wsinstall\Products\<product id>, any value (the record
 *     of what it installed).
 * Names compare without case, as Windows does; a key must be written in its
 * plain form: no empty, "." or ".." segments, no leading or trailing
 * backslash, no forward slash, no control characters.
 *
 * DLL paths (provider path/path32, WSH HelperDllName) must be absolute and
 * plain, and point where only administrators can write:
 *   - desktop: %SystemRoot%, %windir%, %ProgramFiles%, %ProgramFiles(x86)%,
 *     %ProgramW6432%, %CommonProgramFiles%, %CommonProgramFiles(x86)% or
 *     %CommonProgramW6432% as the first segment (no other variable, no
 *     second one), or a drive-letter path; either way not under a place
 *     users can write: \Users, \Documents and Settings, \ProgramData,
 *     \$Recycle.Bin, a \Temp or \Tmp directory anywhere, or the
 *     user-writable directories below Windows (Temp, Tasks, Tracing, Debug,
 *     System32\Tasks, System32\spool, ...). No UNC (\\server\share), no
 *     \\?\ or \\.\ device paths.
 *   - CE: \Windows\ or \Program Files\ (the CAB installer's %CE2% and %CE1%),
 *     no drive letters, no variables.
 *   - everywhere: no "." or ".." or empty segments, no segment ending in a
 *     dot or a space (Windows strips them, so "Users." is "Users"), no 8.3
 *     short names ("PROGRA~3"), no ':' after the drive (alternate data
 *     streams), no wildcard or control characters, no reserved device names
 *     (CON, NUL, COM1, ...); '/' counts as '\'.
 */
#pragma once

#include <glib.h>

#include "wsi-version.h"
#include "wsi-manifest.h"
#include "wsi-registry.h"

G_BEGIN_DECLS
WSI_BEGIN_PUBLIC

/* The registry values wsinstall writes below a transport's
 * Parameters\Winsock key (seed 004). */
#define WSI_REG_NAME_TRANSPORTS         "Transports"
#define WSI_REG_NAME_MAPPING            "Mapping"
#define WSI_REG_NAME_HELPER_DLL_NAME    "HelperDllName"
#define WSI_REG_NAME_MIN_SOCKADDR       "MinSockaddrLength"
#define WSI_REG_NAME_MAX_SOCKADDR       "MaxSockaddrLength"

/* TRUE when @manifest may set or delete the value @name of @key (see
 * above). Otherwise FALSE with WSI_ERROR_POLICY; callers report it with the
 * tag registry-write-denied. @manifest NULL (a removal by GUID, a repair)
 * may write nothing. */
gboolean     wsi_policy_check_registry_write (const WsiManifest *manifest,
                                              const char        *key,
                                              const char        *name,
                                              GError           **error);

/* TRUE when @transport (a service key name) is a transport of Windows,
 * compared without case: AFD, Tcpip, Tcpip6 and the other inbox transports
 * that have Winsock keys (NetBIOS, Psched, afunix, irda, RFCOMM, vmbus). A
 * manifest may not own one: no WSH helper for it, no write to its
 * Parameters\Winsock key, no Transports entry for it. */
gboolean     wsi_policy_transport_is_windows (const char        *transport);
/* The registry half of the policy for a step that comes from a journal,
 * with no manifest to ask: TRUE when some manifest could have made
 * wsinstall write the value @name of @key (the keys and names listed above,
 * any product's own key). Otherwise FALSE with WSI_ERROR_POLICY
 * (registry-write-denied). */
gboolean     wsi_policy_check_registry_replay (const char       *key,
                                               const char       *name,
                                               GError          **error);

/* Unregistering a SAN provider (seed 002) by what the value holds rather
 * than by its name: TRUE when deleting the value @name of
 * Winsock\Parameters\TCP on SAN is deleting a registration of @guid, i.e.
 * the value exists in @current and its data is exactly @guid's 16 bytes.
 * For uninstalls (a manifest's own SAN provider, registered under an older
 * name) and removals by GUID, where @guid is what is being removed.
 * Otherwise FALSE with WSI_ERROR_POLICY (registry-write-denied). */
gboolean     wsi_policy_check_san_unregister (const WsiRegistry *current,
                                              const char        *name,
                                              const WsiGuid     *guid,
                                              GError           **error);

/* The problem with @path as a DLL path for @profile, or NULL when it is
 * allowed: "path-not-absolute", "path-not-canonical" or "path-not-allowed"
 * (the diagnostic tag), with a sentence in *@reason (may be NULL). */
const char  *wsi_policy_dll_path_problem     (WsiProfile         profile,
                                              const char        *path,
                                              char             **reason);
/* The same as a GError (WSI_ERROR_PATH_NOT_ABSOLUTE, _NOT_CANONICAL or
 * _NOT_ALLOWED, with the reason as message), for the planner and the
 * executor. */
gboolean     wsi_policy_check_dll_path       (WsiProfile         profile,
                                              const char        *path,
                                              GError           **error);

WSI_END_PUBLIC
G_END_DECLS
