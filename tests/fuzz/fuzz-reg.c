/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-reg.c: the .reg importer (REGEDIT4/5 text, UTF-16 or ANSI, hex
 * blobs, PackedCatalogItems) on arbitrary bytes. The first byte chooses the
 * import options, so forced kinds are fuzzed too. */
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
  g_autoptr(WsiMachine) m = NULL;
  WsiImportOptions options = { FALSE, WSI_MACHINE_X86, NULL, FALSE };

  if (size < 1)
    return 0;
  /* 0..3: what the input says; 4..: forced x86, x64, ce. */
  if ((data[0] & 7) >= 4)
    {
      options.force_kind = TRUE;
      options.kind = (WsiMachineKind) ((data[0] & 7) % 3);
    }
  m = wsi_import_reg_memory (data + 1, size - 1, "fuzz.reg", &options, diags);
  wsi_fuzz_check_result (m, diags, "reg");
  if (m != NULL)
    wsi_fuzz_check_imported (m);
  return 0;
}
