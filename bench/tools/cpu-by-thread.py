#!/usr/bin/env python3
"""CPU by thread of the java and postgres processes over SECONDS (default 30), from /proc: cores = CPU seconds / wall seconds.
Run it beside a bench, e.g. `python3 bench/tools/cpu-by-thread.py 40` while `./aidesk bench ingest` syncs. Thread names
are cut to 15 characters by Linux and grouped without their trailing numbers."""
import os, sys, time, collections
secs = float(sys.argv[1]) if len(sys.argv) > 1 else 30
tick = os.sysconf('SC_CLK_TCK')
def snap():
    out = {}
    for pid in os.listdir('/proc'):
        if not pid.isdigit(): continue
        try:
            comm = open(f'/proc/{pid}/comm').read().strip()
        except Exception: continue
        if comm not in ('java', 'postgres'): continue
        try:
            for tid in os.listdir(f'/proc/{pid}/task'):
                try:
                    s = open(f'/proc/{pid}/task/{tid}/stat').read()
                    name = s[s.index('(')+1:s.rindex(')')]
                    f = s[s.rindex(')')+2:].split()
                    out[(pid, tid)] = (comm, name, int(f[11]) + int(f[12]))
                except Exception: pass
        except Exception: pass
    return out
a = snap(); t0 = time.time(); time.sleep(secs); b = snap(); dt = time.time() - t0
agg = collections.Counter()
for k, (comm, name, t) in b.items():
    prev = a.get(k, (comm, name, 0))[2]
    key = 'postgres' if comm == 'postgres' else name.rstrip('0123456789-')
    agg[key] += (t - prev) / tick / dt
total = sum(agg.values())
for k, v in agg.most_common(20):
    print(f'{k:28s} {v:5.2f}')
print(f'{"total":28s} {total:5.2f}')
with open('/proc/loadavg') as f: print('loadavg', f.read().strip())
