"End-to-end checks of the renderer and the dataset: truth vs MIDI, video vs truth, sound, corners, pressed keys, the commands."
import json
from pathlib import Path
import numpy as np, pretty_midi, pytest, cv2
from pianoscore.core import PianoRoll, midi_notes, notes_to_midi
from pianoscore.media import video_info, read_audio_track, read_video
from pianoscore.render import render_video, Style, make_style
from pianoscore.dataset import make_dataset, load_clip, list_clips, iter_windows, split_pieces
from conftest import run_cli

def _performance():
    "Chords, a run, re-struck keys (legato and overlapping) and a pedal."
    ns = [pretty_midi.Note(90, p, 0.1, 0.9) for p in (48, 52, 55, 60, 64, 67)]
    ns += [pretty_midi.Note(80, 72 + i, 1.0 + 0.12 * i, 1.1 + 0.12 * i) for i in range(8)]
    ns += [pretty_midi.Note(80, 65, 2.1 + 0.2 * i, 2.3 + 0.2 * i) for i in range(4)]       # re-struck with no gap
    ns += [pretty_midi.Note(80, 61, 2.0, 2.6), pretty_midi.Note(80, 61, 2.5, 2.9)]           # overlapping re-strike
    pm = notes_to_midi(ns)
    pm.instruments[0].control_changes = [pretty_midi.ControlChange(64, 127, 0.2), pretty_midi.ControlChange(64, 0, 1.5)]
    return pm

STYLE = dict(width=480, height=270, fps=25., view_lo=0., view_hi=1., fill=0.9, shift_x=0., shift_y=0., noise=0.5, blur=0., crf=18, hands=False)

@pytest.fixture(scope='module')
def clip(tmp_path_factory):
    out = tmp_path_factory.mktemp('render') / 'perf.mp4'
    pm = _performance(); pm.write(str(out.with_name('input.mid')))
    r = render_video(pm, out, seed=5, style=STYLE, progress=False)
    return out, r, pm

def test_truth_matches_midi(clip):
    out, r, pm = clip
    t = np.load(out.with_suffix('.npz')); fps = float(t['fps'])
    assert t['roll'].shape == t['onsets'].shape == t['sounding'].shape == (r['frames'], 88)
    assert t['corners'].shape == (4, 2) and t['key_quads'].shape == (int(t['hi']) - int(t['lo']) + 1, 4, 2)
    written = PianoRoll.from_midi(out.with_suffix('.mid'), fps, n_frames=len(t['roll']))
    assert (written.roll == t['roll']).all() and (written.onsets == t['onsets']).all()
    # against the input: the same notes, their times kept to MIDI ticks, ends only ever shortened (re-strikes)
    tick = 0.5 / 220 + 1e-9; src, vis = midi_notes(pm), midi_notes(pretty_midi.PrettyMIDI(str(out.with_suffix('.mid'))))
    assert [n.pitch for n in src] == [n.pitch for n in vis]
    assert all(abs(a.start - b.start) <= tick and b.end <= a.end + tick for a, b in zip(src, vis))
    ref = PianoRoll.from_midi(pm, fps, n_frames=len(t['roll']))
    near = lambda r, f, k: r[max(f - 1, 0):f + 2, k].any() and not r[max(f - 1, 0):f + 2, k].all()   # at an edge of a press
    for f, k in zip(*np.nonzero(t['roll'] & ~ref.roll)): assert near(ref.roll, f, k)
    for f, k in zip(*np.nonzero(ref.roll & ~t['roll'])): assert near(t['roll'], f, k) or t['onsets'][f + 1:f + 3, k].any()
    for k in (65 - 21, 61 - 21):                                         # each re-struck key comes up between presses
        on = np.nonzero(t['onsets'][:, k])[0]; assert len(on) >= 2
        for a in on[1:]: assert not t['roll'][a - 1, k]
    snd = PianoRoll.from_midi(pm, fps, pedal=True, n_frames=len(t['roll'])).roll
    assert t['sounding'][:, 48 - 21].sum() > t['roll'][:, 48 - 21].sum()  # the pedal holds the chord on
    assert (t['sounding'] == PianoRoll.from_midi(out.with_suffix('.mid'), fps, pedal=True, n_frames=len(t['roll'])).roll).all()
    meta = json.loads(out.with_suffix('.json').read_text())
    assert meta['restrikes_shortened'] >= 3 and meta['style']['width'] == 480

def test_video_and_sound_match_truth(clip):
    out, r, _ = clip
    info = video_info(out); t = np.load(out.with_suffix('.npz'))
    frames, fps = read_video(out)
    assert len(frames) == len(t['roll']) == info['n_frames'] and abs(fps - float(t['fps'])) < 1e-6
    y, sr = read_audio_track(out)
    assert abs(len(y) / sr - len(t['roll']) / fps) < 0.1

def test_corners_in_frame(clip):
    out, *_ = clip
    t = np.load(out.with_suffix('.npz')); w, h = 480, 270
    c = t['corners']; assert (c[:, 0] >= -1).all() and (c[:, 0] <= w).all() and (c[:, 1] >= -1).all() and (c[:, 1] <= h).all()
    assert c[1, 0] > c[0, 0] and c[3, 1] > c[0, 1]                         # back-left, back-right, front-right, front-left
    q = t['key_quads']; assert np.allclose(q[0, 0], c[0], atol=0.01) and np.allclose(q[-1, 1], c[1], atol=0.01)

def _region(frame, quad, v0, v1):
    "Mean grey level of the part v0..v1 (back to front) of a key's quad, inset a little from its sides."
    bl, br, fr, fl = quad.astype(np.float64)
    p = lambda u, v: (1 - v) * ((1 - u) * bl + u * br) + v * ((1 - u) * fl + u * fr)
    poly = np.array([p(0.25, v0), p(0.75, v0), p(0.75, v1), p(0.25, v1)])
    m = np.zeros(frame.shape[:2], np.uint8); cv2.fillPoly(m, [np.round(poly).astype(np.int32)], 1)
    return cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)[m > 0].mean()

def test_pressed_keys_look_darker(clip):
    out, *_ = clip
    t = np.load(out.with_suffix('.npz')); frames, _ = read_video(out); lo = int(t['lo'])
    checked = 0
    for p, (v0, v1) in ((60, (0.7, 0.95)), (64, (0.7, 0.95)), (61, (0.2, 0.9))):
        k = p - 21; down, up = np.nonzero(t['roll'][:, k])[0], np.nonzero(~t['roll'][:, k])[0]
        a = np.mean([_region(frames[i], t['key_quads'][p - lo], v0, v1) for i in down[1:-1]])
        b = np.mean([_region(frames[i], t['key_quads'][p - lo], v0, v1) for i in up[-5:]])
        assert a < b - 3, (p, a, b); checked += 1
    assert checked == 3

def test_cli_render_video(tmp_path):
    mid = tmp_path / 'x.mid'; notes_to_midi([pretty_midi.Note(80, 60 + i, 0.25 * i, 0.25 * i + 0.3) for i in range(6)]).write(str(mid))
    r = run_cli('render-video', mid, tmp_path / 'out.mp4', '--seed', 3, '--json')
    assert r.json['frames'] > 0 and all((tmp_path / f'out.{e}').exists() for e in ('mp4', 'npz', 'mid', 'json'))
    assert video_info(tmp_path / 'out.mp4')['n_frames'] == r.json['frames']

def test_empty_midi_errors(tmp_path):
    mid = tmp_path / 'empty.mid'; pretty_midi.PrettyMIDI().write(str(mid))
    r = run_cli('render-video', mid, tmp_path / 'e.mp4', check=False)
    assert r.returncode != 0 and 'no notes' in (r.stderr + r.stdout) and not (tmp_path / 'e.mp4').exists()
    with pytest.raises(ValueError, match='no notes'): render_video(pretty_midi.PrettyMIDI(), tmp_path / 'e2.mp4')

def test_dataset_split_resume_and_windows(tmp_path):
    small = dict(width=320, height=180, fps=25.)
    r = make_dataset(tmp_path / 'ds', 2, 1, 1, seconds=2, seed=1, progress=False, style=small)
    assert (r['train'], r['valid'], r['test'], r['errors']) == (2, 1, 1, [])
    r2 = make_dataset(tmp_path / 'ds', 2, 1, 1, seconds=2, seed=1, progress=False, style=small)
    assert r2['skipped'] == 4 and r2['rendered'] == 0
    import csv
    rows = list(csv.DictReader(open(tmp_path / 'ds' / 'manifest.csv')))
    test_rows = [x for x in rows if x['split'] == 'test']; train = set(split_pieces('train'))
    assert all(x['piece'] not in train for x in test_rows)
    c = load_clip(list_clips(tmp_path / 'ds', 'train')[0])
    assert c.n_frames == 50 and c.corners.shape == (4, 2)
    ws = list(iter_windows([c], size=16, step=8, gray=True))
    assert len(ws) == (50 - 16) // 8 + 1 and ws[0]['frames'].shape == (16, 180, 320) and ws[1]['start'] == 8
    assert (ws[1]['roll'] == c.roll[8:24]).all()

def test_clip_window_keeps_held_notes_without_onsets(tmp_path):
    pm = _performance()
    r = render_video(pm, tmp_path / 'w.mp4', seed=2, style=dict(STYLE, width=320, height=180), start=0.5, end=1.5, audio=False, progress=False)
    t = np.load(tmp_path / 'w.npz')
    assert r['frames'] == 25 and len(t['roll']) == 25
    for p in (48, 52, 55, 60, 64, 67):                                   # the chord was struck at 0.1 s, before the window
        assert t['roll'][0, p - 21] and not t['onsets'][:, p - 21].any()
    assert t['onsets'][int(round(0.5 * 25)), 72 - 21]                   # the run starts at 1.0 s = 0.5 s into the window
