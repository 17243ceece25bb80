/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* wsi-fuzz.h: what the libFuzzer targets share. Each target feeds one
 * untrusted input kind to its loader and checks the contracts every loader
 * promises: no crash, no sanitizer report, no GLib critical or warning
 * (made fatal here), every diagnostic tag registered, and "a result or an
 * error, never both and never neither". */
#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#include "wsinstall.h"

/* libFuzzer's entry points (no header declares them). */
int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* Makes criticals and warnings fatal (they are programming errors, not
 * input problems: input problems are diagnostics) and quiets libxml2. */
void wsi_fuzz_init (void);

/* TRUE for about one input in WSI_FUZZ_SAMPLE, chosen by a hash of its
 * bytes, so the same input always takes the same path and a crash
 * reproduces. The costly oracles (round trips, rendering in every format)
 * run on those alone: on every input they took 90 % of the time, and the
 * loaders under test got a tenth of the executions. */
#define WSI_FUZZ_SAMPLE 8
void wsi_fuzz_set_input (const uint8_t *data, size_t size);
gboolean wsi_fuzz_sampled (void);

/* Aborts unless every tag in @diags is registered and @diags holds an
 * error exactly when @result is NULL. */
void wsi_fuzz_check_result (gconstpointer result, const WsiDiagList *diags, const char *what);

/* A machine that was loaded or imported must survive its own snapshot:
 * to_string → load → to_string gives the same text. Aborts otherwise. */
void wsi_fuzz_check_snapshot_roundtrip (const WsiMachine *machine);

/* The reference machines of tests/data/snapshots (the valid ones), loaded
 * once; *n receives the count. */
WsiMachine *const *wsi_fuzz_reference_machines (guint *n);

/* An imported machine must round-trip (checked on sampled inputs) through its snapshot and through
 * its own .reg export (export then import gives a machine again). */
void wsi_fuzz_check_imported (const WsiMachine *machine);
