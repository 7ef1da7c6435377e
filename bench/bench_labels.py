"""Pseudo-labels from the sound track of rendered videos: onset F1 against the truth and recovery of injected lags.

Usage: OMP_NUM_THREADS=1 nice -n 5 python bench/bench_labels.py [--n 3] [--seconds 10] [--seed 0] [--extra 6] [--out DIR] [--json]

For each of N clips (music21 corpus excerpts rendered by pianoscore.render.render_video with a random style) the
sound is re-muxed with a random lag in [-0.5, 0.5] s (pianoscore.labels.shift_sound), then `label_video` runs the
whole path: read the sound, transcribe it (transkun), measure the lag from the presses seen, write labels at the
video's fps. Printed: note onset F1 (mir_eval, 50 ms) of the labels' MIDI against the truth MIDI over the notes the lagged
sound track still holds (a lag of d s cuts d s of sound off one end; `onset_f1_all_notes` counts those too), the
share of truth onset frames labelled within +-1 frame, and the lag error in frames. `--extra` more lags per clip re-use that clip's
transcription, put on the picture's true clock and moved by lags spread over [-0.5, 0.5] s, against the picture's
onset signals (video model and brightness, the surer kept, as label_video does): a cheap check over the whole range.
Targets: onset F1 >= 0.9, lag error within one frame.
"""
import argparse, json, time, tempfile, shutil
from pathlib import Path
import numpy as np

PIECES = ['bach/bwv846', 'mozart/k545/movement1_exposition', 'joplin/maple_leaf_rag', 'schumann_clara/polonaise_op1n3']

def corpus_midi(name, folder):
    import music21
    p = Path(folder) / (name.replace('/', '_') + '.mid')
    if not p.exists():
        mf = music21.midi.translate.streamToMidiFile(music21.corpus.parse(name)); mf.open(str(p), 'wb'); mf.write(); mf.close()
    return p

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--n', type=int, default=3); ap.add_argument('--seconds', type=float, default=10.)
    ap.add_argument('--seed', type=int, default=0); ap.add_argument('--extra', type=int, default=6)
    ap.add_argument('--out', default=None); ap.add_argument('--json', action='store_true')
    a = ap.parse_args()
    from pianoscore.render import render_video
    from pianoscore.media import load_midi
    from pianoscore.core import midi_notes, note_metrics
    from pianoscore.labels import label_video, load_labels, shift_sound, shift_notes, visual_onsets, estimate_offset, load_transcriber, _default_video_model
    rng = np.random.default_rng(a.seed)
    d = Path(a.out or tempfile.mkdtemp(prefix='bench_labels_')); d.mkdir(parents=True, exist_ok=True)
    t0 = time.time(); load_transcriber(); t_load = time.time() - t0
    rows, extra_err = [], []
    for i in range(a.n):
        piece = PIECES[i % len(PIECES)]; mid = corpus_midi(piece, d)
        dur = max(n.end for n in midi_notes(load_midi(mid)))
        start = float(rng.uniform(0, max(dur - a.seconds - 1, 0.)))
        seed = int(rng.integers(1_000_000)); lag = float(rng.uniform(-0.5, 0.5))
        clip = d / f'clip{i}.mp4'
        r = render_video(mid, clip, seed=seed, start=start, end=start + a.seconds, progress=False)
        v = d / f'clip{i}_lag.mp4'; shift_sound(clip, v, lag); shutil.copy(clip.with_suffix('.npz'), v.with_suffix('.npz'))
        t = time.time(); lab = label_video(v); t_lab = time.time() - t
        fps = lab['fps']; truth_notes = midi_notes(load_midi(clip.with_suffix('.mid')))
        est_notes = midi_notes(load_midi(lab['midi']))
        m_all = note_metrics(truth_notes, est_notes)
        # the injected lag cuts |lag| s of sound off one end: score the notes the sound track still holds
        a0, a1 = max(0., -lag) + 0.05, r['seconds'] - max(0., lag) - 0.05
        inside = lambda ns: [n for n in ns if a0 <= n.start <= a1]
        m = note_metrics(inside(truth_notes), inside(est_notes))
        L = load_labels(v); T = np.load(clip.with_suffix('.npz'))
        t_on, l_on = np.argwhere(T['onsets']), np.argwhere(L.onsets)
        t_on = t_on[(t_on[:, 0] >= a0 * fps) & (t_on[:, 0] <= a1 * fps)]
        near = float(np.mean([np.any((l_on[:, 1] == k) & (np.abs(l_on[:, 0] - f) <= 1)) for f, k in t_on])) if len(t_on) else 1.
        err = (lab['offset'] - lag) * fps
        rows.append(dict(clip=clip.name, piece=piece, start=round(start, 1), seed=seed, fps=fps, notes=len(truth_notes),
                         onset_f1=round(m['onset_f1'], 4), onset_f1_all_notes=round(m_all['onset_f1'], 4), onset_offset_f1=round(m['onset_offset_f1'], 4), onset_frames_within_1=round(near, 4),
                         lag=round(lag, 4), found=lab['offset'], error_frames=round(err, 3), z=lab['offset_z'], signal=lab['onset_signal'],
                         label_seconds=round(t_lab, 1), transcribe_seconds=lab['transcribe_seconds']))
        if a.extra:   # the range check: this clip's transcription put on the picture's true clock, moved by other lags
            heard = shift_notes(est_notes, lab['offset'] - lag)
            m0 = _default_video_model(); sigs = [visual_onsets(clip, model=c) for c in ([m0] if m0 is not None else []) + ['brightness']]
            for lg in np.linspace(-0.5, 0.5, a.extra):
                e = max((estimate_offset(shift_notes(heard, float(lg)), sg, fv) for sg, fv, _ in sigs), key=lambda x: x['z'])
                extra_err.append(abs(e['offset'] - lg) * sigs[0][1])
        if not a.json: print(json.dumps(rows[-1]), flush=True)
    f1 = [r['onset_f1'] for r in rows]; errs = [abs(r['error_frames']) for r in rows]
    summary = dict(clips=len(rows), seconds_each=a.seconds, onset_f1_mean=round(float(np.mean(f1)), 4), onset_f1_min=round(float(np.min(f1)), 4),
                   lag_error_frames_max=round(float(np.max(errs)), 3), lag_error_frames_mean=round(float(np.mean(errs)), 3),
                   extra_lags=len(extra_err), extra_lag_error_frames_max=round(float(np.max(extra_err)), 3) if extra_err else None,
                   targets_met=bool(np.min(f1) >= 0.9 and np.max(errs + extra_err) < 1), model_load_seconds=round(t_load, 1),
                   total_seconds=round(time.time() - t0, 1), folder=str(d))
    if a.json: print(json.dumps(dict(rows=rows, summary=summary)))
    else:
        print('\n' + f"{'clip':10} {'piece':34} {'fps':>4} {'notes':>5} {'onsetF1':>8} {'on+offF1':>8} {'lag s':>7} {'found s':>8} {'err fr':>7}")
        for r in rows: print(f"{r['clip']:10} {r['piece']:34} {r['fps']:4.0f} {r['notes']:5d} {r['onset_f1']:8.3f} {r['onset_offset_f1']:8.3f} {r['lag']:+7.3f} {r['found']:+8.3f} {r['error_frames']:+7.2f}")
        print(json.dumps(summary))

if __name__ == '__main__': main()
