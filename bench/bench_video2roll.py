"""Video2Roll benchmark on the held-out test split of a rendered dataset.

Usage: python bench/bench_video2roll.py DATASET [--model default] [--baseline BEST.pt] [--refine R2M.pt]
                                        [--split test] [--max-frames N] [--baseline-frames N] [--threads 2]
Prints frame P/R/F1, note onset F1 and onset+offset F1 (mir_eval, 50 ms) for pianoscore's default KeyNet (and Audeo's
Video2RollNet baseline when trained weights are given), both models' frames/s measured in this run and their ratio, and
end-to-end frames/s on a 720p video (decode, rectify, model, notes) with its ratio to decoding alone.
Keys are scored where they are in the picture (a close-up crops some keys off; no model can see those); the figures
with every key of the instrument counted (off-picture presses as misses) are printed too.
"""
import argparse, json, time, tempfile, os
from pathlib import Path
import numpy as np, torch

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('dataset'); ap.add_argument('--model', default='default'); ap.add_argument('--baseline', default=None)
    ap.add_argument('--refine', default=None); ap.add_argument('--split', default='test')
    ap.add_argument('--max-frames', type=int, default=None, help='frames per clip for accuracy (default all)')
    ap.add_argument('--baseline-frames', type=int, default=300, help='frames per clip for the baseline accuracy (it is slow)')
    ap.add_argument('--threads', type=int, default=2); ap.add_argument('--e2e-seconds', type=float, default=10.)
    ap.add_argument('--json', action='store_true')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    from pianoscore.video2roll import load_model, Video2RollNet, predict_strips, predict_roll, STRIP_H, STRIP_W
    from pianoscore.train import dataset_split, load_clips, evaluate
    res = dict(dataset=a.dataset, split=a.split, threads=torch.get_num_threads())
    stems = dataset_split(a.dataset, a.split)
    if not stems: raise SystemExit(f"no '{a.split}' clips in {a.dataset}")
    clips = load_clips(stems, 0, Path(a.dataset) / '.strips', a.max_frames, progress=False)
    res['clips'], res['frames'] = len(clips), int(sum(len(c) for c in clips))
    model = load_model(a.model)
    from pianoscore.video2roll import WEIGHTS
    if a.refine is None and a.model == 'default' and (WEIGHTS / 'roll2midi.pt').exists(): a.refine = str(WEIGHTS / 'roll2midi.pt')
    refine = load_model(a.refine, kind='roll2midi') if a.refine else None
    t = time.perf_counter(); m = evaluate(model, clips); t = time.perf_counter() - t
    res['keynet'] = m
    if refine is not None:
        res['keynet+roll2midi'] = evaluate(model, clips, refine=refine)
        res['keynet+roll2midi_all_keys'] = evaluate(model, clips, refine=refine, visible_only=False)
    # speed of both models on the same strips, same run
    strips = np.asarray(clips[0].strips[0][:256]); n_b = 32
    predict_strips(model, strips[:16])
    t = time.perf_counter(); predict_strips(model, strips); kfps = len(strips) / (time.perf_counter() - t)
    base = load_model(a.baseline, kind='video2roll') if a.baseline else Video2RollNet().eval()
    predict_strips(base, strips[:8])
    t = time.perf_counter(); predict_strips(base, strips[:n_b]); bfps = n_b / (time.perf_counter() - t)
    res['speed'] = dict(keynet_fps=round(kfps, 1), baseline_fps=round(bfps, 2), ratio=round(kfps / bfps, 1),
                        keynet_params=sum(p.numel() for p in model.parameters()), baseline_params=sum(p.numel() for p in base.parameters()))
    if a.baseline:
        short = [c.cut(0, a.baseline_frames) for c in clips]
        for c in short: c.strips = c.strips[:1]
        res['baseline'] = evaluate(base, short) | dict(frames_per_clip=a.baseline_frames)
        res['keynet_same_frames'] = evaluate(model, short)
    # end to end on 720p: decode + rectify + model + notes, vs decode alone
    res['end_to_end_720p'] = e2e(clips, stems, model, a.e2e_seconds, refine)
    if a.json: print(json.dumps(res, default=float)); return
    f = lambda d: f"frame P/R/F1 {d['frame_precision']:.4f}/{d['frame_recall']:.4f}/{d['frame_f1']:.4f}  onset F1 {d['onset_f1']:.4f}  onset+offset F1 {d['onset_offset_f1']:.4f}"
    print(f"{a.split} split of {a.dataset}: {res['clips']} clips, {res['frames']} frames; torch threads {res['threads']}")
    print(f"KeyNet ({a.model}, thresholds {m['threshold']}/{m['onset_threshold']}): {f(m)}")
    if refine is not None:
        print(f"KeyNet + Roll2Midi: {f(res['keynet+roll2midi'])}")
        print(f"  (every key of the instrument counted, off-picture presses as misses: {f(res['keynet+roll2midi_all_keys'])})")
    if a.baseline:
        print(f"baseline Video2RollNet (first {a.baseline_frames} frames per clip): {f(res['baseline'])}")
        print(f"KeyNet on the same frames: {f(res['keynet_same_frames'])}")
    s = res['speed']
    print(f"speed (strips -> probabilities): KeyNet {s['keynet_fps']} frames/s, baseline {s['baseline_fps']} frames/s, ratio {s['ratio']}x"
          f"{'' if a.baseline else ' (baseline untrained: speed only)'}")
    e = res['end_to_end_720p']
    print(f"end to end on {e['size']} video ({e['frames']} frames): decode alone {e['decode_fps']} frames/s, "
          f"decode+rectify+KeyNet{'+Roll2Midi' if refine is not None else ''}+notes {e['e2e_fps']} frames/s ({e['ratio_to_decode']:.2f} of decoding)")

def e2e(clips, stems, model, seconds, refine=None):
    "Frames/s of predict_roll on a 720p re-encoding of the first test clip, and of decoding alone."
    import cv2
    from pianoscore.media import iter_frames, write_video, video_info
    from pianoscore.keyboard import Keyboard
    from pianoscore.video2roll import predict_roll
    src = Path(stems[0]).with_suffix('.mp4'); t = np.load(Path(stems[0]).with_suffix('.npz'))
    inf = video_info(src); sx, sy = 1280 / inf['width'], 720 / inf['height']
    tmp = Path(tempfile.mkdtemp()) / 'e2e720.mp4'
    frames = (cv2.resize(f, (1280, 720), interpolation=cv2.INTER_AREA) for i, _, f in iter_frames(src, end=seconds))
    write_video(tmp, frames, inf['fps'])
    kb = Keyboard(t['corners'] * np.float32([sx, sy]), int(t['lo']), int(t['hi']), frame_size=(1280, 720))
    tt = time.perf_counter(); n = sum(1 for _ in iter_frames(tmp, gray=True)); dec = n / (time.perf_counter() - tt)
    tt = time.perf_counter(); r = predict_roll(tmp, kb, model, refine=refine, progress=False); r.to_notes(); e = len(r.roll) / (time.perf_counter() - tt)
    return dict(size='1280x720', frames=n, decode_fps=round(dec, 1), e2e_fps=round(e, 1), ratio_to_decode=e / dec)

if __name__ == '__main__': main()
