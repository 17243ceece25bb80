/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-netsh.c: the `netsh winsock show catalog` importer on arbitrary
 * bytes. The first byte chooses the options; a NUL in the rest splits it
 * into a 64-bit listing and a 32-bit one (NUL never occurs in netsh text). */
#include "wsi-fuzz.h"

#include <string.h>

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
  const guint8 *text, *nul, *text32 = NULL;
  gsize len, len32 = 0;

  if (size < 1)
    return 0;
  options.allow_partial = (data[0] & 1) != 0;
  if ((data[0] & 6) != 0)
    {
      options.force_kind = TRUE;
      options.kind = (WsiMachineKind) (((data[0] >> 1) & 3) - 1);
    }
  text = data + 1;
  len = size - 1;
  nul = memchr (text, '\0', len);
  if (nul != NULL)
    {
      text32 = nul + 1;
      len32 = len - (gsize) (text32 - text);
      len = (gsize) (nul - text);
    }
  m = wsi_import_netsh_memory (text, len, "fuzz.txt", text32, len32, text32 != NULL ? "fuzz32.txt" : NULL,
                               &options, diags);
  wsi_fuzz_check_result (m, diags, "netsh");
  if (m != NULL)
    wsi_fuzz_check_imported (m);
  return 0;
}
