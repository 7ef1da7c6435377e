"""Train the skill-ranking weights shipped in pianoscore/weights (skill_pdr.pt, skill_apr.pt).

Data: performances of known skill made with pianoscore.perform (12 corpus pieces x 8 performances, 20 s each, several
soundfonts, piano programs and rooms); whole pieces (--holdout, default Bach BWV 846, the piece the tests and the
notebook assess) are left out of training. Each model: one run of `train_skill(folds=1)` with a validation split of
pieces for checkpoint selection. About 3-5 minutes of CPU per model with OMP_NUM_THREADS=1.

    OMP_NUM_THREADS=1 nice -n 5 python bench/train_skill_weights.py
"""
import argparse, json, shutil, sys, time
from pathlib import Path
import pandas as pd
sys.path.insert(0, str(Path(__file__).parent))
from bench_skill import make_data

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--data', default='data/skill_bench', help='performances folder (made with pianoscore.perform if missing)')
    ap.add_argument('--pieces', type=int, default=12); ap.add_argument('--per-piece', type=int, default=8)
    ap.add_argument('--seconds', type=float, default=20)
    ap.add_argument('--holdout', nargs='*', default=['bach/bwv846'], help='pieces never trained on')
    ap.add_argument('--models', nargs='+', default=['pdr', 'apr'])
    ap.add_argument('--steps', type=int, default=800)
    ap.add_argument('--cross-piece', action='store_true', help='also train on pairs of different pieces')
    ap.add_argument('--out', default='runs/skill_weights')
    ap.add_argument('--dest', default=str(Path(__file__).resolve().parents[1] / 'pianoscore' / 'weights'))
    ap.add_argument('--seed', type=int, default=0)
    a = ap.parse_args()
    from pianoscore.skill import train_skill, skill_pairs
    data = make_data(a.data, a.pieces, a.per_piece, a.seconds, a.seed)
    rec = pd.read_csv(data / 'recordings.csv')
    rec = rec[~rec.piece.isin(a.holdout)].copy()
    rec['path'] = [str((data / p).resolve()) for p in rec.path]
    out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
    rec.to_csv(out / 'recordings.csv', index=False); skill_pairs(rec).to_csv(out / 'pairs.csv', index=False)
    print(f"training on {len(rec)} recordings of {rec.piece.nunique()} pieces (held out: {a.holdout})", flush=True)
    Path(a.dest).mkdir(parents=True, exist_ok=True)
    for m in a.models:
        t = time.time()
        r = train_skill(out / 'pairs.csv', out / 'recordings.csv', model=m, folds=1, steps=a.steps, out=out,
                        cross_piece=a.cross_piece, seed=a.seed, progress=False)
        dest = Path(a.dest) / f'skill_{m}.pt'; shutil.copyfile(r['weights'], dest)
        print(f"{m}: {dest} ({dest.stat().st_size / 1e3:.0f} kB), {a.steps} steps in {time.time() - t:.0f} s; "
              f"validation: {json.dumps({k: round(v, 3) for k, v in (r['history'][-1] if r['history'] else {}).items() if isinstance(v, float)})}", flush=True)

if __name__ == '__main__': main()
