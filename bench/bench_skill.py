"""k-fold skill-ranking figures for PDR and APR on held-out pieces.

Trains each model on k-1 folds of pieces (with a validation split of the training pieces for model selection, never
the test fold) and reports, on the held-out fold: pairwise accuracy on unequal pairs, on pairs whose skills differ by
>= 0.2, equal-pair accuracy (threshold m/2 and the one chosen on validation) and Kendall tau (all test recordings; mean
within piece). Pairs are all pairs of the data (pianoscore.pairs.make_pairs: across pieces too, equal within 0.05);
the `within` columns repeat the figures on the pairs of two takes of one piece.

    OMP_NUM_THREADS=1 nice -n 10 python bench/bench_skill.py --data data/skill_all     # the figures in nbs/42_skill.ipynb
    OMP_NUM_THREADS=1 nice -n 10 python bench/bench_skill.py --train-pieces 4 ...     # learning curve: fewer training pieces
    python bench/bench_skill.py --data data/skill_bench --ceiling                     # hand-made features, no training

`--ceiling` ranks the recordings by simple non-learned features instead (from the performed MIDI, i.e. a perfect
transcription without the score; from audio onsets; and, as an oracle, the realized errors in the logs) to show how
much of the skill the recordings carry; `midi_learned` weights the performed-MIDI features with a pairwise logistic
regression trained on the other pieces (3 folds by piece).
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
    if p.exists() and os.path.getmtime(p) > os.path.getmtime(data / 'recordings.csv'): return p
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

def ceiling(data):
    "Rank recordings by non-learned features; pairwise accuracy (all / >= 0.2 apart / >= 0.2 apart within a piece) and tau."
    import pretty_midi, librosa
    from scipy.stats import kendalltau
    rec = pd.read_csv(Path(data) / 'recordings.csv'); rows = []
    for r in rec.itertuples():
        f = dict(skill=r.skill, piece=r.piece)
        ns = sorted([n for i in pretty_midi.PrettyMIDI(str(Path(data) / r.midi)).instruments for n in i.notes], key=lambda n: n.start)
        t = np.array([n.start for n in ns]); ioi = np.diff(t); big = ioi[ioi >= 0.08]
        f['midi_chord_spread'] = ioi[ioi < 0.08].mean() if (ioi < 0.08).any() else 0.              # notes of a chord not together
        f['midi_ioi_irregularity'] = np.median(np.abs(np.diff(np.log(big)))) if len(big) > 2 else 0.  # uneven note-to-note time
        f['midi_velocity_unevenness'] = np.std(np.diff([n.velocity for n in ns]))
        f['midi_semitone_clashes'] = sum(abs(ns[j].pitch - ns[i].pitch) == 1 for i in range(len(ns))
                                         for j in range(i + 1, len(ns)) if ns[j].start - ns[i].start <= 0.1) / len(ns)
        y, sr = librosa.load(str(Path(data) / r.path), sr=22050)
        on = librosa.onset.onset_detect(y=y, sr=sr, hop_length=256, units='time'); big = np.diff(on); big = big[big >= 0.08]
        f['audio_ioi_irregularity'] = np.median(np.abs(np.diff(np.log(big)))) if len(big) > 2 else 0.
        lg = json.loads((Path(data) / r.log).read_text())
        tm = [e['amount'] for e in lg['errors'] if e['kind'] == 'timing']
        f['oracle_jitter'] = np.std(tm) if tm else 0.
        f['oracle_note_errors'] = sum(lg['counts'][k] for k in ('wrong', 'missed', 'extra')) / lg['n_score_notes']
        rows.append(f)
    df = pd.DataFrame(rows); feats = [c for c in df.columns if c not in ('skill', 'piece')]
    z = lambda c: (df[c] - df[c].mean()) / (df[c].std() + 1e-12)
    df['midi_all'] = sum(z(c) for c in feats if c.startswith('midi_')); df['oracle_all'] = z('oracle_jitter') + z('oracle_note_errors')
    sk, pc = df.skill.to_numpy(), df.piece.to_numpy(); i, j = np.triu_indices(len(df), 1); d = sk[i] - sk[j]
    # a learned weighting of the performed-MIDI features (pairwise logistic, pianoscore.refskill.fit_pairwise), 3 folds by piece:
    # each recording is scored by the model that did not see its piece; its pairs are those within one test fold
    from pianoscore.refskill import fit_pairwise
    mf = [c for c in feats if c.startswith('midi_')]; X = np.log(df[mf].to_numpy(float) + 1e-2)
    from pianoscore.skill import group_folds
    fold = rec['id'].astype(str).map(group_folds(rec, 3, ('piece',))).to_numpy(); df['midi_learned'] = 0.
    for k in range(3):
        te = fold == k; mu, sd = X[~te].mean(0), X[~te].std(0) + 1e-9
        df.loc[te, 'midi_learned'] = -(((X[te] - mu) / sd) @ fit_pairwise((X[~te] - mu) / sd, df.skill.to_numpy()[~te]))
    out = []
    for c in feats + ['midi_all', 'midi_learned', 'oracle_all']:
        s = -df[c].to_numpy(); ds = s[i] - s[j]
        same = fold[i] == fold[j] if c == 'midi_learned' else np.ones(len(i), bool)   # the learned score: pairs inside one test fold
        acc = lambda m: float((np.sign(ds[m & same]) == np.sign(d[m & same])).mean())
        out.append(dict(feature=c, pair_acc=acc(np.abs(d) > 0.05), clear_acc=acc(np.abs(d) >= 0.2 - 1e-9),
                        within_clear_acc=acc((np.abs(d) >= 0.2 - 1e-9) & (pc[i] == pc[j])), tau=kendalltau(s, sk)[0] if c != 'midi_learned' else float(np.mean([kendalltau(s[fold == k], sk[fold == k])[0] for k in range(3)])),
                        tau_within_piece=float(np.nanmean([kendalltau(s[pc == p], sk[pc == p])[0] for p in np.unique(pc)]))))
    return pd.DataFrame(out)

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
    ap.add_argument('--train-pieces', type=int, default=None, help='train each fold on at most this many pieces (learning curve)')
    ap.add_argument('--eval-mode', default='sparse', choices=['sparse', 'dense'])
    ap.add_argument('--eval-k', type=int, default=9)
    ap.add_argument('--norm', default=None, choices=['clip', 'band'], help="spectrogram standardization (default: SkillConfig's)")
    ap.add_argument('--window', type=float, default=None, help="snippet length in s (default: SkillConfig's)")
    ap.add_argument('--size', type=int, nargs=2, default=None, help="snippet image size: mel bins, frames (default: SkillConfig's)")
    ap.add_argument('--segments', type=int, default=None, help="TSN segments in training (default: SkillConfig's)")
    ap.add_argument('--lr', type=float, default=2e-3); ap.add_argument('--batch', type=int, default=16)
    ap.add_argument('--augment', action='store_true', help='random tempo stretch and mel-band shift of training snippets')
    ap.add_argument('--ceiling', action='store_true', help='rank by non-learned features instead of training (see above)')
    ap.add_argument('--out', default='runs/bench_skill')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--device', default=None)
    a = ap.parse_args()
    from pianoscore.skill import train_skill, SkillConfig
    data = make_data(a.data, a.pieces, a.per_piece, a.seconds, a.seed)
    if a.ceiling:
        print(f"non-learned features on {data}:\n" + ceiling(data).to_string(index=False, float_format=lambda v: f'{v:.3f}')); return
    steps = 150 if a.quick else a.steps
    cfg = SkillConfig(**{k: v for k, v in dict(norm=a.norm, window_s=a.window, size=tuple(a.size) if a.size else None, segments=a.segments).items() if v is not None})
    pairs = ensure_pairs(data, a.out)
    rows = []
    for m in a.models:
        t = time.time()
        r = train_skill(pairs, data / 'recordings.csv', model=m, folds=a.folds, steps=steps, out=Path(a.out) / m, train_pieces=a.train_pieces,
                        eval_mode=a.eval_mode, eval_k=a.eval_k, seed=a.seed, device=a.device, progress=False, cfg=cfg,
                        lr=a.lr, batch=a.batch, augment=a.augment)
        for f in r['per_fold']:
            print(f"{m} fold {f['fold']} ({f['n_train_pieces']} training pieces; test: {', '.join(f['test_pieces'])}): pair {f['pair_acc']:.3f}  clear {f['clear_acc']:.3f}  "
                  f"equal {f['equal_acc']:.3f}/{f['equal_acc_val_threshold']:.3f}  tau {f['tau']:.3f}  tau/piece {f['tau_within_piece']:.3f}  "
                  f"within-piece pairs: pair {f.get('within_pair_acc', np.nan):.3f} clear {f.get('within_clear_acc', np.nan):.3f} equal {f.get('within_equal_acc', np.nan):.3f}", flush=True)
        mm = r['mean']
        rows.append(dict(model=m, pair_acc=mm['pair_acc'], clear_acc=mm['clear_acc'], equal_acc=mm['equal_acc'],
                         equal_acc_valthr=mm['equal_acc_val_threshold'], tau=mm['tau'], tau_within_piece=mm['tau_within_piece'],
                         within_pair_acc=mm.get('within_pair_acc', np.nan), within_clear_acc=mm.get('within_clear_acc', np.nan),
                         within_equal_acc=mm.get('within_equal_acc', np.nan), train_pieces=mm['n_train_pieces'],
                         n_test_pairs=int(sum(f['n_pairs'] for f in r['per_fold'])), seconds=round(time.time() - t)))
    df = pd.DataFrame(rows)
    print(f"\n{a.folds}-fold CV by piece on {data} ({len(pd.read_csv(data / 'recordings.csv'))} recordings), {steps} steps per fold, {cfg}")
    print(df.to_string(index=False, float_format=lambda v: f'{v:.3f}'))
    Path(a.out).mkdir(parents=True, exist_ok=True)
    (Path(a.out) / 'bench.json').write_text(json.dumps(dict(args=vars(a), cfg=str(cfg), rows=rows), indent=1, default=str))

if __name__ == '__main__': main()
