/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-win32-process.c: the process around the live backend: rights, WOW64,
 * where the x86 helper lives, and starting the helper.
 *
 * The helper is started with CreateProcessW and anonymous pipes, not
 * g_spawn: GLib's Windows spawn needs gspawn-win*-helper.exe beside the
 * program, which a static wsinstall.exe does not ship. Pipes rather than
 * temporary files: nobody else can swap the request between writing and
 * reading it. */
#include "wsi-backend-win32.h"
#include "wsi-win32-private.h"
#include "wsi-win32-helper.h"

#include <windows.h>
#include <string.h>

#include "wsi-error.h"

/* Set in the helper's environment. */
#define WSI_HELPER_CHILD_ENV "WSINSTALL_HELPER32_CHILD"

gboolean
wsi_win32_is_wow64 (void)
{
#if GLIB_SIZEOF_VOID_P == 8
  return FALSE;
#else
  BOOL wow64 = FALSE;
  return IsWow64Process (GetCurrentProcess (), &wow64) && wow64;
#endif
}

gboolean
wsi_win32_is_admin (void)
{
  SID_IDENTIFIER_AUTHORITY nt = { SECURITY_NT_AUTHORITY };
  PSID admins = NULL;
  BOOL member = FALSE;

  if (g_strcmp0 (g_getenv ("WSINSTALL_ASSUME_NOT_ADMIN"), "1") == 0)
    return FALSE;
  /* Under UAC an administrator's unelevated token holds the group as
   * deny-only: CheckTokenMembership says no, which is what WSC calls will
   * say too (WSANO_RECOVERY). */
  if (!AllocateAndInitializeSid (&nt, 2, SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_ADMINS, 0, 0, 0, 0, 0, 0,
                                 &admins))
    return FALSE;
  if (!CheckTokenMembership (NULL, admins, &member))
    member = FALSE;
  FreeSid (admins);
  return member;
}

char *
wsi_win32_default_helper32 (void)
{
  const char *env = g_getenv ("WSINSTALL_HELPER32");
  WCHAR self[32768];
  DWORD n;
  g_autofree char *utf8 = NULL;
  g_autofree char *dir = NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  n = GetModuleFileNameW (NULL, self, G_N_ELEMENTS (self));
  if (n == 0 || n >= G_N_ELEMENTS (self))
    return NULL;
  utf8 = g_utf16_to_utf8 ((const gunichar2 *) self, (glong) n, NULL, NULL, NULL);
  if (utf8 == NULL)
    return NULL;
  dir = g_path_get_dirname (utf8);
  return g_build_filename (dir, "wsinstall-x86.exe", NULL);
}

static gboolean
wsi_spawn_fail (GError **error, const char *what, const char *exe)
{
  g_set_error (error, WSI_ERROR, WSI_ERROR_HELPER_FAILED, "%s %s (Windows error %lu)", what,
               exe, (unsigned long) GetLastError ());
  return FALSE;
}

/* stderr for the child: ours when we have one, else the NUL device (in an
 * MSI custom action there is no console). Inheritable either way. */
static HANDLE
wsi_spawn_stderr (void)
{
  SECURITY_ATTRIBUTES sa = { sizeof sa, NULL, TRUE };
  HANDLE mine = GetStdHandle (STD_ERROR_HANDLE);
  HANDLE dup = NULL;

  if (mine != NULL && mine != INVALID_HANDLE_VALUE &&
      DuplicateHandle (GetCurrentProcess (), mine, GetCurrentProcess (), &dup, 0, TRUE, DUPLICATE_SAME_ACCESS))
    return dup;
  return CreateFileW (L"NUL", GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa, OPEN_EXISTING, 0, NULL);
}

gboolean
wsi_win32_spawn (const char *exe, const char *const *args, const char *input, gsize input_len, gsize max_output,
                 GByteArray **output, int *exit_status, GError **error)
{
  SECURITY_ATTRIBUTES sa = { sizeof sa, NULL, TRUE };
  HANDLE in_r = NULL, in_w = NULL, out_r = NULL, out_w = NULL, err_w;
  STARTUPINFOW si = { 0 };
  PROCESS_INFORMATION pi = { 0 };
  g_autoptr(GString) cmdline = g_string_new (NULL);
  g_autofree gunichar2 *wexe = NULL;
  g_autofree gunichar2 *wcmd = NULL;
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gboolean too_much = FALSE;
  DWORD code = 0;
  BOOL started;

  /* A helper never starts a helper: a wrong WSINSTALL_HELPER32 (a 64-bit
   * build, which itself needs a helper) must fail, not fork forever. */
  if (g_getenv (WSI_HELPER_CHILD_ENV) != NULL)
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_HELPER_FAILED, "the x86 helper %s needs a helper itself: it is not an x86 "
                   "wsinstall", exe);
      return FALSE;
    }
  if (strchr (exe, '"') != NULL || (wexe = g_utf8_to_utf16 (exe, -1, NULL, NULL, NULL)) == NULL)
    return wsi_spawn_fail (error, "cannot name", exe);
  if (GetFileAttributesW ((LPCWSTR) wexe) == INVALID_FILE_ATTRIBUTES)
    return wsi_spawn_fail (error, "the x86 helper is missing: no", exe);
  g_string_append_printf (cmdline, "\"%s\"", exe);
  for (guint i = 0; args[i] != NULL; i++)
    g_string_append_printf (cmdline, " %s", args[i]);
  wcmd = g_utf8_to_utf16 (cmdline->str, -1, NULL, NULL, NULL);

  if (!CreatePipe (&in_r, &in_w, &sa, 0))
    return wsi_spawn_fail (error, "cannot make a pipe for", exe);
  if (!CreatePipe (&out_r, &out_w, &sa, 0))
    {
      CloseHandle (in_r);
      CloseHandle (in_w);
      return wsi_spawn_fail (error, "cannot make a pipe for", exe);
    }
  /* Only the child's ends are inherited. */
  SetHandleInformation (in_w, HANDLE_FLAG_INHERIT, 0);
  SetHandleInformation (out_r, HANDLE_FLAG_INHERIT, 0);
  err_w = wsi_spawn_stderr ();
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = in_r;
  si.hStdOutput = out_w;
  si.hStdError = err_w;
  /* The child inherits our environment, marked. */
  g_setenv (WSI_HELPER_CHILD_ENV, "1", TRUE);
  started = CreateProcessW ((LPCWSTR) wexe, (LPWSTR) wcmd, NULL, NULL, TRUE, CREATE_NO_WINDOW, NULL, NULL, &si, &pi);
  g_unsetenv (WSI_HELPER_CHILD_ENV);
  CloseHandle (in_r);
  CloseHandle (out_w);
  if (err_w != INVALID_HANDLE_VALUE)
    CloseHandle (err_w);
  if (!started)
    {
      CloseHandle (in_w);
      CloseHandle (out_r);
      return wsi_spawn_fail (error, "cannot start", exe);
    }

  /* The helper reads its whole request before it writes a byte, so writing
   * everything first and reading afterwards cannot deadlock. A helper that
   * died early makes WriteFile fail: its answer (or lack of one) says why. */
  for (gsize done = 0; done < input_len;)
    {
      DWORD wrote = 0;
      DWORD chunk = (DWORD) MIN (input_len - done, (gsize) 65536);
      if (!WriteFile (in_w, input + done, chunk, &wrote, NULL) || wrote == 0)
        break;
      done += wrote;
    }
  CloseHandle (in_w);
  for (;;)
    {
      guint8 buf[65536];
      DWORD got = 0;
      if (!ReadFile (out_r, buf, sizeof buf, &got, NULL) || got == 0)
        break;
      if (out->len + got > max_output)
        {
          too_much = TRUE;
          TerminateProcess (pi.hProcess, 3);
          break;
        }
      g_byte_array_append (out, buf, got);
    }
  CloseHandle (out_r);
  WaitForSingleObject (pi.hProcess, INFINITE);
  GetExitCodeProcess (pi.hProcess, &code);
  CloseHandle (pi.hProcess);
  CloseHandle (pi.hThread);
  if (too_much)
    {
      g_set_error (error, WSI_ERROR, WSI_ERROR_HELPER_FAILED, "the x86 helper %s said more than %" G_GSIZE_FORMAT " bytes",
                   exe, max_output);
      return FALSE;
    }
  *exit_status = (int) code;
  *output = g_steal_pointer (&out);
  return TRUE;
}
