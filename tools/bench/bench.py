#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""tools/bench/bench.py WSINSTALL INPUTDIR: measures, from one run,

  1. `wsinstall validate` over the 1,000 manifests against one
     `xmllint --noout --schema schema/manifest.xsd` over the same files
     (goal: ratio <= 0.8 in CPU time and in instructions). Each command
     gets the list 10 times (10,000 files), so a run lasts long enough for
     CPU time to be more than clock ticks. Printed: CPU time of `validate --jobs=1` (the same work on one
     core), wall time of `validate` with its default jobs, and, when
     valgrind is installed, instructions counted by callgrind (repeatable
     whatever the machine's load) over one pass of the list;
  2. `wsinstall plan` time and peak RSS as the catalog grows 10x (100, 1,000,
     10,000 entries, 10 chains) and as the manifest grows 10x (10, 100, 1,000
     chains, 1,000 entries); goal: each 10x step costs <= 11x;
  3. `wsinstall apply` on the simulated backend (a snapshot file): steps per
     second, and fsync/fdatasync calls per step counted with strace
     (goal <= 2): over the whole transaction, and per added step (the
     difference between the two runs, without the transaction's fixed
     journal and directory syncs);
  4. peak RSS of `plan` (JSON, as in 2.) and `apply` at 10,000 entries per
     catalog, the planner's self-check included (goal for plan: <= 32 MiB).

Inputs come from tools/bench/gen.py. Prints a table; exits 0 (the goals are
reported, not enforced: this is a measurement, not a test).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

REPEAT = int(os.environ.get('WSI_BENCH_REPEAT', '3'))


# Times are CPU seconds (user + system) of the measured process: on a
# shared 2-core machine wall time mostly measures the neighbours.
CPU = True


# Peak RSS: a child's ru_maxrss starts at its parent's resident size when it
# execs (Linux records the forked copy of this Python process), so every
# figure measured directly had this script's own RSS, 14 to 18 MiB, as a
# floor. GNU time's -f %M is the peak of a child forked from time itself
# (about 2 MiB); without it the figures keep that floor.
GNU_TIME = '/usr/bin/time' if os.access('/usr/bin/time', os.X_OK) else None


def run(argv, stdout=subprocess.DEVNULL):
    """(seconds, peak RSS KiB, exit status, output text)."""
    with tempfile.NamedTemporaryFile(prefix='wsi-bench-rss-') as rss_file:
        wrapped = [GNU_TIME, '-q', '-f', '%M', '-o', rss_file.name] + argv if GNU_TIME else argv
        start = time.perf_counter()
        proc = subprocess.Popen(wrapped, stdout=stdout, stderr=subprocess.PIPE)
        out = proc.stdout.read().decode() if stdout == subprocess.PIPE else None
        err = proc.stderr.read().decode()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        peak = usage.ru_maxrss
        if GNU_TIME:
            text = rss_file.read().decode().split()
            peak = int(text[-1]) if text and text[-1].isdigit() else peak
    seconds = usage.ru_utime + usage.ru_stime if CPU else wall
    return seconds, peak, proc.returncode, (out or '') + err


def best(argv, ok=(0,)):
    times, rss = [], 0
    for _ in range(REPEAT):
        seconds, peak, rc, text = run(argv)
        if rc not in ok:
            sys.exit(f'bench: {" ".join(argv[:4])} ... exited {rc}:\n{text[:2000]}')
        times.append(seconds)
        rss = max(rss, peak)
    return min(times), rss


def verdict(ok):
    return 'ok' if ok else 'OVER GOAL'


def main():
    wsinstall, inputs = sys.argv[1], sys.argv[2]
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    xsd = os.path.join(root, 'schema', 'manifest.xsd')
    manifests = sorted(os.path.join(inputs, 'manifests', f) for f in os.listdir(os.path.join(inputs, 'manifests')))

    print(f'wsinstall benchmarks: CPU time (user + system), best of {REPEAT} runs; peak RSS '
          f'({os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})\n')

    # 1. validate vs xmllint
    passes = 10
    files = manifests * passes
    xmllint = ['xmllint', '--noout', '--schema', xsd]
    w_cpu, w_rss = best([wsinstall, 'validate', '--jobs=1'] + files)
    x_cpu, x_rss = best(xmllint + files)
    global CPU
    CPU = False
    w_wall, _ = best([wsinstall, 'validate'] + files)
    x_wall, _ = best(xmllint + files)
    CPU = True
    print(f'1. validate {len(manifests):,} manifests x {passes} passes')
    print(f'   wsinstall validate --jobs=1 {w_cpu * 1000:8.1f} ms CPU  {w_rss / 1024:6.1f} MiB')
    print(f'   xmllint --noout --schema    {x_cpu * 1000:8.1f} ms CPU  {x_rss / 1024:6.1f} MiB')
    print(f'   CPU ratio                   {w_cpu / x_cpu:8.2f}   (goal <= 0.8: {verdict(w_cpu / x_cpu <= 0.8)})')
    print(f'   wall, validate ({os.cpu_count()} jobs)     {w_wall * 1000:8.1f} ms vs xmllint {x_wall * 1000:.1f} ms: '
          f'ratio {w_wall / x_wall:.2f} ({verdict(w_wall / x_wall <= 1.0)})')
    valgrind = shutil.which('valgrind')
    if valgrind is not None:
        def instructions(argv):
            with tempfile.TemporaryDirectory(prefix='wsi-bench-') as tmp:
                out = os.path.join(tmp, 'callgrind.out')
                subprocess.run([valgrind, '--tool=callgrind', f'--callgrind-out-file={out}'] + argv,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
                with open(out) as f:
                    for line in f:
                        if line.startswith('summary:') or line.startswith('totals:'):
                            return int(line.split()[1])
            return None
        w_ins = instructions([wsinstall, 'validate', '--jobs=1'] + manifests)
        x_ins = instructions(xmllint + manifests)
        if w_ins and x_ins:
            print(f'   instructions (callgrind, one pass): {w_ins / 1e6:.0f} M vs {x_ins / 1e6:.0f} M: '
                  f'ratio {w_ins / x_ins:.2f} (goal <= 0.8: {verdict(w_ins / x_ins <= 0.8)})')
    print()

    # 2. plan scaling
    def plan(catalog, chains):
        return best([wsinstall, 'plan', '--format=json', '--machine', os.path.join(inputs, f'catalog-{catalog}.xml'),
                     os.path.join(inputs, f'chains-{chains}.xml')])

    print('2. plan: time and peak RSS per 10x growth (goal: <= 11x per 10x)')
    for label, points in (('catalog grows (10 chains)', [(100, 10), (1000, 10), (10000, 10)]),
                          ('manifest grows (1,000 entries)', [(1000, 10), (1000, 100), (1000, 1000)])):
        print(f'   {label}')
        prev = None
        for catalog, chains in points:
            t, rss = plan(catalog, chains)
            line = f'     {catalog:6d} entries x {chains:5d} chains  {t * 1000:8.1f} ms  {rss / 1024:7.1f} MiB'
            if prev is not None:
                tr, rr = t / prev[0], rss / prev[1]
                line += f'   x{tr:5.1f} time, x{rr:4.1f} RSS ({verdict(tr <= 11 and rr <= 11)})'
            print(line)
            prev = (t, rss)
    print()

    # 3. apply on the simulated backend
    print('3. apply on the simulated backend (a snapshot file)')
    strace = shutil.which('strace')
    counted = []
    for catalog, chains in ((1000, 10), (1000, 100)):
        with tempfile.TemporaryDirectory(prefix='wsi-bench-') as tmp:
            machine = os.path.join(tmp, 'machine.xml')
            src = os.path.join(inputs, f'catalog-{catalog}.xml')
            manifest = os.path.join(inputs, f'chains-{chains}.xml')
            shutil.copy(src, machine)
            start = time.perf_counter()
            cpu, rss, rc, text = run([wsinstall, 'apply', '--machine', machine, manifest], stdout=subprocess.PIPE)
            wall = time.perf_counter() - start
            m = re.search(r'committed \((\d+) steps?\)', text)
            if rc != 0 or m is None:
                sys.exit(f'bench: apply exited {rc}:\n{text[:2000]}')
            steps = int(m.group(1))
            fsyncs = None
            if strace is not None:
                shutil.copy(src, machine)
                for extra in ('.journal', '.lock'):
                    if os.path.exists(machine + extra):
                        os.unlink(machine + extra)
                log = os.path.join(tmp, 'strace.txt')
                subprocess.run([strace, '-f', '-c', '-o', log, '-e', 'trace=fsync,fdatasync,syncfs,sync_file_range',
                                wsinstall, 'apply', '-q', '--machine', machine, manifest],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
                fsyncs = 0
                with open(log) as f:
                    for line in f:
                        cols = line.split()
                        if len(cols) >= 5 and cols[-1] in ('fsync', 'fdatasync', 'syncfs', 'sync_file_range'):
                            fsyncs += int(cols[3])
            per_step = f'{fsyncs / steps:5.2f} fsyncs/step (goal <= 2: {verdict(fsyncs / steps <= 2)})' \
                if fsyncs is not None else 'fsyncs not counted (no strace)'
            print(f'   {catalog} entries + {chains:4d} chains: {steps:4d} steps, {wall * 1000:8.1f} ms wall '
                  f'({cpu * 1000:.0f} ms CPU) = {steps / wall:7.1f} steps/s, {rss / 1024:6.1f} MiB; {per_step}')
            if fsyncs is not None:
                counted.append((steps, fsyncs))
    if len(counted) == 2 and counted[1][0] > counted[0][0]:
        (s0, f0), (s1, f1) = counted
        marginal = (f1 - f0) / (s1 - s0)
        fixed = f0 - marginal * s0
        print(f'   per added step: {marginal:.2f} fsyncs (goal <= 2: {verdict(marginal <= 2)}); '
              f'per transaction: {fixed:.1f}')
    print()

    # 4. peak RSS at the largest catalog, the planner's self-check
    # (engine/wsi-planner-verify.c) included: plan as in 2., apply as in 3.
    print('4. peak RSS at 10,000 entries per catalog (10 chains; goal for plan: <= 32 MiB)')
    src = os.path.join(inputs, 'catalog-10000.xml')
    manifest = os.path.join(inputs, 'chains-10.xml')
    _, plan_rss = plan(10000, 10)
    with tempfile.TemporaryDirectory(prefix='wsi-bench-') as tmp:
        machine = os.path.join(tmp, 'machine.xml')
        shutil.copy(src, machine)
        _, apply_rss, rc, text = run([wsinstall, 'apply', '-q', '--machine', machine, manifest])
        if rc != 0:
            sys.exit(f'bench: apply at 10,000 entries exited {rc}:\n{text[:2000]}')
    print(f'   plan --format=json {plan_rss / 1024:7.1f} MiB ({verdict(plan_rss / 1024 <= 32)}); '
          f'apply {apply_rss / 1024:7.1f} MiB')


if __name__ == '__main__':
    main()
