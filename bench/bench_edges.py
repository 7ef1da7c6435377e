"""Keys next to the picture's edge: how well a Video2Roll model reads them.

Usage: python bench/bench_edges.py DATASET [--models default runs/x/best.pt ...] [--split test] [--clips 6] [--every 3]

A close-up (or a phone held near the keys) ends the picture inside the keyboard: `rectify` leaves everything past the
frame's edge black. This benchmark takes the test clips that show the whole keyboard, and for every `--every`th key
that is played, blacks the strips out just past that key (on its right, then on its left), as a frame edge would,
and scores the key next to the edge ("edge key") and the one beside it ("second key"): frame recall and precision at
the model's decision threshold, against the same keys with the whole keyboard in view, with the part past the edge left
black and filled from the keys an octave inside (`pianoscore.keyboard.fill_octaves`, what `rectify` does since it
was written). No refiner: the KeyNet alone.
"""
import argparse, json
from pathlib import Path
import numpy as np, torch

def counts(p, ref, th):
    e = p >= th
    return np.array([(e & ref).sum(), (~e & ref).sum(), (e & ~ref).sum()])

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('dataset'); ap.add_argument('--models', nargs='+', default=['default'])
    ap.add_argument('--split', default='test'); ap.add_argument('--clips', type=int, default=6)
    ap.add_argument('--every', type=int, default=3); ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--json', action='store_true')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    from pianoscore.video2roll import load_model, predict_strips, key_columns
    from pianoscore.keyboard import fill_octaves
    from pianoscore.train import dataset_split, load_clips
    stems = dataset_split(a.dataset, a.split)
    clips = [c for c in load_clips(stems, 0, Path(a.dataset) / '.strips', progress=False) if c.visible.all()][:a.clips]
    if not clips: raise SystemExit(f'no clip of {a.dataset} ({a.split}) shows the whole keyboard')
    cols = key_columns(); out = dict(dataset=a.dataset, clips=[c.name for c in clips], models={})
    for name in a.models:
        m = load_model(name); th = (getattr(m, 'meta', {}) or {}).get('decision_threshold', 0.5)
        tot = {k: np.zeros(3, int) for k in ('edge_full', 'edge_cut', 'edge_filled', 'second_full', 'second_cut', 'second_filled')}
        for c in clips:
            s = np.asarray(c.strips[0]); full = predict_strips(m, s)[..., 0]
            for k in np.nonzero(c.roll.any(0))[0][::a.every]:
                for side in ('right', 'left'):
                    t = s.copy(); nb = k - 1 if side == 'right' else k + 1
                    if not 0 <= nb < 88: continue
                    ins = np.ones(s.shape[1:], bool)
                    if side == 'right': ins[:, int(np.ceil(cols[k, 1])):] = False
                    else: ins[:, :int(cols[k, 0])] = False
                    t[:, ~ins] = 0
                    p, q = predict_strips(m, t)[..., 0], predict_strips(m, fill_octaves(t, ins))[..., 0]
                    for key, kk in (('edge', k), ('second', nb)):
                        tot[f'{key}_full'] += counts(full[:, kk], c.roll[:, kk], th)
                        tot[f'{key}_cut'] += counts(p[:, kk], c.roll[:, kk], th); tot[f'{key}_filled'] += counts(q[:, kk], c.roll[:, kk], th)
        res = {}
        for k, (tp, fn, fp) in tot.items():
            r, pr = tp / max(tp + fn, 1), tp / max(tp + fp, 1)
            res[k] = dict(recall=round(r, 4), precision=round(pr, 4), f1=round(2 * r * pr / max(r + pr, 1e-9), 4), tp=int(tp), fn=int(fn), fp=int(fp))
        out['models'][name] = res | dict(threshold=th)
    if a.json: print(json.dumps(out)); return
    print(f"{a.dataset} ({a.split}): {len(clips)} clips with the whole keyboard in view: {', '.join(out['clips'])}")
    for name, res in out['models'].items():
        print(f"{name} (threshold {res['threshold']}):")
        for k in ('edge', 'second'):
            f, c, g = res[f'{k}_full'], res[f'{k}_cut'], res[f'{k}_filled']
            fmt = lambda d: f"{d['recall']:.3f}/{d['precision']:.3f}/{d['f1']:.3f}"
            print(f"  {k} key ({c['tp'] + c['fn']} frames down), recall/precision/F1: whole keyboard in view {fmt(f)};"
                  f" cut off at the key, black past it {fmt(c)}, filled {fmt(g)}")

if __name__ == '__main__': main()
