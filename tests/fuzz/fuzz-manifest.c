/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-manifest.c: the manifest loader (hardened XML, XSD, model, semantic
 * checks) on arbitrary bytes. */
#include "wsi-fuzz.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  wsi_fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  wsi_fuzz_set_input (data, size);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiManifest) m = wsi_manifest_load_memory ((const char *) data, size, "fuzz.xml", diags);

  wsi_fuzz_check_result (m, diags, "manifest");
  if (m != NULL)
    {
      /* What the planner relies on in a loaded model. */
      g_autoptr(GPtrArray) sorted = wsi_manifest_get_layers_sorted (m);
      g_assert (sorted != NULL && sorted->len == m->layers->len);
      for (guint i = 0; i < m->chains->len; i++)
        {
          WsiManifestChain *ch = g_ptr_array_index (m->chains, i);
          g_assert (ch->layer != NULL);
          g_assert (ch->selectors->len > 0);
        }
    }
  return 0;
}
