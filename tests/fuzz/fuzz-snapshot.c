/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-snapshot.c: the machine snapshot loader on arbitrary bytes; a
 * snapshot that loads must round-trip. */
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
  g_autoptr(WsiMachine) m = wsi_snapshot_load_memory ((const char *) data, size, "fuzz.xml", diags);

  wsi_fuzz_check_result (m, diags, "snapshot");
  if (m != NULL)
    {
      g_autoptr(WsiDiagList) check = wsi_diag_list_new ();
      if (wsi_fuzz_sampled ())
        wsi_fuzz_check_snapshot_roundtrip (m);
      /* The damage finder must take any loadable machine. */
      wsi_catalog_check_machine (m, "fuzz.xml", check);
    }
  return 0;
}
