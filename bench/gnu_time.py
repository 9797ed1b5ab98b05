"""What `/usr/bin/time -v` wrote about one process: wall seconds, CPU seconds (user + system), peak RSS in MiB.

Why one reader: the scripts that time a whole process (nightly.sh, cache_hits.sh) report the same figures and must
read them the same way. Used from their inline Python as `from bench.gnu_time import usage` (run from the
repository root, as bench/setup.sh makes them).
"""

import re


def usage(path: str) -> tuple[float, float, float]:
    text = open(path).read()
    clock = re.search(r"Elapsed \(wall clock\) time.*: (.+)", text).group(1).split(":")
    wall = sum(float(part) * 60 ** power for power, part in enumerate(reversed(clock)))
    cpu = sum(float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", text).group(1)) for kind in ("User", "System"))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) / 1024
    return wall, cpu, rss
