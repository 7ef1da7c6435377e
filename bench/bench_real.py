"""The real sample video against what its sound says was played (a pseudo-truth; no human labels exist).

`transcribe` reads the video as a user's call would (keyboard found, fitted, octave checked, shipped weights); the
recording's own sound track, transcribed by transkun (a learned audio transcriber, when installed) or else
pianoscore's spectral transcriber, gives the reference notes. Only reference notes on keys in the picture count. The
video's notes are shifted by the lag that best matches the two (searched over +-0.3 s in 10 ms steps, since a phone's
sound and picture need not be in sync), then scored with mir_eval's onset F1 (50 ms) and, more leniently, 100 ms.
Audio transcribers miss and invent notes too, so the figure is a pseudo-truth check, useful to compare versions.

Run: OMP_NUM_THREADS=1 python bench/bench_real.py [VIDEO] [--no-align]
(default VIDEO: ../shared/samples/real_partial_keyboard_righthand.mp4)
"""
import argparse, json, warnings
from pathlib import Path
import numpy as np

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('video', nargs='?', default=str(Path(__file__).resolve().parents[1].parent / 'shared/samples/real_partial_keyboard_righthand.mp4'))
    ap.add_argument('--no-align', action='store_true'); ap.add_argument('--json', action='store_true')
    a = ap.parse_args()
    warnings.simplefilter('ignore')
    from pianoscore.transcribe import transcribe
    from pianoscore.feedback import transcribe_audio, available_transcribers
    from pianoscore.media import read_audio_track
    from pianoscore.core import note_metrics
    tr = transcribe(a.video, align=not a.no_align, progress=False)
    method = 'transkun' if 'transkun' in available_transcribers() else 'spectral'
    y, sr = read_audio_track(a.video, sr=44100)
    ref = transcribe_audio(y, sr, transcriber=method).notes
    vis = set(tr.keyboard.visible_pitches)
    move = lambda ns, d: [type(n)(n.velocity, n.pitch, n.start + d, n.end + d) for n in ns]
    ref = move([n for n in ref if n.pitch in vis], 1.0)   # both a second later, so that no lag makes a time negative
    est = list(tr.notes)
    shifted = lambda lag: move(est, 1.0 + lag)
    lags = np.round(np.arange(-0.3, 0.301, 0.01), 3)
    f1 = [note_metrics(ref, shifted(l))['onset_f1'] for l in lags]
    lag = float(lags[int(np.argmax(f1))])
    m50 = note_metrics(ref, shifted(lag)); m100 = note_metrics(ref, shifted(lag), onset_tolerance=0.1)
    kb = tr.keyboard
    res = dict(video=Path(a.video).name, align=not a.no_align, keyboard=f"{kb}", octave=tr.octave, reference=method,
               n_reference=len(ref), n_video=len(est), lag_s=lag, onset_f1=round(m50['onset_f1'], 3),
               onset_precision=round(m50['onset_precision'], 3), onset_recall=round(m50['onset_recall'], 3),
               onset_f1_100ms=round(m100['onset_f1'], 3))
    if a.json: print(json.dumps(res)); return
    for k, v in res.items(): print(f"{k}: {v}")

if __name__ == '__main__': main()
