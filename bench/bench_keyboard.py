"""Keyboard detection on rendered clips: found / every visible key's pitch right / key-centre error / seconds per video,
and rectification speed against decoding on a 720p clip.

    OMP_NUM_THREADS=1 python bench/bench_keyboard.py --n 50 --seed0 6000      # held-out seeds (1000-5049 were used in development)
"""
import argparse, json, time, sys
from pathlib import Path
import numpy as np, pretty_midi
from pianoscore.core import key_geometry, white_index, is_black, note_name, MIN_PITCH
from pianoscore.keyboard import Keyboard, find_keyboard, rectify, _apply_h
from pianoscore.render import render_video

def random_midi(seed:int, seconds:float=3.0)->pretty_midi.PrettyMIDI:
    "Two hands of random notes, so that hands move over the keys."
    rng = np.random.default_rng(seed); pm = pretty_midi.PrettyMIDI(); ins = pretty_midi.Instrument(0); t = 0.
    while t < seconds:
        for a, b in ((33, 60), (57, 90)):
            p = int(rng.integers(a, b)); ins.notes.append(pretty_midi.Note(80, p, t, t + float(rng.uniform(0.15, 0.6))))
        t += float(rng.uniform(0.12, 0.35))
    pm.instruments.append(ins); return pm

def truth_keyboard(npz):
    d = np.load(npz); lo, hi = int(d['lo']), int(d['hi'])
    return d, Keyboard.from_corners(d['corners'], lo, hi)

def evaluate(mp4:Path, kb:Keyboard|None)->dict:
    "Compare a detection with the clip's truth."
    d, tk = truth_keyboard(mp4.with_suffix('.npz'))
    w, h = json.loads(mp4.with_suffix('.json').read_text())['width'], json.loads(mp4.with_suffix('.json').read_text())['height']
    ps = np.arange(tk.lo, tk.hi + 1); tc = tk.key_centers()
    vis = (tc[:, 0] >= 2) & (tc[:, 0] < w - 2) & (tc[:, 1] >= 2) & (tc[:, 1] < h - 2)
    r = dict(clip=mp4.stem, keys=tk.n_keys, visible=int(vis.sum()), truth_lo=note_name(ps[vis].min()), truth_hi=note_name(ps[vis].max()))
    if kb is None: return dict(r, found=False, right=False, no_wrong=False, right_pc=False, octave_known=False, err=np.nan)
    # our centre of each visible key must lie nearest to that key's true centre (distances in the true keyboard plane, mm)
    Ht = tk.homography; tmm = _apply_h(Ht, tc) * [23.5, 150]
    our = dict(zip(range(kb.lo, kb.hi + 1), kb.key_centers()))
    true = ps[vis]; covered = np.array([p in our for p in true])
    pred = np.array([ps[np.argmin(np.linalg.norm(tmm - _apply_h(Ht, [our[p]])[0] * [23.5, 150], axis=1))] if p in our else -1 for p in true])
    # up to the octave: the key of ours nearest each visible key's true centre, as an offset in semitones
    ours = np.array(list(our)); omm = _apply_h(Ht, np.array(list(our.values()))) * [23.5, 150]
    off = np.array([ours[np.argmin(np.linalg.norm(omm - tmm[i], axis=1))] - p for i, p in zip(np.nonzero(vis)[0], true)])
    right_pc = bool(len(set(off.tolist())) == 1 and off[0] % 12 == 0)
    # centre error in white-key widths, measured in the true keyboard plane
    both = [p for p in true if p in our]
    e = [np.linalg.norm((_apply_h(Ht, [our[p]])[0] - _apply_h(Ht, [tc[p - tk.lo]])[0]) * [1, 150 / 23.5]) for p in both]
    return dict(r, found=True, right=bool((pred == true).all() and covered.all()), no_wrong=bool((pred[covered] == true[covered]).all()),
                covered=float(covered.mean()), right_pc=right_pc, wrong=int((pred[covered] != true[covered]).sum()), err=float(np.median(e)) if e else np.nan,
                lo=note_name(kb.lo), hi=note_name(kb.hi), octave_known=kb.octave_known, octave_from=getattr(kb, 'details', {}).get('octave_from'), confidence=round(kb.confidence, 3))

def rectify_speed(folder:Path):
    "Frames/s of decoding a 720p clip and of rectifying its frames, and their ratio."
    import cv2
    from pianoscore.media import iter_frames
    mp4 = folder / 'speed720.mp4'
    if not mp4.exists(): render_video(random_midi(7, 4.0), mp4, seed=7, style=dict(width=1280, height=720, keys=88), audio=False, progress=False)
    _, kb = truth_keyboard(mp4.with_suffix('.npz')); kb.frame_size = (1280, 720)
    t = time.perf_counter(); frames = [f for _, _, f in iter_frames(mp4)]; dec = len(frames) / (time.perf_counter() - t)
    t = time.perf_counter()
    for f in frames: rectify(f, kb)
    rec = len(frames) / (time.perf_counter() - t)
    return dict(decode_fps=round(dec, 1), rectify_fps=round(rec, 1), ratio=round(rec / dec, 2), frames=len(frames))

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--n', type=int, default=30); ap.add_argument('--seed0', type=int, default=1000)
    ap.add_argument('--seconds', type=float, default=3.0, help='length of each rendered clip')
    ap.add_argument('--dir', default='data/bench_keyboard'); ap.add_argument('--style', default=None, help='a render style preset or JSON')
    ap.add_argument('--no-speed', action='store_true'); ap.add_argument('--verbose', '-v', action='store_true')
    a = ap.parse_args()
    folder = Path(a.dir); folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for seed in range(a.seed0, a.seed0 + a.n):
        mp4 = folder / f"clip{seed}{'_' + a.style if a.style and not a.style.startswith('{') else ''}.mp4"
        if not (mp4.exists() and mp4.with_suffix('.npz').exists()):
            render_video(random_midi(seed, a.seconds), mp4, seed=seed, style=a.style, audio=True, progress=False)
        t = time.perf_counter()
        try: kb, err = find_keyboard(mp4), None
        except ValueError as e: kb, err = None, str(e)
        r = dict(evaluate(mp4, kb), seconds=round(time.perf_counter() - t, 2))
        rows.append(r)
        if a.verbose or not r['right']: print(json.dumps({k: (round(v, 3) if isinstance(v, float) else v) for k, v in r.items()}) + (f"  error: {err[:120]}" if err else ''), flush=True)
    f = lambda k, rs=rows: np.mean([r[k] for r in rs]) if rs else float('nan')
    errs = [r['err'] for r in rows if r['found'] and np.isfinite(r['err'])]
    known = [r for r in rows if r['found'] and r['octave_known']]
    print(f"clips {len(rows)} (seeds {a.seed0}..{a.seed0 + a.n - 1}, style {a.style or 'random'}, {a.seconds:g} s each)")
    print(f"  keyboard found                      {f('found'):.1%}")
    print(f"  every visible key's pitch right     {f('right'):.1%}")
    print(f"  right up to the octave              {f('right_pc'):.1%}")
    src = lambda o: sum(r.get('octave_from') == o for r in rows) / len(rows)
    print(f"  octave from an end in view {src('ends'):.0%}, from the sound {src('audio'):.0%} (+ {src('audio-weak'):.0%} weak, not counted known), guessed {src('guess'):.0%} of clips")
    print(f"  octave known (end or sound)         {len(known) / len(rows):.1%} of clips; of those, all right {f('right', known):.1%}")
    print(f"  median key-centre error             {np.median(errs) if errs else float('nan'):.3f} white keys (median over clips; worst clip {max(errs) if errs else float('nan'):.3f})")
    print(f"  seconds per video (find_keyboard)   median {np.median([r['seconds'] for r in rows]):.2f}, max {max(r['seconds'] for r in rows):.2f}")
    if not a.no_speed: print('rectify 720p:', json.dumps(rectify_speed(folder)))

if __name__ == '__main__': main()
