"Labels from sound: offset recovery, no-audio / no-piano skips, dataset readers, and (with transkun) labels vs truth."
import pickle
import numpy as np, pretty_midi, pytest
from pathlib import Path
from conftest import run_cli
from pianoscore.core import midi_notes, note_metrics, MIN_PITCH
from pianoscore.media import load_midi, write_video, read_audio_track, video_info
from pianoscore.render import render_video
from pianoscore.labels import (visual_onsets, estimate_offset, measure_offset, shift_notes, shift_sound, label_video, label_paths,
                               load_labels, transcriber_available, read_audeo, read_audeo_roll, read_pianoyt, audeo_to_88,
                               NotPiano, TRANSKUN_INSTALL)

def _pm(n=14, seed=0, gap=0.33):
    rng = np.random.default_rng(seed); pm = pretty_midi.PrettyMIDI(); ins = pretty_midi.Instrument(0)
    for i in range(n):
        s = 0.25 + i * gap + rng.uniform(0, 0.08); p = int(rng.integers(48, 84))
        ins.notes.append(pretty_midi.Note(90, p, s, s + 0.25))
    pm.instruments.append(ins); return pm

@pytest.fixture(scope='module')
def clip(tmp_path_factory):
    d = tmp_path_factory.mktemp('lab')
    render_video(_pm(), d / 'c.mp4', seed=5, progress=False)
    return d / 'c.mp4'

def test_offset_recovered_on_rendered_clip(clip):
    sig, fps, src = visual_onsets(clip, model='brightness')
    assert src == 'brightness' and sig.shape[1] == 88
    truth = midi_notes(load_midi(clip.with_suffix('.mid')))
    for off in (-0.5, -0.23, 0.0, 0.31, 0.5):
        r = estimate_offset(shift_notes(truth, off), sig, fps)
        assert abs(r['offset'] - off) * fps < 1, (off, r['offset'])
        assert r['z'] > 4
    r = measure_offset(clip, shift_notes(truth, 0.2))     # 'auto': the video model's onsets (if installed) or brightness, the surer
    assert abs(r['offset'] - 0.2) * fps < 1 and r['signal'] in ('model', 'brightness')

def test_shift_sound_moves_the_audio(clip, tmp_path):
    out = shift_sound(clip, tmp_path / 's.mp4', 0.25)
    a, sr = read_audio_track(clip, 8000); b, _ = read_audio_track(out, 8000)
    n = min(len(a), len(b)) - 4000
    lag = np.argmax([np.dot(a[:n - 3000], b[k:k + n - 3000]) for k in range(0, 3000, 10)]) * 10 / sr
    assert abs(lag - 0.25) < 0.03
    assert video_info(out)['n_frames'] == video_info(clip)['n_frames']

def _mux(d, name, audio, sr=22050, n=40, fps=25):
    frames = [np.full((64, 96, 3), 100, np.uint8)] * n
    return write_video(d / name, frames, fps, audio=audio, sr=sr if audio is not None else None)

def test_no_audio_and_no_piano_are_skipped(tmp_path):
    sr = 22050; rng = np.random.default_rng(0)
    silent = _mux(tmp_path, 'silent.mp4', None)
    noise = _mux(tmp_path, 'noise.mp4', rng.normal(0, 0.2, int(1.6 * sr)).astype(np.float32))
    quiet = _mux(tmp_path, 'quiet.mp4', np.zeros(int(1.6 * sr), np.float32))
    with pytest.raises(NotPiano, match='no audio track'): label_video(silent)
    with pytest.raises(NotPiano, match='no piano'): label_video(noise)
    r = run_cli('label', silent, noise, quiet, '--json')
    sk = {Path(s['video']).name: s['reason'] for s in r.json['skipped']}
    assert r.json['labelled'] == [] and set(sk) == {'silent.mp4', 'noise.mp4', 'quiet.mp4'}
    assert 'no audio track' in sk['silent.mp4'] and 'no piano' in sk['noise.mp4'] and 'silent' in sk['quiet.mp4']
    assert 'skipped' in r.stderr
    assert not label_paths(noise)['npz'].exists()
    bad = run_cli('label', tmp_path / 'nope.mp4', check=False)
    assert bad.returncode != 0 and 'nope.mp4' in bad.stderr

@pytest.mark.skipif(not transcriber_available(), reason=f"optional audio transcription model not installed ({TRANSKUN_INSTALL})")
def test_labels_line_up_with_truth(clip, tmp_path):
    import shutil
    v = tmp_path / 'lag.mp4'; shift_sound(clip, v, 0.3); shutil.copy(clip.with_suffix('.npz'), tmp_path / 'lag.npz')
    r = label_video(v)
    fps = r['fps']
    assert abs(r['offset'] - 0.3) * fps < 1, r
    lab = load_labels(v); truth = np.load(clip.with_suffix('.npz'))
    assert lab.roll.shape == truth['roll'].shape and lab.fps == fps
    keep = lambda ns: [n for n in ns if n.start < r['frames'] / fps - 0.35]   # the lag cut the sound's last 0.3 s
    m = note_metrics(keep(midi_notes(load_midi(clip.with_suffix('.mid')))), keep(midi_notes(load_midi(r['midi']))))
    assert m['onset_f1'] >= 0.9, m
    t_on, l_on = np.argwhere(truth['onsets']), np.argwhere(lab.onsets)
    t_on = t_on[t_on[:, 0] < r['frames'] - 0.35 * fps]
    near = [np.any((l_on[:, 1] == k) & (np.abs(l_on[:, 0] - f) <= 1)) for f, k in t_on]
    assert np.mean(near) >= 0.9

# ---- dataset readers on fake folders in the published layouts

def test_audeo_reader(tmp_path):
    import cv2
    root = tmp_path / 'audeo'
    names = {'training': ['Bach WTC 1 Prelude 1.1', 'Bach WTC 1 Prelude 1.2'], 'testing': ['Bach WTC 2 Prelude 2.1']}
    for sp, vids in names.items():
        for j, name in enumerate(vids):
            d = root / 'input_images' / sp / name; d.mkdir(parents=True)
            for i in range(3, 103): cv2.imwrite(str(d / f'frame{i}.jpg'), np.full((20, 180), 200, np.uint8))
            if sp == 'training':   # Video2Roll labels: {frame number: 88-vector}
                lab = {i: np.zeros(88) for i in range(0, 103)}
                for i in range(10, 20): lab[i][60 - 21] = 1
                (root / 'labels' / sp).mkdir(parents=True, exist_ok=True)
                with open(root / 'labels' / sp / f'{name}.pkl', 'wb') as fh: pickle.dump(lab, fh)
            else:                  # 2 s pieces a-b.npz holding 'midi' (frames, 88), one of them 51 keys wide
                m = root / 'midi' / sp / name; m.mkdir(parents=True)
                a = np.zeros((50, 88)); a[5:9, 64 - 21] = 1; np.savez(m / '0-50.npz', midi=a)
                b = np.zeros((50, 51)); b[0:3, 36 - 36] = 1; np.savez(m / '50-100.npz', midi=b)
    (root / 'piano_coords.py').write_text("# x0, y0, x1, y1\ntrain_piano_coords = [(68,674,1869,863), (38,680,1882,875)]\n\ntest_piano_coords = [(41,679,1880,881)]\n")
    vs = read_audeo(root)
    assert [v.split for v in vs] == ['training', 'training', 'testing'] and vs[0].box == (68., 674., 1869., 863.)
    assert len(vs[0]) == 100 and vs[0].fps == 25
    r = vs[0].roll()                       # labels of the frames on disk (frame3..frame102)
    assert r.roll.shape == (100, 88) and r.roll[10 - 3:20 - 3, 60 - 21].all() and r.roll.sum() == 10
    t = vs[2].labels
    assert t.roll.shape == (100, 88) and t.roll[5:9, 64 - 21].all() and t.roll[50:53, 36 - 21].all() and t.roll.sum() == 7
    assert vs[0].frames(0, 5).shape == (5, 20, 180)
    kb = vs[0].keyboard(); assert (kb.lo, kb.hi) == (21, 108)
    c = vs[0].clip(); assert len(c) == 100 and c.strips[0].shape[1:] == (48, 416)
    assert audeo_to_88(np.ones((4, 51))).sum(1).tolist() == [51] * 4
    with pytest.raises(FileNotFoundError, match='input_images'): read_audeo(tmp_path)

def test_pianoyt_reader(tmp_path):
    root = tmp_path / 'pianoyt'; (root / 'pianoyt_MIDI').mkdir(parents=True); (root / 'videos').mkdir()
    (root / 'pianoyt_videos.csv').write_text("abc123,https://www.youtube.com/watch?v=abc123,1,40,60,8,88\n"
                                              "zz9,https://www.youtube.com/watch?v=zz9,3,300,500,0,1280\n")
    pm = pretty_midi.PrettyMIDI(); ins = pretty_midi.Instrument(0); ins.notes.append(pretty_midi.Note(80, 60, 0.2, 0.6)); pm.instruments.append(ins)
    pm.write(str(root / 'pianoyt_MIDI' / 'audio_abc123.0.midi'))
    write_video(root / 'videos' / 'abc123.mp4', [np.zeros((64, 96, 3), np.uint8)] * 30, 30)
    vs = read_pianoyt(root)
    assert [(v.video_id, v.split) for v in vs] == [('abc123', 'train'), ('zz9', 'test')]
    assert vs[0].box == (8., 40., 88., 60.)            # (x0, y0, x1, y1) from (min y, max y, min x, max x)
    assert vs[0].video.name == 'abc123.mp4' and vs[1].video is None and vs[1].midi is None
    kb = vs[0].keyboard(); assert kb.frame_size == (96, 64) and kb.corners[2].tolist() == [88., 60.]
    lab = vs[0].labels()
    assert lab.fps == 30 and lab.n_frames == 30 and np.argwhere(lab.onsets).tolist() == [[6, 60 - MIN_PITCH]]
    assert [v.video_id for v in read_pianoyt(root, split='test')] == ['zz9']
    with pytest.raises(FileNotFoundError, match='pianoyt_videos.csv'): read_pianoyt(tmp_path)

def test_finetune_runs_on_pseudo_labels(tmp_path):
    "Mechanics only (labels written from the truth, an untrained model as the start): trains, evaluates, saves."
    from pianoscore.video2roll import KeyNet, save_model, load_model
    from pianoscore.labels import finetune
    vids = []
    for i in range(1):
        v = tmp_path / f'f{i}.mp4'; render_video(_pm(10, seed=i, gap=0.25), v, seed=10 + i, style=dict(fps=25), progress=False)
        t = np.load(v.with_suffix('.npz'))
        np.savez(label_paths(v)['npz'], roll=t['roll'], onsets=t['onsets'], sounding=t['sounding'], fps=t['fps'], offset=0., model='truth', lo=21, hi=108)
        vids.append(v)
    start = save_model(KeyNet(), tmp_path / 'start.pt')
    r = finetune(vids, tmp_path / 'ft', epochs=1, steps=2, batch=2, window=16, base=start, progress=False)
    assert set(r['before']) == {'frame_f1', 'onset_f1', 'onset_offset_f1'} and len(r['history']) == 1
    assert r['train_videos'] == 1 and r['val_videos'] == 1   # one video: its last fifth held out
    m = load_model(r['model']); assert type(m).__name__ == 'KeyNet' and m.meta['finetuned_on'] == [str(v) for v in vids]
    with pytest.raises(FileNotFoundError, match='train-video2roll'): finetune(vids, tmp_path / 'x', base=tmp_path / 'none.pt', progress=False)

def test_pseudo_clip_marks_keys_outside_the_picture(tmp_path):
    "A keyboard that runs past the frame's edge: the keys whose centre is outside are no training targets."
    from pianoscore.labels import pseudo_clip
    from pianoscore.keyboard import Keyboard
    from pianoscore.media import video_info
    v = tmp_path / 'p.mp4'; render_video(_pm(4, seed=1, gap=0.25), v, seed=3, style=dict(fps=25), progress=False)
    t = np.load(v.with_suffix('.npz'))
    np.savez(label_paths(v)['npz'], roll=t['roll'], onsets=t['onsets'], sounding=t['sounding'], fps=t['fps'], offset=0., model='truth', lo=21, hi=108)
    inf = video_info(v); c = np.asarray(t['corners'], np.float32)
    kb = Keyboard(c + np.float32([(c[1, 0] - c[0, 0]) / 2, 0]), int(t['lo']), int(t['hi']), frame_size=(inf['width'], inf['height']))
    clip = pseudo_clip(v, keyboard=kb)
    assert 0 < clip.visible.sum() == len(kb.visible_pitches) < 88
    assert clip.visible[kb.visible_pitches[0] - MIN_PITCH] and not clip.visible[kb.hi - MIN_PITCH]
