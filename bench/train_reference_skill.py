"""Train and cross-validate the reference-skill model (`pianoscore.refskill`): a pairwise-logistic score over what
`pianoscore.feedback.feedback` finds when each performance is compared with its reference.

Input: a recordings CSV with `id`, `path` (the recording), `piece`, `skill`, `reference` (the score as MIDI) and, for
the MIDI weights, `midi` (the performance as MIDI), as `pianoscore make-performances` writes it. Features are computed
once per recording and kept in OUT/features_KIND.csv (reused when newer than the CSV). Prints 3-fold cross-validation
by piece (no test piece is seen in training; the model has no step to select, so no validation split is needed; the
equal-pair threshold is picked on the training pieces) and writes the weights trained on everything.

    OMP_NUM_THREADS=1 python bench/train_reference_skill.py --data data/skill_all --kinds midi audio \
        --save pianoscore/weights/skill_reference.json                          # the shipped weights (about 30 min)
    OMP_NUM_THREADS=1 python bench/train_reference_skill.py --data data/skill_all --kinds audio --transcriber transkun --every 4
"""
import argparse, json, sys, time, warnings
from pathlib import Path
import numpy as np, pandas as pd

def features(rec, folder, kind, transcriber, out, every=1):
    from pianoscore.feedback import feedback, load_reference
    from pianoscore.refskill import feedback_features
    p = Path(out) / f"features_{kind}{'_' + transcriber if kind == 'audio' else ''}{f'_every{every}' if every > 1 else ''}.csv"
    if p.exists() and p.stat().st_mtime > (Path(folder) / 'recordings.csv').stat().st_mtime: return pd.read_csv(p)
    rows, refs, t0 = [], {}, time.time()
    sub = rec.iloc[::every]
    for k, r in enumerate(sub.itertuples()):
        if r.reference not in refs: refs[r.reference] = load_reference(str(Path(folder) / r.reference))
        perf = str(Path(folder) / (r.midi if kind == 'midi' else r.path))
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            fb = feedback(refs[r.reference], perf, **({} if kind == 'midi' else dict(transcriber=transcriber)))
        rows.append(dict(id=r.id, piece=r.piece, skill=r.skill, **feedback_features(fb)))
        if (k + 1) % 50 == 0: print(f"  {kind}: {k + 1}/{len(sub)} recordings, {(time.time() - t0) / (k + 1):.1f} s each", flush=True)
    df = pd.DataFrame(rows); Path(out).mkdir(parents=True, exist_ok=True); df.to_csv(p, index=False)
    print(f"  {kind}: {len(df)} recordings in {time.time() - t0:.0f} s ({(time.time() - t0) / max(1, len(df)):.1f} s each)")
    return df

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--data', default='data/skill_all', help='folder with recordings.csv')
    ap.add_argument('--kinds', nargs='+', default=['midi', 'audio'], choices=['midi', 'audio'])
    ap.add_argument('--transcriber', default='spectral', help="how recordings are heard ('spectral' is always installed)")
    ap.add_argument('--every', type=int, default=1, help='use every n-th recording (a quicker, smaller run)')
    ap.add_argument('--folds', type=int, default=3); ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--out', default='runs/reference_skill')
    ap.add_argument('--save', default=None, help="add the weights trained on all recordings to this JSON (as 'midi' and as the transcriber's name)")
    a = ap.parse_args()
    from pianoscore.refskill import cross_validate, fit_reference_model, save_reference_models, FEATURES
    rec = pd.read_csv(Path(a.data) / 'recordings.csv')
    need = {'id', 'path', 'piece', 'skill', 'reference'} | ({'midi'} if 'midi' in a.kinds else set())
    if need - set(rec.columns): sys.exit(f"{a.data}/recordings.csv lacks columns {sorted(need - set(rec.columns))}")
    models = {}
    for kind in a.kinds:
        df = features(rec, a.data, kind, a.transcriber, a.out, a.every)
        cv = cross_validate(df, a.folds, a.seed)
        for f in cv['per_fold']:
            print(f"{kind} fold {f['fold']} (test: {', '.join(f['test_pieces'])}): pair {f['pair_acc']:.3f}  clear {f['clear_acc']:.3f}  "
                  f"equal {f['equal_acc']:.3f}  tau {f['tau']:.3f}  tau/piece {f['tau_within_piece']:.3f}  same-piece clear {f['within_clear_acc']:.3f}")
        mm = cv['mean']
        print(f"{kind}{' (' + a.transcriber + ')' if kind == 'audio' else ''}, {len(df)} recordings of {df.piece.nunique()} pieces, "
              f"{a.folds}-fold CV by piece: pairs {mm['pair_acc']:.3f}, pairs >= 0.2 apart {mm['clear_acc']:.3f}, equal pairs {mm['equal_acc']:.3f}, "
              f"tau {mm['tau']:.3f}, tau within piece {mm['tau_within_piece']:.3f}, same-piece pairs >= 0.2 apart {mm['within_clear_acc']:.3f}", flush=True)
        meta = dict(trained_on=f"{a.data}: {len(df)} recordings, {df.piece.nunique()} pieces", cv=mm,
                    transcriber=a.transcriber if kind == 'audio' else None,
                    command=' '.join(['python bench/train_reference_skill.py'] + sys.argv[1:]))
        key = kind if kind == 'midi' else a.transcriber
        models[key] = fit_reference_model(df, list(FEATURES), meta=meta)
        print(f"{key}: {models[key]}")
    if a.save: print('weights:', save_reference_models(models, a.save, dict(created=time.strftime('%Y-%m-%d'))))

if __name__ == '__main__': main()
