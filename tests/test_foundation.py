"End-to-end checks of the foundation: the command, the corpus round trip, FluidSynth, video I/O, bad input."
import os, sys, json, subprocess
from pathlib import Path
import numpy as np, pretty_midi, pytest, music21
from pianoscore.core import PianoRoll, midi_notes, key2pitch, note_name, is_black, N_KEYS
from pianoscore.media import render_midi, write_video, video_info, read_audio_track, load_midi, load_audio, write_wav, read_video
from conftest import run_cli, ROOT

@pytest.fixture(scope='module')
def corpus_midi(tmp_path_factory):
    p = tmp_path_factory.mktemp('corpus') / 'k545.mid'
    music21.corpus.parse('mozart/k545/movement1_exposition').write('midi', fp=str(p))
    return p

def test_vocabulary():
    assert key2pitch(0) == 21 and key2pitch(87) == 108 and note_name(21) == 'A0' and note_name(108) == 'C8'
    ps = np.arange(21, 109); assert (~is_black(ps)).sum() == 52 and is_black(ps).sum() == 36

@pytest.mark.parametrize('fps', [25, 30, 60])
def test_corpus_roundtrip(corpus_midi, fps):
    pm = load_midi(corpus_midi); ref = midi_notes(pm)
    back = midi_notes(PianoRoll.from_midi(pm, fps).to_midi())
    # a key can show one note at a time: overlapping notes of one pitch are trimmed as a key would show them
    shown = PianoRoll.from_notes(ref, fps).to_notes()
    assert len(back) == len(shown) and len(shown) >= 0.98 * len(ref)
    key = lambda n: (n.pitch, round(n.start, 4))
    for a, b in zip(sorted(shown, key=key), sorted(back, key=key)):
        assert a.pitch == b.pitch and abs(a.start - b.start) <= 1 / fps + 1e-9 and abs(a.end - b.end) <= 1 / fps + 1e-9
    # and against the MIDI itself: every onset within one frame
    starts = {p: sorted(n.start for n in back if n.pitch == p) for p in {n.pitch for n in back}}
    for n in ref:
        assert min(abs(s - n.start) for s in starts[n.pitch]) <= 1 / fps

def test_fluidsynth_render(corpus_midi, tmp_path):
    pm = load_midi(corpus_midi); y = render_midi(pm, sr=22050)
    assert np.sqrt(np.mean(y ** 2)) > 0.01
    assert pm.get_end_time() <= len(y) / 22050 <= pm.get_end_time() + 3
    write_wav(tmp_path / 'k545.wav', y, 22050)
    y2, sr = load_audio(tmp_path / 'k545.wav', sr=16000)
    assert sr == 16000 and abs(len(y2) / 16000 - len(y) / 22050) < 0.01

@pytest.mark.parametrize('fps', [25, 30])
def test_video_roundtrip(tmp_path, fps):
    n = 37; frames = (np.random.default_rng(0).random((n, 90, 128, 3)) * 255).astype(np.uint8)
    sr = 16000; y = 0.2 * np.sin(np.arange(int(sr * n / fps)) * 2 * np.pi * 330 / sr).astype(np.float32)
    write_video(tmp_path / 'v.mp4', iter(frames), fps, audio=y, sr=sr)
    info = video_info(tmp_path / 'v.mp4')
    assert info['n_frames'] == n and abs(info['fps'] - fps) < 1e-6 and info['has_audio']
    a, _ = read_audio_track(tmp_path / 'v.mp4', sr)
    # AAC codes 1024-sample frames and pads the last one: the track may run up to one frame (64 ms at 16 kHz) long
    assert -0.01 < len(a) / sr - n / fps <= 1024 / sr + 0.01
    fr, f2 = read_video(tmp_path / 'v.mp4', start=0.5, end=1.0)
    assert len(fr) == round(0.5 * fps) and f2 == fps

def test_bad_inputs(tmp_path):
    with pytest.raises(FileNotFoundError, match='missing.mp4'): video_info(tmp_path / 'missing.mp4')
    (tmp_path / 'bad.mp4').write_bytes(os.urandom(5000))
    with pytest.raises(ValueError, match='bad.mp4'): video_info(tmp_path / 'bad.mp4')
    import soundfile as sf; sf.write(str(tmp_path / 'z.wav'), np.zeros(0, np.float32), 8000)
    with pytest.raises(ValueError, match='z.wav'): load_audio(tmp_path / 'z.wav')
    pm = pretty_midi.PrettyMIDI(); pm.instruments.append(pretty_midi.Instrument(0)); pm.write(str(tmp_path / 'e.mid'))
    with pytest.raises(ValueError, match='no notes'): load_midi(tmp_path / 'e.mid')
    (tmp_path / 'f').write_text('x')
    with pytest.raises(NotADirectoryError, match="'.*f/out'"): write_wav(tmp_path / 'f' / 'out' / 'a.wav', np.zeros(8), 8000)
    assert sorted(p.name for p in tmp_path.iterdir()) == ['bad.mp4', 'e.mid', 'f', 'z.wav']

def test_cli_help_and_info():
    r = run_cli('--help'); assert 'info' in r.stdout
    r = run_cli('info', '--json'); assert r.json['pianoscore'] and 'torch' in r.json['packages']
    r = run_cli('nope', check=False); assert r.returncode == 2

def test_console_script():
    exe = Path(sys.executable).with_name('pianoscore')
    r = subprocess.run([str(exe), 'info', '--json'], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr; json.loads(r.stdout)

def test_readme_in_step():
    r = subprocess.run([sys.executable, str(ROOT / 'tools' / 'readme.py'), '--check'], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout
    readme = (ROOT / 'README.md').read_text()
    assert 'bash tools/setup.sh' in readme and 'bash .ci/run' in readme
