"Speed of the top-view renderer: frames/s composing frames (no encoding) at 640x360 on one core, and a whole clip with encoding and sound."
import os, sys, time, argparse, tempfile
os.environ.setdefault('OMP_NUM_THREADS', '1')
import numpy as np, cv2, pretty_midi
cv2.setNumThreads(1)
from pianoscore.core import PianoRoll, notes_to_midi, MIN_PITCH
from pianoscore.render import Style, Scene, plan_hands, render_video

def demo_notes(seconds=10., seed=0):
    rng = np.random.default_rng(seed); ns = []
    for h, (a, b, rate) in enumerate(((36, 58, 3), (60, 84, 6))):
        t = 0.
        while t < seconds:
            p = int(rng.integers(a, b)); ns.append(pretty_midi.Note(80, p, t, t + 0.8 / rate)); t += 1 / rate
    return ns

def frame_speed(seed, n, size):
    st = Style.random(seed, width=size[0], height=size[1]); notes = demo_notes(n / st.fps + 1, seed)
    sc = Scene(st); pose = plan_hands(notes, st.fps, n, st.lo, st.hi, seed)
    roll = PianoRoll.from_notes(notes, st.fps, n).roll[:, st.lo - MIN_PITCH:st.hi - MIN_PITCH + 1]
    t, c = time.perf_counter(), time.process_time()
    for i in range(n): sc.frame(roll[i], pose, i)
    return n / (time.process_time() - c), n / (time.perf_counter() - t), st

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--styles', type=int, default=8); ap.add_argument('--frames', type=int, default=150)
    ap.add_argument('--width', type=int, default=640); ap.add_argument('--height', type=int, default=360)
    a = ap.parse_args()
    fs, ws = [], []
    for sd in range(a.styles):
        f, w, st = frame_speed(sd, a.frames, (a.width, a.height)); fs.append(f); ws.append(w)
        print(f"style {sd}: {st.keys} keys {st.piano:8s} view {st.view_lo:.2f}-{st.view_hi:.2f} tilt {st.tilt:+5.1f} rot {st.rotation:+5.1f}: "
              f"{f:6.1f} frames/s per CPU second ({w:6.1f} wall)")
    print(f"composing frames at {a.width}x{a.height}, one core: median {np.median(fs):.1f} frames/s per CPU second (min {np.min(fs):.1f}); "
          f"wall-clock median {np.median(ws):.1f} on this (shared) machine")
    with tempfile.TemporaryDirectory() as d:
        pm = notes_to_midi(demo_notes(10.)); t = time.time()
        r = render_video(pm, f'{d}/clip.mp4', seed=1, style=dict(width=a.width, height=a.height, fps=30.), end=10., progress=False)
        print(f"a 10 s clip at {a.width}x{a.height} 30 fps with H.264 and FluidSynth: {time.time() - t:.1f} s wall "
              f"({r['frames']} frames, composing {r['render_fps']:.0f} frames/s)")
