"""Fine-tuning on pseudo-labelled videos of an unseen visual style: held-out scores against the truth, before and after.

Usage: OMP_NUM_THREADS=1 nice -n 5 python bench/bench_finetune.py [--model default] [--train 4] [--test 2] [--seconds 10]
                                                [--epochs 3] [--steps 60] [--seed 0] [--out DIR] [--json]

Renders TRAIN + TEST clips (music21 corpus excerpts; test clips from other pieces) in one visual style outside the
renderer's random draws (dim, low-contrast, yellowed keys, strong colour cast, noise and blur), labels the training
clips from their sound only (`pianoscore.labels.label_video`: transkun + measured lag; the truth is never used for
training), fine-tunes the video model on them (`pianoscore.labels.finetune`), and prints frame F1, note onset F1 and
onset+offset F1 (mir_eval, 50 ms) of the starting model and of the fine-tuned one on the held-out test clips against
their exact truth.
"""
import argparse, json, time, tempfile
from pathlib import Path
import numpy as np

NOVEL = dict(white=(120, 170, 215), brightness=0.55, contrast=0.6, gamma=1.8, noise=8., blur=1.5, cast=(0.7, 1.0, 1.4), fps=25.)
TRAIN_PIECES = ['bach/bwv846', 'mozart/k545/movement1_exposition', 'haydn/opus1no1/movement1']
TEST_PIECES = ['schumann_clara/polonaise_op1n3', 'schoenberg/opus19/movement6']

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--model', default='default'); ap.add_argument('--train', type=int, default=4); ap.add_argument('--test', type=int, default=2)
    ap.add_argument('--seconds', type=float, default=10.); ap.add_argument('--epochs', type=int, default=3); ap.add_argument('--steps', type=int, default=60)
    ap.add_argument('--seed', type=int, default=0); ap.add_argument('--out', default=None); ap.add_argument('--json', action='store_true')
    a = ap.parse_args()
    import sys; sys.path.insert(0, str(Path(__file__).parent))
    from bench_labels import corpus_midi
    from pianoscore.render import render_video
    from pianoscore.media import load_midi
    from pianoscore.core import midi_notes
    from pianoscore.labels import label_video, finetune
    from pianoscore.video2roll import load_model
    from pianoscore.train import load_clip, evaluate
    rng = np.random.default_rng(a.seed); d = Path(a.out or tempfile.mkdtemp(prefix='bench_finetune_')); d.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    def clips(pieces, n, tag):
        out = []
        for i in range(n):
            mid = corpus_midi(pieces[i % len(pieces)], d); dur = max(x.end for x in midi_notes(load_midi(mid)))
            s = float(rng.uniform(0, max(dur - a.seconds - 1, 0.)))
            v = d / f'{tag}{i}.mp4'; render_video(mid, v, seed=int(rng.integers(1_000_000)), style=NOVEL, start=s, end=s + a.seconds, progress=False)
            out.append(v)
        return out
    train, test = clips(TRAIN_PIECES, a.train, 'train'), clips(TEST_PIECES, a.test, 'test')
    labels = [label_video(v) for v in train]
    t_lab = time.time() - t0
    test_clips = [load_clip(v.with_suffix('')) for v in test]
    keys = ('frame_f1', 'onset_f1', 'onset_offset_f1')
    before = {k: round(v, 4) for k, v in evaluate(load_model(a.model), test_clips).items() if k in keys}
    t = time.time(); r = finetune(train, d / 'ft', a.epochs, steps=a.steps, base=a.model, seed=a.seed, progress=not a.json); t_ft = time.time() - t
    after = {k: round(v, 4) for k, v in evaluate(load_model(r['model']), test_clips).items() if k in keys}
    res = dict(style=NOVEL, train_clips=len(train), test_clips=len(test), seconds_each=a.seconds, start_model=a.model,
               pseudo_label_lags=[x['offset'] for x in labels], before=before, after=after,
               gain={k: round(after[k] - before[k], 4) for k in keys}, best_epoch=r['best_epoch'],
               label_seconds=round(t_lab, 1), finetune_seconds=round(t_ft, 1), folder=str(d))
    print(json.dumps(res) if a.json else '\n'.join([f"held-out {k:16} before {before[k]:.3f}  after {after[k]:.3f}  ({after[k] - before[k]:+.3f})" for k in keys] + [json.dumps(res)]))

if __name__ == '__main__': main()
