#!/usr/bin/env python3
"""Prints the results tables of bench/README.md from one run's JSON output.

Usage: python3 bench/ratios.py /tmp/bench.json   (written by --benchmark_out)

A third table checks the median CPU time of the runaway graphs against
their limits.

The first table lists every benchmark over its repetitions: the fastest and
the median wall-clock microseconds per call (per item, all threads together,
for the threaded runs), the median CPU time of the calling process, and the
coefficient of variation of the wall time. The second divides the time of
one benchmark by that of another: the fastest wall times and, where all the
work is done by the one thread of this process (no child process), the
median CPU times. CPU time is far less sensitive to other load on the
machine, so it decides the verdict where it measures all the work; elsewhere
the wall times decide it.
"""
import json
import sys

SHARED = "BM_EvalSymlinks/native/tree/shared/threads:"
AT_LEAST_100, AT_MOST_1 = (">= 100", lambda r: r >= 100), ("<= 1.0", lambda r: r <= 1.0)
NO_TARGET = ("", None)

# (comparison, slower benchmark, faster benchmark, (target, whether a ratio meets it),
#  whether all the work is done by the one thread of this process, so that CPU time
#  measures it)
RATIOS = [
    ("EvalSymlinks tree: nsenter / native", "BM_EvalSymlinks/nsenter/tree",
     "BM_EvalSymlinks/native/tree", AT_LEAST_100, False),
    ("EvalSymlinks plain: nsenter / native", "BM_EvalSymlinks/nsenter/plain",
     "BM_EvalSymlinks/native/plain", AT_LEAST_100, False),
    ("GetFileType tree: nsenter / native", "BM_GetFileType/nsenter/tree",
     "BM_GetFileType/native/tree", AT_LEAST_100, False),
    ("GetFileType plain: nsenter / native", "BM_GetFileType/nsenter/plain",
     "BM_GetFileType/native/plain", AT_LEAST_100, False),
    ("IsLikelyNotMountPoint tree: nsenter / native", "BM_IsLikelyNotMountPoint/nsenter/tree",
     "BM_IsLikelyNotMountPoint/native/tree", AT_LEAST_100, False),
    ("IsLikelyNotMountPoint plain: nsenter / native", "BM_IsLikelyNotMountPoint/nsenter/plain",
     "BM_IsLikelyNotMountPoint/native/plain", AT_LEAST_100, False),
    ("resolver (openat2) tree / realpath(3)", "BM_Resolver/openat2/tree",
     "BM_Realpath3/tree", AT_MOST_1, True),
    ("resolver (openat2) plain / realpath(3)", "BM_Resolver/openat2/plain",
     "BM_Realpath3/plain", AT_MOST_1, True),
    ("resolver / chrooted realpath(3), 1,200-path corpus", "BM_ResolverCorpus",
     "BM_Realpath3Corpus", AT_MOST_1, True),
    ("resolver tree: walk / openat2", "BM_Resolver/walk/tree",
     "BM_Resolver/openat2/tree", NO_TARGET, True),
    ("resolver plain: walk / openat2", "BM_Resolver/walk/plain",
     "BM_Resolver/openat2/plain", NO_TARGET, True),
    ("Exec /bin/true: nsenter / native", "BM_Exec/nsenter", "BM_Exec/native",
     (">= 1.5", lambda r: r >= 1.5), False),
    ("Exec /bin/true native: while forking / quiet", "BM_ExecWhileForking/native",
     "BM_Exec/native", ("<= 1.5", lambda r: r <= 1.5), False),
    ("Exec /bin/true posix_spawn: while forking / quiet", "BM_ExecPosixSpawnWhileForking",
     "BM_ExecPosixSpawn", NO_TARGET, False),
    ("Exec /bin/true: native / posix_spawn", "BM_Exec/native", "BM_ExecPosixSpawn",
     ("<= 1.3", lambda r: r <= 1.3), False),
    ("Create: native / nsenter", "BM_Create/native", "BM_Create/nsenter", NO_TARGET, True),
    ("shared native EvalSymlinks, speed-up of 2 threads", SHARED + "1", SHARED + "2",
     NO_TARGET, False),
    ("shared native EvalSymlinks, speed-up of 8 threads", SHARED + "1", SHARED + "8",
     NO_TARGET, False),
]

# (benchmark, limit in µs of median CPU time per call): the graphs where GNU
# realpath explodes, which must end quickly.
LIMITS = [
    ("BM_Chain/10", 1000), ("BM_Chain/20", 1000), ("BM_Chain/30", 1000),
    ("BM_Growth", 1000), ("BM_HopTree", 50000), ("BM_OpenExpansions", 50000),
]

MICROSECONDS = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}


def key(name):
    """The name without the settings Google Benchmark appends to it."""
    settings = ("min_time:", "repeats:", "real_time", "process_time")
    return "/".join(p for p in name.split("/") if not p.startswith(settings))


def main(path):
    with open(path) as f:
        runs = json.load(f)["benchmarks"]
    stats = {}  # name -> aggregate name -> run
    skipped = {}  # name -> message
    for run in runs:
        name = key(run["run_name"])
        if run.get("error_occurred"):
            skipped[name] = run["error_message"]
        elif run["run_type"] == "aggregate":
            stats.setdefault(name, {})[run["aggregate_name"]] = run
    wall, cpu = {}, {}  # name -> fastest wall time, median CPU time
    print("| benchmark | fastest wall µs | median wall µs | median CPU µs | cv of wall |")
    print("|---|---:|---:|---:|---:|")
    # Registration order (the run itself interleaves the repetitions at random).
    runs.sort(key=lambda r: (r["family_index"], r["per_family_instance_index"]))
    for name in dict.fromkeys(key(run["run_name"]) for run in runs):
        if name in skipped:
            print(f"| {name} | skipped: {skipped[name]} | | | |")
            continue
        median = stats[name]["median"]
        scale = MICROSECONDS[median["time_unit"]]
        wall[name] = stats[name]["min"]["real_time"] * scale
        cpu[name] = median["cpu_time"] * scale
        print(f"| {name} | {wall[name]:.1f} | {median['real_time'] * scale:.1f} "
              f"| {cpu[name]:.1f} | {stats[name]['cv']['real_time']:.1%} |")
    print()
    print("| comparison | ratio of fastest wall | ratio of median CPU | target | met |")
    print("|---|---:|---:|---|---|")
    for label, slow, fast, (target, meets), in_process in RATIOS:
        if slow not in wall or fast not in wall:
            print(f"| {label} | n/a (not run, or skipped) | | {target} | |")
            continue
        wall_ratio = wall[slow] / wall[fast]
        cpu_ratio = cpu[slow] / cpu[fast] if in_process else None
        # The verdict takes CPU time where it measures all the work.
        ratio = wall_ratio if cpu_ratio is None else cpu_ratio
        verdict = "" if meets is None else ("yes" if meets(ratio) else "**no**")
        cpu_text = "—" if cpu_ratio is None else f"{cpu_ratio:.2f}x"
        print(f"| {label} | {wall_ratio:.2f}x | {cpu_text} | {target} | {verdict} |")
    print()
    print("| benchmark | median CPU µs | limit µs | met |")
    print("|---|---:|---:|---|")
    for name, limit in LIMITS:
        if name not in cpu:
            print(f"| {name} | n/a (not run, or skipped) | {limit} | |")
            continue
        verdict = "yes" if cpu[name] <= limit else "**no**"
        print(f"| {name} | {cpu[name]:.1f} | {limit} | {verdict} |")

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: ratios.py BENCH_JSON")
    main(sys.argv[1])
