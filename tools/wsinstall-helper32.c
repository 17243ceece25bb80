/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsinstall-helper32.c: `wsinstall wsc32 run|enum`, the x86 helper's side
 * of the narrow interface the x64 engine uses for the 32-bit catalog
 * (engine/wsi-win32-helper.h). Run by the x64 wsinstall (or the MSI custom
 * action) with the live machine already locked by the caller: it takes no
 * lock itself, which would wait for its own parent.
 *
 *   wsc32 run [--call FILE] [--validate-only]
 *       reads ONE WSC call (wsi-wsc-call.h's JSON form) from stdin or FILE,
 *       checks it (wsi_helper32_request_parse: catalog 32, the calls a
 *       64-bit process cannot make there, paths held to the write policy),
 *       makes that one call on this process's native catalog (32-bit
 *       wsinstall only) and prints the answer ({"status":"ok"} or
 *       {"status":"failed",...}) on stdout. It is a remote backend: it
 *       does not check the effect; the x64 caller enumerates again, as it
 *       does after its own calls. Exit 0 done, 1 the call failed,
 *       2 refused.
 *   wsc32 enum
 *       prints the native (32-bit) catalog as a snapshot. */
#include "wsinstall-cli.h"

#include <stdio.h>
#include <string.h>
#ifdef G_OS_WIN32
#include <fcntl.h>
#include <io.h>
#endif

#include "wsi-error.h"
#include "wsi-snapshot.h"
#include "wsi-win32-helper.h"
#ifdef G_OS_WIN32
#include "wsi-backend-win32.h"
#endif

/* Reads all of @path ("-": stdin), at most @max bytes (one more tells it
 * was longer). */
static gboolean
wsi_helper_read_input (const char *path, gsize max, GByteArray **out, GError **error)
{
  g_autoptr(GByteArray) buf = g_byte_array_new ();
  FILE *f = stdin;

  if (g_strcmp0 (path, "-") != 0)
    {
      f = fopen (path, "rb");
      if (f == NULL)
        {
          g_set_error (error, WSI_ERROR, WSI_ERROR_IO, "cannot open %s", path);
          return FALSE;
        }
    }
#ifdef G_OS_WIN32
  else
    _setmode (_fileno (stdin), _O_BINARY);
#endif
  while (buf->len <= max)
    {
      guint8 chunk[65536];
      size_t got = fread (chunk, 1, sizeof chunk, f);
      if (got == 0)
        break;
      g_byte_array_append (buf, chunk, (guint) MIN (got, max + 1 - buf->len));
    }
  if (f != stdin)
    fclose (f);
  *out = g_steal_pointer (&buf);
  return TRUE;
}

static int
wsi_helper_answer (const GError *error, int rc)
{
  g_autofree char *answer = wsi_helper32_result_to_json (error);
  g_autofree char *line = g_strconcat (answer, "\n", NULL);

  if (error != NULL)
    {
      g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
      wsi_diag_list_add (diags, wsi_error_to_tag (error), "wsc32", 0, "%s", error->message);
      wsi_cli_finish_diags (diags, rc);
    }
  return wsi_cli_print (line) ? rc : WSI_EXIT_USAGE;
}

#ifdef G_OS_WIN32
static int
wsi_helper_execute (const WsiWscCall *call)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WsiBackend) backend = NULL;

  /* Only a 32-bit process reaches the 32-bit catalog with the plain calls. */
  if (GLIB_SIZEOF_VOID_P != 4)
    {
      g_set_error_literal (&error, WSI_ERROR, WSI_ERROR_HELPER_REQUEST_INVALID,
                           "only the 32-bit (x86) wsinstall.exe makes catalog-32 calls");
      return wsi_helper_answer (error, WSI_EXIT_USAGE);
    }
  backend = wsi_backend_win32_new (WSI_WIN32_FOR_WRITING, NULL, &error);
  if (backend == NULL)
    return wsi_helper_answer (error, WSI_EXIT_USAGE);
  if (!wsi_wsc_call_execute (call, backend, &error))
    return wsi_helper_answer (error, WSI_EXIT_PROBLEMS);
  return wsi_helper_answer (NULL, WSI_EXIT_OK);
}
#endif

int
wsi_cmd_wsc32_run (int argc, char **argv)
{
  g_autofree char *call_file = NULL;
  gboolean validate_only = FALSE;
  const GOptionEntry entries[] = {
    { "call", 'c', 0, G_OPTION_ARG_FILENAME, &call_file, "Read the call from FILE instead of stdin", "FILE" },
    { "validate-only", 0, 0, G_OPTION_ARG_NONE, &validate_only, "Check the call, do not make it", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr(GByteArray) input = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WsiWscCall) call = NULL;

  g_option_context_set_summary (ctx,
    "The x86 helper: make ONE WSC call on the 32-bit catalog (a call record in\n"
    "JSON) as this process's native catalog. Used by the x64 wsinstall; not for\n"
    "people.\n\n"
    "Exit status: 0 done, 1 the call failed, 2 refused.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!wsi_cli_parse (ctx, &argc, &argv))
    return WSI_EXIT_USAGE;
  if (argc != 1)
    return wsi_cli_usage_error ("wsc32 run takes no arguments (the call comes on stdin or with --call)");
  if (!wsi_helper_read_input (call_file != NULL ? call_file : "-", WSI_HELPER32_MAX_REQUEST, &input, &error))
    return wsi_helper_answer (error, WSI_EXIT_USAGE);
  call = wsi_helper32_request_parse ((const char *) input->data, input->len, &error);
  if (call == NULL)
    return wsi_helper_answer (error, WSI_EXIT_USAGE);
  if (validate_only)
    return wsi_helper_answer (NULL, WSI_EXIT_OK);
#ifdef G_OS_WIN32
  return wsi_helper_execute (call);
#else
  g_set_error_literal (&error, WSI_ERROR, WSI_ERROR_HELPER_REQUEST_INVALID,
                       "only the 32-bit (x86) Windows build makes catalog-32 calls");
  return wsi_helper_answer (error, WSI_EXIT_USAGE);
#endif
}

int
wsi_cmd_wsc32_enum (int argc, char **argv)
{
  g_autoptr(GOptionContext) ctx = g_option_context_new (NULL);

  g_option_context_set_summary (ctx,
    "The x86 helper: print this process's native (32-bit) catalog as a\n"
    "snapshot. Used by the x64 wsinstall when ws2_32 lacks WSCEnumProtocols32.");
  if (!wsi_cli_parse (ctx, &argc, &argv))
    return WSI_EXIT_USAGE;
  if (argc != 1)
    return wsi_cli_usage_error ("wsc32 enum takes no arguments");
#ifdef G_OS_WIN32
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(WsiBackend) backend = NULL;
    g_autofree char *text = NULL;
    const WsiMachine *machine;

    if (GLIB_SIZEOF_VOID_P != 4)
      return wsi_cli_usage_error ("only the 32-bit (x86) wsinstall.exe enumerates for the helper");
    backend = wsi_backend_win32_new (WSI_WIN32_READ_ONLY, NULL, &error);
    machine = backend != NULL ? wsi_backend_peek (backend, &error) : NULL;
    if (machine == NULL)
      {
        g_printerr ("wsinstall: %s\n", error->message);
        return WSI_EXIT_PROBLEMS;
      }
    text = wsi_snapshot_to_string (machine);
    return wsi_cli_print (text) ? WSI_EXIT_OK : WSI_EXIT_USAGE;
  }
#else
  return wsi_cli_usage_error ("wsc32 enum runs only in the 32-bit (x86) Windows build");
#endif
}
