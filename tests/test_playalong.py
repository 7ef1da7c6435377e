"Falling-notes videos (sync, sound, instrument), the command, and karaoke."
import json
from pathlib import Path
import numpy as np, pretty_midi, pytest
from pianoscore.playalong import falling_notes, measure_sync, resolve_program, split_hands
from pianoscore.media import video_info, read_audio_track
from conftest import run_cli

def _notes():
    return [pretty_midi.Note(100, p, 0.4 + i * 0.55, 0.7 + i * 0.55) for i, p in enumerate([60, 72, 55, 67, 48, 76, 64])]

@pytest.mark.parametrize('fps', [24, 30, 60])
def test_falling_notes_sync_any_fps(tmp_path, fps):
    notes = _notes(); v = falling_notes(notes, tmp_path / 'f.mp4', fps=fps, size=(480, 270), progress=False)
    info = video_info(v); assert info['has_audio'] and abs(info['fps'] - fps) < 1e-6
    y, sr = read_audio_track(v, 22050)
    assert abs(len(y) / sr - info['duration']) < 0.1
    d = measure_sync(v, notes)
    assert len(d) >= 6 and np.abs(d).max() <= 1.0, d          # the bar: within one frame

def test_instrument_changes_the_sound(tmp_path):
    notes = _notes()[:3]
    a = falling_notes(notes, tmp_path / 'a.mp4', fps=25, size=(320, 180), instrument=0, progress=False)
    b = falling_notes(notes, tmp_path / 'b.mp4', fps=25, size=(320, 180), instrument='Harpsichord', progress=False)
    ya, _ = read_audio_track(a, 22050); yb, _ = read_audio_track(b, 22050)
    n = min(len(ya), len(yb)); assert np.corrcoef(ya[:n], yb[:n])[0, 1] < 0.9
    with pytest.raises(ValueError, match='kazoo'): resolve_program('kazoo')

def test_falling_notes_cli(tmp_path):
    pm = pretty_midi.PrettyMIDI(); inst = pretty_midi.Instrument(0); inst.notes = _notes(); pm.instruments.append(inst)
    pm.write(str(tmp_path / 'x.mid'))
    r = run_cli('falling-notes', tmp_path / 'x.mid', '-o', tmp_path / 'x.mp4', '--fps', 25, '--width', 320, '--height', 180, '--json')
    assert r.json['n_frames'] == video_info(tmp_path / 'x.mp4')['n_frames'] and r.json['has_audio'] and r.json['n_notes'] == 7
    r = run_cli('falling-notes', tmp_path / 'missing.mid', '--json', check=False)
    assert r.returncode == 1 and 'missing.mid' in r.json['error']
    assert not (tmp_path / 'falling_notes.mp4').exists()

def test_alberti_bass_stays_left():
    al = [pretty_midi.Note(70, p, i * 0.25, i * 0.25 + 0.25) for i, p in enumerate([48, 55, 52, 55] * 2 + [57, 64, 60, 64] * 2)]
    me = [pretty_midi.Note(90, p, i, i + 1.0) for i, p in enumerate([72, 74, 76, 77])]   # the bass climbs above middle C
    h = split_hands(al + me); assert (h[:16] == 0).all() and (h[16:] == 1).all()
