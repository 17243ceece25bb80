/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-test-import.h: helpers shared by the importer suites
 * (test-import-reg.c, -hive.c, -netsh.c, -services.c, -cli.c). */
#pragma once

#include "wsi-test-util.h"

/* tests/data/reg/NAME.reg: the reference exports (tools/refcat/dump2reg.py
 * wrote them from real registry dumps), also data/reference/NAME.xml. */
#define WSI_TEST_N_REFERENCES 5
extern const char *const wsi_test_reference_names[WSI_TEST_N_REFERENCES];

/* The whole of a file in tests/data; fails the test when it cannot be read. */
GBytes     *wsi_test_read_data          (const char *name);
/* tests/data/reg/NAME.reg imported; fails the test on any diagnostic. */
WsiMachine *wsi_test_import_reference   (const char *name);
/* Equal but for the description; *@why says where they differ. */
gboolean    wsi_test_machines_equal     (const WsiMachine *a, const WsiMachine *b, char **why);
/* Does @diags hold a tag an import may give for damaged input? */
gboolean    wsi_test_has_input_error    (const WsiDiagList *diags);
/* UTF-8 text to a REGEDIT5 file (BOM + UTF-16LE). */
GBytes     *wsi_test_to_utf16           (const char *text);

#define ck_assert_machines_equal(a, b) \
  do { \
    g_autofree char *_why = NULL; \
    ck_assert_msg (wsi_test_machines_equal ((a), (b), &_why), "machines differ: %s", _why); \
  } while (0)

/* Synthetic .reg files (REGEDIT4) below this root. */
#define WSI_TEST_REG_ROOT "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet"

/* A TCP/IP base provider (MSAFD Tcpip) with catalog ID @id. */
WsiEntry   *wsi_test_sample_entry         (guint32 id);
/* "NAME"=TYPE:xx,xx,... with regedit's line continuations. */
void        wsi_test_reg_append_hex_value (GString *s, const char *name, const char *type, const guint8 *data,
                                           gsize len);
/* The key of the entry at @pos of @catalog (Catalog_Entries or
 * Catalog_Entries64), holding wsi_test_sample_entry (@id). */
void        wsi_test_reg_append_entry_key (GString *s, const char *root, const char *catalog, guint pos, guint32 id);
/* A .reg text with one Protocol_Catalog9 and @n sample entries (IDs 1001..)
 * and the counters given (NULL: counters that fit). */
GString    *wsi_test_small_reg            (guint n, const char *counters);
/* wsi_import_reg_memory () on text, as "test.reg". */
WsiMachine *wsi_test_import_reg_bytes     (const char *text, gsize len, WsiDiagList *diags);
WsiMachine *wsi_test_import_reg_string    (const GString *s, WsiDiagList *diags);
/* @s is refused with @tag at @line (0: any line). */
void        wsi_test_assert_reg_refused   (const GString *s, const char *tag, int line);
