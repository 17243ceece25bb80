/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-win32-journal-dir.c: the folder of the live journals,
 * %ProgramData%\wsinstall\journals, and who may write in it.
 *
 * wsinstall runs as SYSTEM inside installers and replays a journal's steps
 * (WSCInstallProvider with the DLL path the journal names). A new folder
 * below %ProgramData% inherits an ACL that lets standard users create
 * files, so a user could plant an in-progress journal for the next
 * `recover --live` to "roll back". The folders are therefore created with a
 * protected DACL (no inherited ACEs) that only SYSTEM and Administrators
 * can write, and every folder and journal is checked before it is read:
 * its owner must be SYSTEM, Administrators, TrustedInstaller (or the
 * elevated administrator running wsinstall), and no ACE may let anyone
 * else write, delete or re-permission it. */
#include "wsi-backend-win32.h"

#include <windows.h>
#include <aclapi.h>
#include <sddl.h>
#include <shlobj.h>
#include <string.h>

#include "wsi-error.h"
#include "wsi-live-journal.h"

/* SYSTEM and Administrators: full control; Users: read and execute (so
 * `recover --live` of a plain user can say "not-admin" rather than fail
 * to list). P: protected, nothing inherited from %ProgramData%. OICI: the
 * journals created inside get the same ACEs. */
#define WSI_JOURNAL_DIR_SDDL L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;0x1200a9;;;BU)"

/* Rights that change a file or folder, its contents or its permissions. */
#define WSI_WRITE_RIGHTS                                                                                     \
  (FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_WRITE_EA | FILE_DELETE_CHILD | FILE_WRITE_ATTRIBUTES | DELETE | \
   WRITE_DAC | WRITE_OWNER | GENERIC_WRITE | GENERIC_ALL)

static gboolean
wsi_untrusted (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
wsi_untrusted (GError **error, const char *format, ...)
{
  va_list args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, WSI_ERROR, WSI_ERROR_UNTRUSTED, "%s", msg);
  return FALSE;
}

/* The user SID of this process's token, to be LocalFree'd; NULL on failure. */
static PSID
wsi_token_user (void)
{
  HANDLE token = NULL;
  DWORD len = 0;
  g_autofree TOKEN_USER *user = NULL;
  PSID copy = NULL;
  DWORD sid_len;

  if (!OpenProcessToken (GetCurrentProcess (), TOKEN_QUERY, &token))
    return NULL;
  GetTokenInformation (token, TokenUser, NULL, 0, &len);
  if (len == 0 || len > 4096)
    {
      CloseHandle (token);
      return NULL;
    }
  user = g_malloc0 (len);
  if (!GetTokenInformation (token, TokenUser, user, len, &len))
    {
      CloseHandle (token);
      return NULL;
    }
  CloseHandle (token);
  sid_len = GetLengthSid (user->User.Sid);
  copy = LocalAlloc (LPTR, sid_len);
  if (copy != NULL && !CopySid (sid_len, copy, user->User.Sid))
    {
      LocalFree (copy);
      copy = NULL;
    }
  return copy;
}

/* SYSTEM, Administrators, TrustedInstaller; and this process's own user
 * when it is an elevated administrator (what it created itself, under an
 * "object creator" owner policy, or Wine's). */
static gboolean
wsi_sid_is_trusted (PSID sid)
{
  static const WELL_KNOWN_SID_TYPE trusted[] = { WinLocalSystemSid, WinBuiltinAdministratorsSid };
  PSID trusted_installer = NULL;
  gboolean ok = FALSE;

  for (gsize i = 0; i < G_N_ELEMENTS (trusted); i++)
    if (IsWellKnownSid (sid, trusted[i]))
      return TRUE;
  /* NT SERVICE\TrustedInstaller owns much of Windows' own files. */
  if (ConvertStringSidToSidW (L"S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464", &trusted_installer))
    {
      ok = EqualSid (sid, trusted_installer);
      LocalFree (trusted_installer);
      if (ok)
        return TRUE;
    }
  if (wsi_win32_is_admin ())
    {
      PSID self = wsi_token_user ();
      if (self != NULL)
        {
          ok = EqualSid (sid, self);
          LocalFree (self);
        }
    }
  return ok;
}

static char *
wsi_sid_text (PSID sid)
{
  LPWSTR w = NULL;
  char *utf8;

  if (!ConvertSidToStringSidW (sid, &w))
    return g_strdup ("(unknown SID)");
  utf8 = g_utf16_to_utf8 ((const gunichar2 *) w, -1, NULL, NULL, NULL);
  LocalFree (w);
  return utf8 != NULL ? utf8 : g_strdup ("(unknown SID)");
}

gboolean
wsi_win32_journal_check (const char *path, gpointer user_data, GError **error)
{
  g_autofree gunichar2 *w = NULL;
  PSECURITY_DESCRIPTOR sd = NULL;
  PSID owner = NULL;
  PACL dacl = NULL;
  DWORD rc;
  DWORD attributes;
  gboolean ok = TRUE;

  g_return_val_if_fail (path != NULL, FALSE);
  w = g_utf8_to_utf16 (path, -1, NULL, NULL, NULL);
  if (w == NULL)
    return wsi_untrusted (error, "%s: the path is not valid UTF-8", path);
  attributes = GetFileAttributesW ((LPCWSTR) w);
  if (attributes == INVALID_FILE_ATTRIBUTES)
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_IO, "cannot read the attributes of %s (Windows error %lu)", path,
                   (unsigned long) GetLastError ());
      return FALSE;
    }
  /* A junction or symbolic link would send SYSTEM somewhere else. */
  if ((attributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0)
    return wsi_untrusted (error, "%s is a link (a reparse point)", path);
  rc = GetNamedSecurityInfoW ((LPCWSTR) w, SE_FILE_OBJECT, OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
                              &owner, NULL, &dacl, NULL, &sd);
  if (rc != ERROR_SUCCESS)
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_IO, "cannot read who may write %s (Windows error %lu)", path,
                   (unsigned long) rc);
      return FALSE;
    }
  if (owner == NULL || !wsi_sid_is_trusted (owner))
    {
      g_autofree char *who = owner != NULL ? wsi_sid_text (owner) : g_strdup ("nobody");
      ok = wsi_untrusted (error, "%s is owned by %s, not by SYSTEM or Administrators", path, who);
    }
  else if (dacl == NULL)
    ok = wsi_untrusted (error, "%s has no DACL: everyone may write it", path);
  else
    for (DWORD i = 0; ok && i < dacl->AceCount; i++)
      {
        ACE_HEADER *header = NULL;
        ACCESS_ALLOWED_ACE *ace;
        PSID sid;

        if (!GetAce (dacl, i, (LPVOID *) &header))
          {
            ok = wsi_untrusted (error, "%s: its DACL cannot be read", path);
            break;
          }
        /* Deny ACEs only take rights away; audit ACEs grant nothing. */
        if (header->AceType == ACCESS_DENIED_ACE_TYPE || header->AceType == ACCESS_DENIED_OBJECT_ACE_TYPE
            || header->AceType == SYSTEM_AUDIT_ACE_TYPE || header->AceType == SYSTEM_ALARM_ACE_TYPE)
          continue;
        if (header->AceType != ACCESS_ALLOWED_ACE_TYPE)
          {
            ok = wsi_untrusted (error, "%s: its DACL has an ACE of type %u, which wsinstall does not judge", path,
                                (guint) header->AceType);
            break;
          }
        ace = (ACCESS_ALLOWED_ACE *) header;
        sid = (PSID) &ace->SidStart;
        if ((ace->Mask & WSI_WRITE_RIGHTS) == 0 || wsi_sid_is_trusted (sid))
          continue;
        /* CREATOR OWNER on a folder stands for whoever creates a child; who
         * may create one is judged by the other ACEs. */
        if ((header->AceFlags & INHERIT_ONLY_ACE) != 0 && IsWellKnownSid (sid, WinCreatorOwnerSid))
          continue;
        {
          g_autofree char *who = wsi_sid_text (sid);
          ok = wsi_untrusted (error, "%s: its DACL lets %s write it (access mask 0x%lx)", path, who,
                              (unsigned long) ace->Mask);
        }
      }
  LocalFree (sd);
  return ok;
}

char *
wsi_win32_journal_dir_path (GError **error)
{
  WCHAR base[MAX_PATH];
  g_autofree char *utf8 = NULL;

  if (FAILED (SHGetFolderPathW (NULL, CSIDL_COMMON_APPDATA, NULL, SHGFP_TYPE_CURRENT, base)) ||
      (utf8 = g_utf16_to_utf8 ((const gunichar2 *) base, -1, NULL, NULL, NULL)) == NULL)
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_IO, "cannot find %%ProgramData%%: name a journal with --journal");
      return NULL;
    }
  return g_build_filename (utf8, "wsinstall", WSI_LIVE_JOURNAL_DIR_NAME, NULL);
}

/* Creates @dir with the protected DACL, or finds it; then checks it. */
static gboolean
wsi_journal_dir_make (const char *dir, PSECURITY_DESCRIPTOR sd, GError **error)
{
  g_autofree gunichar2 *w = g_utf8_to_utf16 (dir, -1, NULL, NULL, NULL);
  SECURITY_ATTRIBUTES sa = { sizeof sa, sd, FALSE };

  if (w == NULL)
    return wsi_untrusted (error, "%s: the path is not valid UTF-8", dir);
  if (!CreateDirectoryW ((LPCWSTR) w, &sa) && GetLastError () != ERROR_ALREADY_EXISTS)
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_IO, "cannot create %s (Windows error %lu)", dir,
                   (unsigned long) GetLastError ());
      return FALSE;
    }
  /* An existing folder may be anyone's: a standard user can create
   * %ProgramData%\wsinstall before wsinstall first runs. */
  return wsi_win32_journal_check (dir, NULL, error);
}

char *
wsi_win32_journal_dir_open (GError **error)
{
  g_autofree char *dir = wsi_win32_journal_dir_path (error);
  g_autofree char *parent = NULL;
  PSECURITY_DESCRIPTOR sd = NULL;
  gboolean ok;

  if (dir == NULL)
    return NULL;
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW (WSI_JOURNAL_DIR_SDDL, SDDL_REVISION_1, &sd, NULL))
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_FAILED, "cannot build the journal folder's ACL (Windows error %lu)",
                   (unsigned long) GetLastError ());
      return NULL;
    }
  /* The parent too: whoever may write %ProgramData%\wsinstall may rename
   * journals\ away and put their own in its place. */
  parent = g_path_get_dirname (dir);
  ok = wsi_journal_dir_make (parent, sd, error) && wsi_journal_dir_make (dir, sd, error);
  LocalFree (sd);
  return ok ? g_steal_pointer (&dir) : NULL;
}
