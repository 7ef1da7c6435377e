"""Octave check against the sound (`transcribe(check_octave=True)`): on the keyboard bench clips whose octave was not
seen from the ends, is every key numbered right before and after the check? Prints each checked clip and the counts.

Run: OMP_NUM_THREADS=1 python bench/bench_octave.py data/bench_keyboard
(data/bench_keyboard: the clips bench/bench_keyboard.py renders, seeds 1000-5049 and 6000-6049.)
"""
import sys, json, warnings
from pathlib import Path
sys.path.insert(0, str(Path(__file__).parent))
warnings.simplefilter('ignore')
from bench_keyboard import evaluate
from pianoscore.transcribe import transcribe
n=dict(checked=0, fixed=0, broken=0, right_before=0, right_after=0)
for mp4 in sorted(Path(sys.argv[1]).glob('*.mp4')):
    try: tr = transcribe(mp4, progress=False)
    except Exception as e: print(mp4.stem, 'ERR', e); continue
    if tr.octave is None: continue
    kb = tr.keyboard; sh = tr.octave['shift']
    right = lambda k: (lambda ev: ev['right_pc'] and ev['no_wrong'])(evaluate(mp4, k))   # every key in view numbered right
    after = right(kb); before = right(kb.shifted(-sh)) if sh else after
    n['checked'] += 1; n['right_before'] += before; n['right_after'] += after
    n['fixed'] += (not before) and after; n['broken'] += before and not after
    print(mp4.stem, 'shift', sh, 'margin', tr.octave['margin'], 'before', before, 'after', after, 'from', (getattr(kb, 'details', None) or {}).get('octave_from'), json.dumps(tr.octave), flush=True)
print(json.dumps(n))
