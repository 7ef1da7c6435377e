"""Performances of known skill: how much each skill level degrades the score, and what rendering costs.

Prints, per skill, the mean counts of injected errors over pieces and seeds, the share of notes whose onset is off by
more than 150 ms from where its neighbours (within 1.5 s) put it, and the time to render a clip through each
soundfont.  Usage: OMP_NUM_THREADS=1 python bench/bench_perform.py [--pieces 6] [--seeds 4] [--seconds 15]
"""
import argparse, time
import numpy as np, pandas as pd
from pianoscore.core import midi_notes
from pianoscore.perform import score_notes, degrade, render_performance, available_soundfonts, corpus_pieces

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--pieces', type=int, default=6); ap.add_argument('--seeds', type=int, default=4)
    ap.add_argument('--seconds', type=float, default=15.); a = ap.parse_args()
    rows = []
    for piece in corpus_pieces(a.pieces):
        notes = score_notes(piece, seconds=a.seconds)
        for s in (1.0, 0.8, 0.6, 0.4, 0.2, 0.0):
            for seed in range(a.seeds):
                pm, log = degrade(notes, s, seed=seed)
                got = midi_notes(pm); m = [(i, j) for i, j in enumerate(log['score_to_perf']) if j >= 0]
                # onset error against a straight line fitted through score -> performance onsets (global tempo removed)
                x = np.array([notes[i].start for i, _ in m]); y = np.array([got[j].start for _, j in m])
                A = np.c_[x, np.ones_like(x)]; res = y - A @ np.linalg.lstsq(A, y, rcond=None)[0]
                # ... and against its neighbours (notes within 1.5 s of score time): what a listener hears as early/late
                loc = np.array([np.median(res[(np.abs(x - xi) < 1.5) & (np.arange(len(x)) != k)]) if len(x) > 1 else 0. for k, xi in enumerate(x)])
                res = res - loc
                c = log['counts']
                rows.append(dict(piece=piece, skill=s, notes=len(notes), wrong=c['wrong'], missed=c['missed'], extra=c['extra'],
                                 hesitations=c['hesitation'], late_150ms=float(np.mean(np.abs(res) > 0.15)),
                                 length=pm.get_end_time() / (notes[-1].end)))
    df = pd.DataFrame(rows)
    print(f"injected errors per {a.seconds:.0f} s excerpt ({a.pieces} pieces x {a.seeds} seeds):")
    print(df.groupby('skill')[['notes', 'wrong', 'missed', 'extra', 'hesitations', 'late_150ms', 'length']].mean().round(3).sort_index(ascending=False).to_string())
    pm, _ = degrade(score_notes(corpus_pieces(1)[0], seconds=a.seconds), 0.5, seed=0)
    print(f"\nrender time of a {pm.get_end_time():.1f} s performance at 44.1 kHz:")
    for name in sorted(available_soundfonts()):
        t = time.time(); y, info = render_performance(pm, sr=44100, seed=0, soundfont=name, room='hall'); dt = time.time() - t
        print(f"  {name:<10} {dt:5.2f} s  (rms {20 * np.log10(np.sqrt(np.mean(y ** 2))):.1f} dBFS)")

if __name__ == '__main__': main()
