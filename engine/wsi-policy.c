/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-policy.c: the write policy (see wsi-policy.h for the rules). The
 * checks compare plain forms only: anything that Windows would resolve to
 * another name (".." segments, trailing dots, 8.3 aliases, device
 * prefixes) is refused rather than resolved, so there is no second opinion
 * on what a name means. */
#include "wsi-policy.h"

#include <string.h>

#include "wsi-error.h"
#include "wsi-registry.h"

/* --- helpers --- */

/* Windows compares registry and file names by upcasing each character with
 * a one-to-one table (RtlUpcaseUnicodeChar): simple upper-case mapping,
 * not Unicode case folding, which would equate the Kelvin sign with 'k'
 * and "ss" with 'ß' where Windows sees different names. */
static gboolean
wsi_str_equal_nocase (const char *a, const char *b)
{
  while (*a != '\0' && *b != '\0')
    {
      if (g_unichar_toupper (g_utf8_get_char (a)) != g_unichar_toupper (g_utf8_get_char (b)))
        return FALSE;
      a = g_utf8_next_char (a);
      b = g_utf8_next_char (b);
    }
  return *a == '\0' && *b == '\0';
}

static gboolean
wsi_has_prefix_nocase (const char *text, const char *prefix)
{
  return g_ascii_strncasecmp (text, prefix, strlen (prefix)) == 0;
}

/* Control characters have no place in a key, a value name or a path; a
 * name that carries one is either a mistake or a disguise. */
static gboolean
wsi_has_control_char (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    if (*p < 0x20 || *p == 0x7f)
      return TRUE;
  return FALSE;
}

/* --- registry --- */

typedef struct {
  gboolean  absolute;   /* "HKLM\..." rather than below Services */
  GStrv     segments;
} WsiRegKey;

static void
wsi_reg_key_clear (WsiRegKey *key)
{
  g_clear_pointer (&key->segments, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (WsiRegKey, wsi_reg_key_clear)

static gboolean wsi_policy_deny (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
wsi_policy_deny (GError **error, const char *format, ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, WSI_ERROR, WSI_ERROR_POLICY, msg);
  return FALSE;
}

/* Splits @key into plain segments; "HKLM\SYSTEM\CurrentControlSet\
 * Services\X" is the same key as "X". */
static gboolean
wsi_reg_key_parse (const char *key, WsiRegKey *out, GError **error)
{
  const char *rest = key;

  if (key == NULL || key[0] == '\0')
    return wsi_policy_deny (error, "an empty registry key");
  if (!g_utf8_validate (key, -1, NULL) || wsi_has_control_char (key))
    return wsi_policy_deny (error, "the registry key has control characters or invalid UTF-8");
  if (strchr (key, '/') != NULL)
    return wsi_policy_deny (error, "'%s' has a forward slash", key);
  if (wsi_has_prefix_nocase (key, "HKEY_LOCAL_MACHINE\\"))
    rest = key + strlen ("HKEY_LOCAL_MACHINE\\");
  else if (wsi_has_prefix_nocase (key, "HKLM\\"))
    rest = key + strlen ("HKLM\\");
  out->absolute = rest != key;
  if (out->absolute && wsi_has_prefix_nocase (rest, "SYSTEM\\CurrentControlSet\\Services\\"))
    {
      rest += strlen ("SYSTEM\\CurrentControlSet\\Services\\");
      out->absolute = FALSE;
    }
  out->segments = g_strsplit (rest, "\\", -1);
  for (guint i = 0; out->segments[i] != NULL; i++)
    {
      const char *s = out->segments[i];
      if (s[0] == '\0' || strcmp (s, ".") == 0 || strcmp (s, "..") == 0)
        return wsi_policy_deny (error, "'%s' is not a plain key path (empty, \".\" or \"..\" segment)",
                                key);
    }
  return TRUE;
}

/* Does @key equal the segments of @pattern (NULL-terminated list)? */
static gboolean
wsi_reg_key_is (const WsiRegKey *key, gboolean absolute, const char *const *pattern)
{
  guint n = g_strv_length (key->segments);

  if (key->absolute != absolute || n != g_strv_length ((GStrv) pattern))
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!wsi_str_equal_nocase (key->segments[i], pattern[i]))
      return FALSE;
  return TRUE;
}

/* A transport is one service key name: not one of the Winsock keys
 * themselves, not a path. */
static gboolean
wsi_transport_is_plain (const char *transport)
{
  return transport != NULL && transport[0] != '\0' && strchr (transport, '\\') == NULL
         && strchr (transport, '/') == NULL && strcmp (transport, ".") != 0 && strcmp (transport, "..") != 0
         && !wsi_has_control_char (transport) && !wsi_str_equal_nocase (transport, "Winsock")
         && !wsi_str_equal_nocase (transport, "WinSock2");
}

/* Transports that ship with Windows, whose Parameters\Winsock keys and
 * place in Transports belong to Windows: AFD (the Winsock kernel driver
 * itself, which every MSAFD entry goes through), the Tcpip family (Tcpip,
 * Tcpip6, with the Winsock keys in every reference machine), and the other
 * inbox transports with Parameters\Winsock keys in the reference machines
 * (data/reference: NetBIOS and Psched on Windows 7, irda, RFCOMM and vmbus
 * on Windows 10, afunix on Windows 10 1709). A vendor's transport has its
 * own service name, so it is refused only for one of these exact names. */
static const char *const wsi_windows_transports[] = {
  "AFD", "Tcpip", "Tcpip6", "NetBIOS", "Psched", "afunix", "irda", "RFCOMM", "vmbus",
};

gboolean
wsi_policy_transport_is_windows (const char *transport)
{
  g_return_val_if_fail (transport != NULL, FALSE);
  for (gsize i = 0; i < G_N_ELEMENTS (wsi_windows_transports); i++)
    if (wsi_str_equal_nocase (transport, wsi_windows_transports[i]))
      return TRUE;
  return FALSE;
}

/* The first WSH helper of @manifest for a transport of Windows, or NULL. */
static const WsiManifestWshHelper *
wsi_manifest_windows_transport (const WsiManifest *manifest)
{
  for (guint i = 0; i < manifest->wsh_helpers->len; i++)
    {
      const WsiManifestWshHelper *h = g_ptr_array_index (manifest->wsh_helpers, i);
      if (h->transport != NULL && wsi_policy_transport_is_windows (h->transport))
        return h;
    }
  return NULL;
}

gboolean
wsi_policy_check_registry_write (const WsiManifest *manifest, const char *key, const char *name, GError **error)
{
  g_auto(WsiRegKey) k = { 0 };
  static const char *const san_key[] = { "Winsock", "Parameters", "TCP on SAN", NULL };
  static const char *const winsock_key[] = { "Winsock", "Parameters", NULL };
  static const char *const wsh_names[] = {
    WSI_REG_NAME_MAPPING, WSI_REG_NAME_HELPER_DLL_NAME, WSI_REG_NAME_MIN_SOCKADDR, WSI_REG_NAME_MAX_SOCKADDR,
  };

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!wsi_reg_key_parse (key, &k, error))
    return FALSE;
  if (name == NULL || !g_utf8_validate (name, -1, NULL) || wsi_has_control_char (name))
    return wsi_policy_deny (error, "the value name under '%s' is missing, has control characters "
                            "or is not UTF-8", key);
  if (manifest == NULL)
    return wsi_policy_deny (error, "%s\\%s: without a manifest nothing may be written", key, name);

  if (wsi_reg_key_is (&k, FALSE, san_key))
    {
      for (guint i = 0; i < manifest->providers->len; i++)
        {
          const WsiManifestProvider *p = g_ptr_array_index (manifest->providers, i);
          if (p->san && p->san_registration != NULL && wsi_str_equal_nocase (p->san_registration, name))
            return TRUE;
        }
      return wsi_policy_deny (error, "'%s' under %s is not a SAN registration of %s", name, key,
                              manifest->product.id);
    }
  /* Whatever the manifest declares: <Windows transport>\Parameters\Winsock
   * is Windows' own. */
  if (g_strv_length (k.segments) == 3 && !k.absolute && wsi_policy_transport_is_windows (k.segments[0])
      && wsi_str_equal_nocase (k.segments[1], "Parameters") && wsi_str_equal_nocase (k.segments[2], "Winsock"))
    return wsi_policy_deny (error, "%s\\%s: %s is a transport of Windows, not of %s", key, name,
                            k.segments[0], manifest->product.id != NULL ? manifest->product.id : "this manifest");
  if (wsi_reg_key_is (&k, FALSE, winsock_key))
    {
      const WsiManifestWshHelper *windows = wsi_manifest_windows_transport (manifest);

      /* Transports would list the helper's transport: not one of Windows'. */
      if (windows != NULL)
        return wsi_policy_deny (error, "%s\\%s: the manifest's WSH helper is for %s, a "
                                "transport of Windows", key, name, windows->transport);
      if (wsi_str_equal_nocase (name, WSI_REG_NAME_TRANSPORTS) && manifest->wsh_helpers->len > 0)
        return TRUE;
      return wsi_policy_deny (error, "%s\\%s: a manifest may write only Transports there, and "
                              "only when it declares a WSH helper", key, name);
    }
  for (guint i = 0; i < manifest->wsh_helpers->len; i++)
    {
      const WsiManifestWshHelper *h = g_ptr_array_index (manifest->wsh_helpers, i);
      const char *const wsh_key[] = { h->transport, "Parameters", "Winsock", NULL };

      if (!wsi_transport_is_plain (h->transport) || !wsi_reg_key_is (&k, FALSE, wsh_key))
        continue;
      for (guint n = 0; n < G_N_ELEMENTS (wsh_names); n++)
        if (wsi_str_equal_nocase (name, wsh_names[n]))
          return TRUE;
      return wsi_policy_deny (error, "%s\\%s is not a WSH helper value (Mapping, HelperDllName, "
                              "MinSockaddrLength, MaxSockaddrLength)", key, name);
    }
  if (manifest->product.id != NULL && manifest->product.id[0] != '\0' && strchr (manifest->product.id, '\\') == NULL)
    {
      g_autofree char *own = g_strconcat (WSI_REG_KEY_PRODUCTS "\\", manifest->product.id, NULL);
      g_auto(WsiRegKey) product = { 0 };
      if (wsi_reg_key_parse (own, &product, NULL) && wsi_reg_key_is (&k, product.absolute,
                                                                    (const char *const *) product.segments))
        return TRUE;
    }
  return wsi_policy_deny (error, "%s is not a key %s may write", key,
                          manifest->product.id != NULL ? manifest->product.id : "this manifest");
}

gboolean
wsi_policy_check_san_unregister (const WsiRegistry *current, const char *name, const WsiGuid *guid, GError **error)
{
  g_autoptr(GBytes) data = NULL;
  WsiRegType type = 0;
  guint8 raw[16];
  gsize len = 0;
  const guint8 *bytes;

  g_return_val_if_fail (current != NULL && guid != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (name == NULL || !g_utf8_validate (name, -1, NULL) || wsi_has_control_char (name))
    return wsi_policy_deny (error, "the TCP on SAN value name is missing, has control characters "
                            "or is not UTF-8");
  if (!wsi_registry_get (current, WSI_REG_KEY_TCP_ON_SAN, name, &type, &data))
    return wsi_policy_deny (error, "%s\\%s does not exist, so it registers nothing to remove",
                            WSI_REG_KEY_TCP_ON_SAN, name);
  wsi_guid_to_bytes (guid, raw);
  bytes = g_bytes_get_data (data, &len);
  if (type != WSI_REG_BINARY || len != sizeof raw || memcmp (bytes, raw, sizeof raw) != 0)
    return wsi_policy_deny (error, "%s\\%s registers another provider", WSI_REG_KEY_TCP_ON_SAN,
                            name);
  return TRUE;
}

/* --- DLL paths --- */

/* Variables that expand to directories only administrators can write. */
static const char *const wsi_allowed_variables[] = {
  "SystemRoot", "windir", "ProgramFiles", "ProgramFiles(x86)", "ProgramW6432",
  "CommonProgramFiles", "CommonProgramFiles(x86)", "CommonProgramW6432",
};

/* Below the drive root: directories users can write (or own). */
static const char *const wsi_user_roots[] = {
  "Users", "Documents and Settings", "ProgramData", "$Recycle.Bin", "RECYCLER", "Recycled",
};

/* Below %SystemRoot%: directories that a standard user can create files in
 * on a default installation, so a DLL there may have been planted. */
static const char *const wsi_windows_writable[] = {
  "Temp", "Tasks", "Tracing", "Debug", "Registration\\CRMLog", "System32\\Tasks", "System32\\Tasks_Migrated",
  "System32\\spool", "System32\\com\\dmp", "System32\\FxsTmp", "System32\\Microsoft\\Crypto\\RSA\\MachineKeys",
  "SysWOW64\\Tasks", "SysWOW64\\com\\dmp", "SysWOW64\\FxsTmp", "ServiceProfiles",
};

/* Win32 maps these names, with any extension, to devices in every directory. */
static const char *const wsi_device_names[] = {
  "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
  "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
  "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
};

static const char *
wsi_path_fail (char **reason, const char *tag, const char *format, ...) G_GNUC_PRINTF (3, 4);

static const char *
wsi_path_fail (char **reason, const char *tag, const char *format, ...)
{
  va_list args;

  if (reason != NULL)
    {
      va_start (args, format);
      *reason = g_strdup_vprintf (format, args);
      va_end (args);
    }
  return tag;
}

/* The lists below are ASCII, and Windows compares names by upcasing each
 * UTF-16 unit: ASCII case folding matches it (full Unicode folding would
 * not: it maps the Kelvin sign to 'k', which Windows keeps apart). */
static gboolean
wsi_in_list_nocase (const char *text, const char *const *list, gsize n)
{
  for (gsize i = 0; i < n; i++)
    if (g_ascii_strcasecmp (text, list[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Is @rest (a plain relative path) strictly below the directory @prefix? */
static gboolean
wsi_path_below (const char *rest, const char *prefix)
{
  gsize n = strlen (prefix);

  return g_ascii_strncasecmp (rest, prefix, n) == 0 && rest[n] == '\\' && rest[n + 1] != '\0';
}

/* Is the name before the first dot (trailing spaces ignored, as Win32
 * does) a reserved device name? */
static gboolean
wsi_is_device_name (const char *seg)
{
  const char *dot = strchr (seg, '.');
  gsize n = dot != NULL ? (gsize) (dot - seg) : strlen (seg);

  while (n > 0 && seg[n - 1] == ' ')
    n--;
  if (n < 3 || n > 7)
    return FALSE;
  /* Every device name starts with one of these letters: most segments stop
   * here. */
  if (strchr ("CcPpAaNnLl", seg[0]) == NULL)
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (wsi_device_names); i++)
    if (strlen (wsi_device_names[i]) == n && g_ascii_strncasecmp (seg, wsi_device_names[i], n) == 0)
      return TRUE;
  return FALSE;
}

/* One path segment must name exactly one file or directory. */
static const char *
wsi_check_segment (const char *seg, char **reason)
{
  gsize len = strlen (seg);

  if (len == 0)
    return wsi_path_fail (reason, "path-not-canonical", "the path has an empty segment (\\\\ or a trailing \\)");
  if (strcmp (seg, ".") == 0 || strcmp (seg, "..") == 0)
    return wsi_path_fail (reason, "path-not-canonical", "the path has a '%s' segment", seg);
  /* Win32 strips trailing dots and spaces: "Users." opens "Users". */
  if (seg[len - 1] == '.' || seg[len - 1] == ' ')
    return wsi_path_fail (reason, "path-not-canonical", "the segment '%s' ends in a dot or a space, which Windows strips",
                          seg);
  /* An 8.3 alias (PROGRA~3) may name any directory, ProgramData included. */
  for (const char *t = strchr (seg, '~'); t != NULL; t = strchr (t + 1, '~'))
    if (g_ascii_isdigit (t[1]))
      return wsi_path_fail (reason, "path-not-canonical", "'%s' looks like an 8.3 short name; write the long name", seg);
  if (wsi_is_device_name (seg))
    return wsi_path_fail (reason, "path-not-canonical", "'%s' is a device name in every directory", seg);
  return NULL;
}

const char *
wsi_policy_dll_path_problem (WsiProfile profile, const char *path, char **reason)
{
  g_autofree char *norm = NULL;
  g_autofree char *split = NULL;
  g_autofree const char **segments = NULL;
  const char *rest;
  const char *variable_end = NULL;
  g_autofree char *variable = NULL;
  gboolean drive = FALSE;
  guint n;

  if (reason != NULL)
    *reason = NULL;
  if (path == NULL || path[0] == '\0')
    return wsi_path_fail (reason, "path-not-absolute", "the path is empty");
  if (!g_utf8_validate (path, -1, NULL) || wsi_has_control_char (path))
    return wsi_path_fail (reason, "path-not-canonical", "the path has control characters or is not UTF-8");
  /* Win32 takes '/' for '\': check the form Windows will use. */
  norm = g_strdup (path);
  for (char *p = norm; *p != '\0'; p++)
    if (*p == '/')
      *p = '\\';

  if (norm[0] == '\\' && norm[1] == '\\')
    {
      if ((norm[2] == '?' || norm[2] == '.') && norm[3] == '\\')
        return wsi_path_fail (reason, "path-not-allowed", "'%s' is a device or extended-length path (\\\\?\\, \\\\.\\)",
                              path);
      return wsi_path_fail (reason, "path-not-allowed", "'%s' is a network (UNC) path", path);
    }
  if (strncmp (norm, "\\??\\", 4) == 0)
    return wsi_path_fail (reason, "path-not-allowed", "'%s' is an NT object path", path);
  if (strpbrk (norm, "<>\"|?*") != NULL)
    return wsi_path_fail (reason, "path-not-canonical", "the path has a wildcard or a character Windows forbids in names");

  if (profile == WSI_PROFILE_CE)
    {
      if (norm[0] != '\\')
        return wsi_path_fail (reason, "path-not-absolute", "CE paths start with \\ (\\Windows\\x.dll)");
      if (strchr (norm, '%') != NULL)
        return wsi_path_fail (reason, "path-not-allowed", "Windows CE does not expand environment variables in paths");
      rest = norm + 1;
    }
  else if (g_ascii_isalpha (norm[0]) && norm[1] == ':')
    {
      if (norm[2] != '\\')
        return wsi_path_fail (reason, "path-not-absolute", "'%s' is relative to the current directory of drive %c:", path,
                              norm[0]);
      drive = TRUE;
      rest = norm + 3;
    }
  else if (norm[0] == '%')
    {
      variable_end = strchr (norm + 1, '%');
      if (variable_end == NULL || variable_end == norm + 1)
        return wsi_path_fail (reason, "path-not-absolute", "'%s' starts with an unterminated %% variable", path);
      variable = g_strndup (norm + 1, (gsize) (variable_end - norm - 1));
      if (!wsi_in_list_nocase (variable, wsi_allowed_variables, G_N_ELEMENTS (wsi_allowed_variables)))
        return wsi_path_fail (reason, "path-not-allowed",
                              "%%%s%% is not one of the variables that name administrator-only directories", variable);
      if (variable_end[1] != '\\')
        return wsi_path_fail (reason, "path-not-canonical", "%%%s%% must be followed by \\ and the rest of the path",
                              variable);
      rest = variable_end + 2;
    }
  else if (norm[0] == '\\')
    return wsi_path_fail (reason, "path-not-absolute", "'%s' is relative to the current drive", path);
  else
    return wsi_path_fail (reason, "path-not-absolute", "'%s' is relative", path);

  /* The loader expands every %VAR% of a catalog path, not just the first. */
  if (strchr (rest, '%') != NULL)
    return wsi_path_fail (reason, "path-not-allowed", "only the first segment may be an environment variable");
  if (strchr (rest, ':') != NULL)
    return wsi_path_fail (reason, "path-not-canonical", "':' after the drive names an alternate data stream");

  /* Split in one copy, with one array: this runs for every DLL path of
   * every manifest `validate` reads, and g_strsplit's allocation per
   * segment showed. An empty rest has no segment, as with g_strsplit. */
  n = 0;
  if (*rest != '\0')
    {
      char *s;

      split = g_strdup (rest);
      n = 1;
      for (s = split; *s != '\0'; s++)
        n += *s == '\\';
      segments = g_new (const char *, n);
      segments[0] = split;
      n = 1;
      for (s = split; *s != '\0'; s++)
        if (*s == '\\')
          {
            *s = '\0';
            segments[n++] = s + 1;
          }
    }
  if (n == 0)
    return wsi_path_fail (reason, "path-not-canonical", "'%s' names a directory, not a DLL", path);
  for (guint i = 0; i < n; i++)
    {
      const char *tag = wsi_check_segment (segments[i], reason);
      if (tag != NULL)
        return tag;
    }
  /* A Temp directory is writable by its users wherever it is. */
  for (guint i = 0; i + 1 < n; i++)
    if (g_ascii_strcasecmp (segments[i], "Temp") == 0 || g_ascii_strcasecmp (segments[i], "Tmp") == 0)
      return wsi_path_fail (reason, "path-not-allowed", "'%s' is under a temporary directory", path);

  if (profile == WSI_PROFILE_CE)
    {
      /* The CAB installer's destinations: %CE2% = \Windows, %CE1% = \Program Files.
       * CE has no ACLs; storage cards, \Temp and \My Documents are shared. */
      if (n < 2 || !(g_ascii_strcasecmp (segments[0], "Windows") == 0 || g_ascii_strcasecmp (segments[0], "Program Files") == 0))
        return wsi_path_fail (reason, "path-not-allowed", "'%s' is outside \\Windows and \\Program Files", path);
      return NULL;
    }
  if (drive)
    {
      if (n >= 2 && wsi_in_list_nocase (segments[0], wsi_user_roots, G_N_ELEMENTS (wsi_user_roots)))
        return wsi_path_fail (reason, "path-not-allowed", "'%s' is under \\%s, which users can write", path, segments[0]);
      if (n >= 2 && (g_ascii_strcasecmp (segments[0], "Windows") == 0 || g_ascii_strcasecmp (segments[0], "WINNT") == 0))
        for (gsize w = 0; w < G_N_ELEMENTS (wsi_windows_writable); w++)
          if (wsi_path_below (rest + strlen (segments[0]) + 1, wsi_windows_writable[w]))
            return wsi_path_fail (reason, "path-not-allowed", "'%s' is under \\Windows\\%s, which users can write", path,
                                  wsi_windows_writable[w]);
      return NULL;
    }
  if (g_ascii_strcasecmp (variable, "SystemRoot") == 0 || g_ascii_strcasecmp (variable, "windir") == 0)
    for (gsize w = 0; w < G_N_ELEMENTS (wsi_windows_writable); w++)
      if (wsi_path_below (rest, wsi_windows_writable[w]))
        return wsi_path_fail (reason, "path-not-allowed", "'%s' is under %%%s%%\\%s, which users can write", path, variable,
                              wsi_windows_writable[w]);
  return NULL;
}

gboolean
wsi_policy_check_dll_path (WsiProfile profile, const char *path, GError **error)
{
  g_autofree char *reason = NULL;
  const char *tag = wsi_policy_dll_path_problem (profile, path, &reason);
  WsiError code;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (tag == NULL)
    return TRUE;
  /* Every tag wsi_policy_dll_path_problem() returns has a code. */
  if (!wsi_error_from_tag (tag, &code))
    code = WSI_ERROR_PATH_NOT_ALLOWED;
  g_set_error_literal (error, WSI_ERROR, (int) code, reason);
  return FALSE;
}

gboolean
wsi_policy_check_registry_replay (const char *key, const char *name, GError **error)
{
  g_auto(WsiRegKey) k = { 0 };
  g_auto(WsiRegKey) products = { 0 };
  static const char *const san_key[] = { "Winsock", "Parameters", "TCP on SAN", NULL };
  static const char *const winsock_key[] = { "Winsock", "Parameters", NULL };
  static const char *const wsh_names[] = {
    WSI_REG_NAME_MAPPING, WSI_REG_NAME_HELPER_DLL_NAME, WSI_REG_NAME_MIN_SOCKADDR, WSI_REG_NAME_MAX_SOCKADDR,
  };
  guint n;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!wsi_reg_key_parse (key, &k, error))
    return FALSE;
  if (name == NULL || !g_utf8_validate (name, -1, NULL) || wsi_has_control_char (name))
    return wsi_policy_deny (error, "the value name under '%s' is missing, has control characters "
                            "or is not UTF-8", key);
  n = g_strv_length (k.segments);
  if (wsi_reg_key_is (&k, FALSE, san_key))
    return TRUE;
  if (wsi_reg_key_is (&k, FALSE, winsock_key))
    {
      if (wsi_str_equal_nocase (name, WSI_REG_NAME_TRANSPORTS))
        return TRUE;
      return wsi_policy_deny (error, "%s\\%s: only Transports is ever written there", key, name);
    }
  if (!k.absolute && n == 3 && wsi_transport_is_plain (k.segments[0]) &&
      wsi_str_equal_nocase (k.segments[1], "Parameters") && wsi_str_equal_nocase (k.segments[2], "Winsock"))
    {
      /* No manifest may own a transport of Windows, so no journal of one
       * ever writes there. */
      if (wsi_policy_transport_is_windows (k.segments[0]))
        return wsi_policy_deny (error, "%s belongs to a transport of Windows", key);
      for (gsize i = 0; i < G_N_ELEMENTS (wsh_names); i++)
        if (wsi_str_equal_nocase (name, wsh_names[i]))
          return TRUE;
      return wsi_policy_deny (error, "%s\\%s is not a WSH helper value", key, name);
    }
  /* HKLM\SOFTWARE\wsinstall\Products\<one product id>. */
  if (wsi_reg_key_parse (WSI_REG_KEY_PRODUCTS, &products, NULL) && k.absolute == products.absolute &&
      n == g_strv_length (products.segments) + 1)
    {
      gboolean below = TRUE;
      for (guint i = 0; products.segments[i] != NULL && below; i++)
        below = wsi_str_equal_nocase (k.segments[i], products.segments[i]);
      if (below)
        return TRUE;
    }
  return wsi_policy_deny (error, "%s is not a key any manifest may write", key);
}
