import time, sys, json
from pathlib import Path
from tests.property import test_economic_invariants as t
start=time.time()
tot = t.run(Path("/tmp"), examples=int(sys.argv[1]), steps=int(sys.argv[2]))
print(time.time()-start, t.EconomyMachine.runs, tot["blocks"], tot["cap_hits"])
print(sorted(tot["seen"].items()))
print(sorted(tot["accepted"].items()))
