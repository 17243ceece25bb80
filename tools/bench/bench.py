#!/usr/bin/env python3
"""tools/bench/bench.py WSINSTALL INPUTDIR: measures, from one run,

  1. `wsinstall validate` over the 1,000 manifests against one
     `xmllint --noout --schema schema/manifest.xsd` over the same files
     (wall time, best of N; goal: ratio <= 1.0);
  2. `wsinstall plan` time and peak RSS as the catalog grows 10x (100, 1,000,
     10,000 entries, 10 chains) and as the manifest grows 10x (10, 100, 1,000
     chains, 1,000 entries); goal: each 10x step costs <= 11x;
  3. `wsinstall apply` on the simulated backend (a snapshot file): steps per
     second, and fsync/fdatasync calls per step counted with strace
     (goal <= 2).

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


def run(argv, stdout=subprocess.DEVNULL):
    """(seconds, peak RSS KiB, exit status, output text)."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.PIPE)
    out = proc.stdout.read().decode() if stdout == subprocess.PIPE else None
    err = proc.stderr.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = usage.ru_utime + usage.ru_stime if CPU else wall
    return seconds, usage.ru_maxrss, proc.returncode, (out or '') + err


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
    w_time, w_rss = best([wsinstall, 'validate'] + manifests)
    x_time, x_rss = best(['xmllint', '--noout', '--schema', xsd] + manifests)
    ratio = w_time / x_time
    print('1. validate 1,000 manifests')
    print(f'   wsinstall validate          {w_time * 1000:8.1f} ms  {w_rss / 1024:6.1f} MiB')
    print(f'   xmllint --noout --schema    {x_time * 1000:8.1f} ms  {x_rss / 1024:6.1f} MiB')
    print(f'   ratio                       {ratio:8.2f}   (goal <= 1.0: {verdict(ratio <= 1.0)})\n')

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


if __name__ == '__main__':
    main()
