#!/usr/bin/env python3
"""Writes a SYNTHETIC long-format CSV for import benchmarks — made-up numbers, for tests only.

Usage: python3 scripts/gen_synthetic_long.py ROWS OUT.csv
Rows are spread over 200 series with monthly periods; every row says it is synthetic in its source column.
"""
import random, sys

rows, out = int(sys.argv[1]), sys.argv[2]
series = 200
per = -(-rows // series)
rnd = random.Random(42)
with open(out, "w") as f:
    f.write("series_id,origin,destination,platform,category,period,value,unit,source\n")
    n = 0
    for s in range(series):
        for k in range(per):
            if n == rows:
                break
            year, month = 1200 + k // 12, k % 12 + 1
            f.write(f"synthetic_test_only,Testland {s % 20},Exampleland {s},,made-up category {s},{year}-{month:02d},{rnd.uniform(1, 1e6):.3f},USD million,synthetic benchmark data (made up)\n")
            n += 1
print(f"{out}: {n} synthetic rows")
