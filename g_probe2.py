import sys
from collections import Counter
from pathlib import Path
from tests.support import econ_sim
from tests.property import test_economic_invariants as t
C = Counter()
orig = econ_sim.EconSim.run
def run(self, txs, time):
    r = orig(self, txs, time)
    for o in r.txs:
        C[(o.action, o.codespace, o.code)] += 1
    return r
econ_sim.EconSim.run = run
t.run(Path("/tmp"), examples=5, steps=20)
for k, v in sorted(C.items()):
    if k[0] in sys.argv[1:]: print(k, v)
