import os, sys, subprocess, json
from pathlib import Path
import pytest
ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault('MPLBACKEND', 'Agg')

def run_cli(*args, check=True, timeout=600):
    "Run `pianoscore ARGS` in a subprocess; parse stdout as JSON when --json is among the args."
    r = subprocess.run([sys.executable, '-m', 'pianoscore.cli', *map(str, args)], capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError(f"pianoscore {' '.join(map(str, args))} exited {r.returncode}\nstdout:\n{r.stdout[-3000:]}\nstderr:\n{r.stderr[-3000:]}")
    if '--json' in map(str, args):
        try: r.json = json.loads(r.stdout)
        except json.JSONDecodeError as e:
            raise AssertionError(f"stdout is not one JSON object ({e}); exit {r.returncode}\nstdout:\n{r.stdout[-2000:]}\nstderr:\n{r.stderr[-3000:]}")
    return r

@pytest.fixture
def cli(): return run_cli
