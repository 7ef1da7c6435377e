"""k-fold skill-ranking figures for PDR and APR on held-out pieces.

Trains each model on k-1 folds of pieces (with a validation split of the training pieces for model selection) and
reports, on the held-out fold: pairwise accuracy on unequal pairs, on pairs whose skills differ by >= 0.2, equal-pair
accuracy (threshold m/2 and the one chosen on validation) and Kendall tau (all test recordings; mean within piece).

    OMP_NUM_THREADS=1 nice -n 5 python bench/bench_skill.py                 # full: data/skill_bench, both models
    OMP_NUM_THREADS=1 nice -n 5 python bench/bench_skill.py --quick         # a few minutes: fewer steps
    python bench/bench_skill.py --data data/skill_dev --models pdr --steps 300
"""
import argparse, json, os, sys, time
from pathlib import Path
import numpy as np, pandas as pd

def make_data(out, n_pieces, n_per_piece, seconds, seed):
    "Performances of known skill (pianoscore.perform) and all same-piece pairs."
    from pianoscore.perform import make_performances, corpus_pieces
    out = Path(out)
    if not (out / 'recordings.csv').exists():
        make_performances(out, corpus_pieces(n_pieces), n_per_piece=n_per_piece, seconds=seconds, seed=seed)
    return out

def ensure_pairs(data, out):
    "pairs.csv beside recordings.csv if there is one, else made in `out`: pianoscore.pairs.make_pairs, or all same-piece pairs."
    data = Path(data); p = data / 'pairs.csv'
    if p.exists(): return p
    p = Path(out) / 'pairs.csv'; p.parent.mkdir(parents=True, exist_ok=True)
    rec = pd.read_csv(data / 'recordings.csv')
    try:
        from pianoscore.pairs import make_pairs
        df = make_pairs(rec)
    except Exception:
        rows = []
        for _, g in rec.groupby('piece'):
            g = g.reset_index(drop=True)
            for i in range(len(g)):
                for j in range(i + 1, len(g)):
                    d = g.skill[i] - g.skill[j]
                    rows.append(dict(a=g.id[i], b=g.id[j], label=int(np.sign(d)) if abs(d) > 1e-9 else 0))
        df = pd.DataFrame(rows)
    df.to_csv(p, index=False)
    return p

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--data', default='data/skill_bench', help='folder with recordings.csv (made with pianoscore.perform if missing)')
    ap.add_argument('--pieces', type=int, default=12, help='pieces to generate when --data is missing')
    ap.add_argument('--per-piece', type=int, default=8, help='performances per piece to generate')
    ap.add_argument('--seconds', type=float, default=20, help='excerpt length to generate (s)')
    ap.add_argument('--models', nargs='+', default=['pdr', 'apr'])
    ap.add_argument('--folds', type=int, default=3)
    ap.add_argument('--steps', type=int, default=400, help='training steps per fold')
    ap.add_argument('--quick', action='store_true', help='150 steps per fold (a smoke run, figures lower)')
    ap.add_argument('--eval-mode', default='sparse', choices=['sparse', 'dense'])
    ap.add_argument('--eval-k', type=int, default=9)
    ap.add_argument('--norm', default='clip', choices=['clip', 'band'], help="spectrogram standardization (SkillConfig.norm)")
    ap.add_argument('--out', default='runs/bench_skill')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--device', default=None)
    a = ap.parse_args()
    from pianoscore.skill import train_skill, SkillConfig
    steps = 150 if a.quick else a.steps
    data = make_data(a.data, a.pieces, a.per_piece, a.seconds, a.seed)
    pairs = ensure_pairs(data, a.out)
    rows = []
    for m in a.models:
        t = time.time()
        r = train_skill(pairs, data / 'recordings.csv', model=m, folds=a.folds, steps=steps, out=Path(a.out) / m,
                        eval_mode=a.eval_mode, eval_k=a.eval_k, seed=a.seed, device=a.device, progress=False, cfg=SkillConfig(norm=a.norm))
        for f in r['per_fold']:
            print(f"{m} fold {f['fold']} (test: {', '.join(f['test_pieces'])}): pair {f['pair_acc']:.3f}  clear {f['clear_acc']:.3f}  "
                  f"equal {f['equal_acc']:.3f}/{f['equal_acc_val_threshold']:.3f}  tau {f['tau']:.3f}  tau/piece {f['tau_within_piece']:.3f}", flush=True)
        mm = r['mean']
        rows.append(dict(model=m, pair_acc=mm['pair_acc'], clear_acc=mm['clear_acc'], equal_acc=mm['equal_acc'],
                         equal_acc_valthr=mm['equal_acc_val_threshold'], tau=mm['tau'], tau_within_piece=mm['tau_within_piece'],
                         n_test_pairs=int(sum(f['n_pairs'] for f in r['per_fold'])), seconds=round(time.time() - t)))
    df = pd.DataFrame(rows)
    print(f"\n{a.folds}-fold CV by piece on {data} ({len(pd.read_csv(data / 'recordings.csv'))} recordings), {steps} steps per fold")
    print(df.to_string(index=False, float_format=lambda v: f'{v:.3f}'))
    Path(a.out).mkdir(parents=True, exist_ok=True)
    (Path(a.out) / 'bench.json').write_text(json.dumps(rows, indent=1))

if __name__ == '__main__': main()
