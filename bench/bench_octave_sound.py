"""How well the sound tells a keyboard's octave (`pianoscore.transcribe.octave_scores`), with the true notes.

For every clip of the rendered datasets given (NAME.mp4 + NAME.mid), the clip's true notes are scored at each octave
shift against its sound heard three ways: the clip's own sound track (FluidSynth, FluidR3); the MIDI rendered again with
a random soundfont, piano program and room (`render_performance`, seeded by the clip's number); and that through a
2nd-order 200 Hz high-pass (a phone's thin bass). Scorings compared: `octave_scores` (the rise of the raw log
constant-Q spectrum in each fundamental's bin), `octave_scores(specific=True)` (that rise less the bin's usual rise
when notes of other pitch classes start), and the one they replaced (the rise of `transcribe_spectral`'s
harmonic-template activations); and the first two less half the mean rise where the shifted notes have no partial (an
octave below and a fifth above: `OCTAVE_SUB_WEIGHT`), which `transcribe` uses. Printed per scoring and sound: how often the true octave scores best; the largest
margin by which a wrong octave beats the true one (the margin `transcribe` needs so that it never moves a right
keyboard); and, at a margin, how many keyboards numbered one octave off (+-12) would be put right. Last, `transcribe`'s
rule: renumber only when both scorings it uses put the same other octave first, by its `octave_margin` and
`specific_margin` (0.15 and 0.1); and the same rule with the scorings and margins it used before (no sub weight, 0.4, 0.2).

Run: OMP_NUM_THREADS=1 python bench/bench_octave_sound.py data/render_test7 data/render_test data/render_val2 data/render_v3/valid
"""
import sys, warnings
from pathlib import Path
import numpy as np, pretty_midi
warnings.simplefilter('ignore')
from scipy.signal import butter, sosfilt
from pianoscore.core import MIN_PITCH, MAX_PITCH
from pianoscore.media import read_audio_track
from pianoscore.perform import render_performance
import inspect
from pianoscore.transcribe import _onset_rises, _shift_means, transcribe, OCTAVE_SUB_WEIGHT
from pianoscore.feedback import transcribe_spectral

SHIFTS = range(-36, 37, 12)

def template_scores(notes, y, sr, shifts=SHIFTS):
    "The scoring octave_scores used before: the rise of the harmonic-template activations at each shifted pitch."
    a = transcribe_spectral(y, sr); H = a.activation
    if H is None or H.shape[1] < 10 or not notes: return {}
    L = np.log1p(H / (np.percentile(H, 99.5) + 1e-9) * 100)
    ps = np.array([n.pitch for n in notes]); ts = np.array([int(round(n.start * a.fps)) for n in notes])
    ok = (ts >= 0) & (ts < L.shape[1]); ps, ts = ps[ok], ts[ok]
    return {int(s): float(np.mean([L[i, t:t + 10].max() - L[i, max(0, t - 8):max(1, t - 2)].mean() for i, t in zip(ps + s - MIN_PITCH, ts)]))
            for s in shifts if len(ps) and ps.min() + s >= MIN_PITCH and ps.max() + s <= MAX_PITCH}

def main(folders):
    hp = butter(2, 200, 'highpass', fs=22050, output='sos')
    M = ('raw spectrum', 'specific', 'raw, sub', 'specific, sub', 'templates')
    res = {(m, s): [] for m in M for s in ('as rendered', 'other sound', 'high-pass 200 Hz')}
    i = 0
    for d in folders:
        for mid in sorted(Path(d).rglob('*.mid')):
            mp4 = mid.with_suffix('.mp4')
            if not mp4.exists(): continue
            pm = pretty_midi.PrettyMIDI(str(mid)); notes = pm.instruments[0].notes if pm.instruments else []
            if not notes: continue
            y0, sr0 = read_audio_track(mp4, sr=22050)
            y1, _ = render_performance(pm, sr=22050, seed=i); i += 1
            for sound, y in (('as rendered', y0), ('other sound', y1), ('high-pass 200 Hz', sosfilt(hp, y1).astype(np.float32))):
                r = _onset_rises(notes, y, 22050)   # what octave_scores computes, once for both scorings
                res['raw spectrum', sound].append(_shift_means(*r, SHIFTS, False) if r else {})
                res['specific', sound].append(_shift_means(*r, SHIFTS, True) if r else {})
                res['raw, sub', sound].append(_shift_means(*r, SHIFTS, False, OCTAVE_SUB_WEIGHT) if r else {})
                res['specific, sub', sound].append(_shift_means(*r, SHIFTS, True, OCTAVE_SUB_WEIGHT) if r else {})
                res['templates', sound].append(template_scores(notes, y, 22050))
            print(f"{mid.stem}: {len(notes)} notes", file=sys.stderr, flush=True)
    for method in M:
        S = [sc for (m, _), v in res.items() if m == method for sc in v if 0 in sc]
        gaps = [max(v for k, v in sc.items() if k != 0) - sc[0] for sc in S]
        need = max(gaps)
        print(f"== {method}: {len(S)} clip-sounds; largest margin of a wrong octave over the true one {need:.3f}")
        for (m, sound), v in res.items():
            if m != method: continue
            v = [sc for sc in v if 0 in sc]
            first = sum(max(sc, key=sc.get) == 0 for sc in v)
            print(f"   {sound:>17}: true octave first in {first}/{len(v)}")
        for margin in sorted({0.4, 0.8, round(need * 1.01 + 0.005, 2)}):
            fixed = n = broken = 0
            for sc, g in zip(S, gaps):
                broken += g >= margin
                for k in (-12, 12):
                    if k in sc: n += 1; fixed += max(sc, key=sc.get) == 0 and sc[0] - sc[k] >= margin
            print(f"   margin {margin}: one octave off put right {fixed}/{n}; right keyboards moved {broken}/{len(S)}")
    d = inspect.signature(transcribe).parameters
    for a_, b_, ma, mb, what in (('raw, sub', 'specific, sub', d['octave_margin'].default, d['specific_margin'].default, "transcribe's rule"),
                                 ('raw spectrum', 'specific', 0.4, 0.2, 'the rule before (no sub weight)')):
        A = [sc for (m, _), v in res.items() if m == a_ for sc in v]
        B = [sc for (m, _), v in res.items() if m == b_ for sc in v]
        moved = fixed = n = 0
        for a, b in zip(A, B):
            if 0 not in a: continue
            moved += any(max(a, key=a.get) == k == max(b, key=b.get) and a[k] - a[0] >= ma and b[k] - b[0] >= mb for k in a if k != 0)
            for k in (-12, 12):   # numbered k off: the check compares the true octave with k
                if k in a: n += 1; fixed += max(a, key=a.get) == 0 == max(b, key=b.get) and a[0] - a[k] >= ma and b[0] - b[k] >= mb
        print(f"== {what} (both first on the same octave, margins {ma} and {mb}): one octave off put right {fixed}/{n}; right keyboards moved {moved}/{len(A)}")

if __name__ == '__main__': main(sys.argv[1:])
