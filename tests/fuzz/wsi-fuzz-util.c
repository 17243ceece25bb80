/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-fuzz-util.c */
#include "wsi-fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef WSI_FUZZ_DATA_DIR
#error "WSI_FUZZ_DATA_DIR must name tests/data"
#endif

void
wsi_fuzz_init (void)
{
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
}

static gboolean input_sampled;

/* Every byte counts (a hash of the ends alone let a sampled hive pass its
 * sample on to every child mutated in the middle), eight at a time, and
 * the loop is not instrumented: the hash is the harness's, not the code
 * under test. */
__attribute__ ((no_sanitize ("coverage"))) void
wsi_fuzz_set_input (const uint8_t *data, size_t size)
{
  guint64 h = 0x9E3779B97F4A7C15u ^ size;
  size_t i = 0;

  for (; i + 8 <= size; i += 8)
    {
      guint64 w;
      memcpy (&w, data + i, 8);
      h = (h ^ w) * 0xFF51AFD7ED558CCDu;
      h ^= h >> 29;
    }
  for (; i < size; i++)
    h = (h ^ data[i]) * 0x100000001B3u;
  h ^= h >> 32;
  input_sampled = h % WSI_FUZZ_SAMPLE == 0;
}

gboolean
wsi_fuzz_sampled (void)
{
  return input_sampled;
}

static void G_GNUC_NORETURN G_GNUC_PRINTF (1, 2)
wsi_fuzz_fail (const char *format, ...)
{
  va_list args;

  va_start (args, format);
  vfprintf (stderr, format, args);
  va_end (args);
  fputc ('\n', stderr);
  abort ();
}

void
wsi_fuzz_check_result (gconstpointer result, const WsiDiagList *diags, const char *what)
{
  for (guint i = 0; i < wsi_diag_list_get_size (diags); i++)
    {
      const WsiDiag *d = wsi_diag_list_get (diags, i);
      if (wsi_tag_lookup (d->tag) == NULL)
        wsi_fuzz_fail ("%s: unregistered tag '%s'", what, d->tag);
      if (d->message == NULL || d->message[0] == '\0')
        wsi_fuzz_fail ("%s: diagnostic '%s' without a message", what, d->tag);
      if (!g_utf8_validate (d->message, -1, NULL))
        wsi_fuzz_fail ("%s: diagnostic '%s' with a message that is not UTF-8", what, d->tag);
    }
  if (result == NULL && !wsi_diag_list_has_errors (diags))
    wsi_fuzz_fail ("%s: failed without an error diagnostic", what);
  if (result != NULL && wsi_diag_list_has_errors (diags))
    {
      g_autofree char *text = wsi_diag_render (diags, WSI_DIAG_FORMAT_TEXT);
      wsi_fuzz_fail ("%s: returned a result despite errors:\n%s", what, text);
    }
  /* Every renderer must take what the loaders produce. */
  for (int f = wsi_fuzz_sampled () ? WSI_DIAG_FORMAT_TEXT : WSI_DIAG_FORMAT_GITHUB + 1; f <= WSI_DIAG_FORMAT_GITHUB; f++)
    g_free (wsi_diag_render (diags, (WsiDiagFormat) f));
}

void
wsi_fuzz_check_snapshot_roundtrip (const WsiMachine *machine)
{
  g_autofree char *first = wsi_snapshot_to_string (machine);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) again = wsi_snapshot_load_memory (first, strlen (first), "roundtrip.xml", diags);
  g_autofree char *second = NULL;

  if (again == NULL)
    {
      g_autofree char *text = wsi_diag_render (diags, WSI_DIAG_FORMAT_TEXT);
      wsi_fuzz_fail ("a machine's own snapshot does not load:\n%s\n%s", text, first);
    }
  second = wsi_snapshot_to_string (again);
  if (strcmp (first, second) != 0)
    wsi_fuzz_fail ("snapshot round trip changed the machine:\n%s\n---\n%s", first, second);
}

WsiMachine *const *
wsi_fuzz_reference_machines (guint *n)
{
  static GPtrArray *machines = NULL;

  if (machines == NULL)
    {
      static const char *const names[] = {
        "win7-x86.xml", "win7-x86-lsp.xml", "win10-1709-x64.xml", "broken-x64.xml",
      };
      machines = g_ptr_array_new ();
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        {
          g_autofree char *path = g_build_filename (WSI_FUZZ_DATA_DIR, "snapshots", names[i], NULL);
          g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
          WsiMachine *m = wsi_snapshot_load_file (path, diags);
          if (m == NULL)
            wsi_fuzz_fail ("cannot load the reference machine %s", path);
          g_ptr_array_add (machines, m);
        }
      /* The CE kind has no reference snapshot: an empty CE machine. */
      g_ptr_array_add (machines, wsi_machine_new (WSI_MACHINE_CE));
    }
  *n = machines->len;
  return (WsiMachine *const *) machines->pdata;
}

void
wsi_fuzz_check_imported (const WsiMachine *machine)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) reg = NULL;
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) again = NULL;
  const WsiImportOptions options = { TRUE, wsi_machine_get_kind (machine), "fuzz", FALSE };
  gsize len;
  const guint8 *p;

  if (!wsi_fuzz_sampled ())
    return;
  wsi_fuzz_check_snapshot_roundtrip (machine);
  reg = wsi_export_reg_to_bytes (machine, &error);
  if (reg == NULL)
    return;   /* a path the packed item cannot hold: refused, not a crash */
  p = g_bytes_get_data (reg, &len);
  again = wsi_import_reg_memory (p, len, "export.reg", &options, diags);
  if (again == NULL)
    {
      g_autofree char *text = wsi_diag_render (diags, WSI_DIAG_FORMAT_TEXT);
      wsi_fuzz_fail ("an imported machine's own .reg export does not import:\n%s", text);
    }
}
