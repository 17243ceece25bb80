/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-hive.c: the offline SYSTEM hive importer (libhivex plus the walk of
 * the Winsock keys) on arbitrary bytes. hivex opens a path, so the input
 * goes to a memory file named through /proc/self/fd. */
#include "wsi-fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static int hive_fd = -1;
static char *hive_path;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  wsi_fuzz_init ();
  if (!wsi_import_hive_supported ())
    {
      fprintf (stderr, "fuzz-hive: this build has no libhivex\n");
      exit (1);
    }
  hive_fd = memfd_create ("fuzz-hive", MFD_CLOEXEC);
  if (hive_fd < 0)
    {
      perror ("memfd_create");
      exit (1);
    }
  hive_path = g_strdup_printf ("/proc/self/fd/%d", hive_fd);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  wsi_fuzz_set_input (data, size);
  g_autoptr(WsiDiagList) diags = wsi_diag_list_new ();
  g_autoptr(WsiMachine) m = NULL;
  g_autoptr(GError) error = NULL;
  const WsiImportOptions options = { FALSE, WSI_MACHINE_X86, NULL, FALSE };
  g_autofree guint8 *copy = NULL;
  size_t done = 0;

  /* hivex refuses a header whose XOR checksum (dword 127) does not match:
   * fix it up, so mutations reach the key and value parsing behind it. */
  if (size >= 512 && memcmp (data, "regf", 4) == 0)
    {
      guint32 sum = 0;
      copy = g_memdup2 (data, size);
      for (guint i = 0; i < 127; i++)
        sum ^= GUINT32_FROM_LE (((const guint32 *) copy)[i]);
      ((guint32 *) copy)[127] = GUINT32_TO_LE (sum);
      data = copy;
    }
  if (ftruncate (hive_fd, 0) != 0 || lseek (hive_fd, 0, SEEK_SET) != 0)
    abort ();
  while (done < size)
    {
      ssize_t n = write (hive_fd, data + done, size - done);
      if (n <= 0)
        abort ();
      done += (size_t) n;
    }
  m = wsi_import_hive_file (hive_path, &options, diags, &error);
  g_assert_no_error (error);
  wsi_fuzz_check_result (m, diags, "hive");
  if (m != NULL)
    wsi_fuzz_check_imported (m);
  return 0;
}
