"""Exploration: does subtracting the score of a clean rendering of the reference lift PDR/APR across pieces?

For each fold model saved by `bench/bench_skill.py --data data/skill_all --norm band --window 4 --size 128 128 --steps 300
--out runs/bench_skill_all`, every test recording is scored, and so is its reference MIDI rendered by FluidSynth either
with one fixed sound (`fluidr3`: FluidR3 GM, acoustic grand, dry room) or with the recording's own soundfont, program
and room (`same`, an oracle: a user's reference never sounds like their piano). Prints pairwise accuracy on pairs
>= 0.2 apart within each test fold, tau (mean over folds) and same-piece accuracy, for the score and for the score
minus the reference's score.

    OMP_NUM_THREADS=2 python bench/explore_reference_subtraction.py pdr,apr fluidr3
    OMP_NUM_THREADS=2 python bench/explore_reference_subtraction.py pdr,apr same
"""
import sys, json, numpy as np, pandas as pd, pretty_midi, warnings, soundfile as sf
from pathlib import Path
from scipy.stats import kendalltau
warnings.filterwarnings('ignore')
sys.path.insert(0, str(Path(__file__).parent.parent))
from pianoscore.skill import assess
from pianoscore.perform import render_performance
data = Path('data/skill_all'); rec = pd.read_csv(data / 'recordings.csv')
out = Path('runs/reference_renderings'); out.mkdir(parents=True, exist_ok=True)
SF = sys.argv[2] if len(sys.argv) > 2 else 'fluidr3'
def ref_wav(refmid, sfname, prog=0, room='dry'):
    p = out / f"{Path(refmid).parent.parent.name}_{Path(refmid).stem}_{sfname}_{prog}_{room}.wav"
    if not p.exists():
        y, _ = render_performance(pretty_midi.PrettyMIDI(str(data / refmid)), sr=44100, soundfont=sfname, program=prog, room=room)
        sf.write(p, y, 44100)
    return p
res = []
for model in sys.argv[1].split(','):
    R = json.load(open(f'runs/bench_skill_all/{model}/results_{model}.json'))
    for f in R['per_fold']:
        mp = f'runs/bench_skill_all/{model}/skill_{model}_fold{f["fold"]}.pt'
        te = rec[rec.piece.isin(f['test_pieces'])]
        for r in te.itertuples():
            s = assess(str(data / r.path), model=mp, mode='sparse', k=9).score
            if SF == 'same': rp = ref_wav(r.reference, r.soundfont, r.program, r.room)
            else: rp = ref_wav(r.reference, SF)
            sr_ = assess(str(rp), model=mp, mode='sparse', k=9).score
            res.append(dict(model=model, fold=f['fold'], id=r.id, piece=r.piece, skill=r.skill, s=s, sref=sr_))
df = pd.DataFrame(res); df.to_csv(f'runs/reference_renderings/scores_{SF}.csv', index=False)
for model, dm in df.groupby('model'):
    for col in ('s', 'd'):
        A = []
        for fold, g in dm.groupby('fold'):
            sc = (g.s - g.sref).to_numpy() if col == 'd' else g.s.to_numpy(); sk = g.skill.to_numpy(); pc = g.piece.to_numpy()
            i, j = np.triu_indices(len(g), 1); d = sk[i] - sk[j]; ds = sc[i] - sc[j]; m = np.abs(d) >= 0.2 - 1e-9
            A.append(((np.sign(ds[m]) == np.sign(d[m])).mean(), kendalltau(sc, sk)[0], ((np.sign(ds[m & (pc[i]==pc[j])]) == np.sign(d[m & (pc[i]==pc[j])])).mean())))
        A = np.array(A).mean(0)
        print(f"{model} {'score - reference score' if col == 'd' else 'score':24s} clear {A[0]:.3f} tau {A[1]:.3f} within-piece clear {A[2]:.3f}")
