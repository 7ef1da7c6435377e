"The main job end to end: transcribe a rendered video, the transcribe and score commands, the demo."
import json
from pathlib import Path
import numpy as np, pretty_midi, pytest, music21
from pianoscore.render import render_video
from conftest import run_cli

@pytest.fixture(scope='module')
def clip(tmp_path_factory):
    d = tmp_path_factory.mktemp('tr')
    music21.corpus.parse('bach/bwv846').measures(1, 4).write('midi', fp=str(d / 'p.mid'))
    render_video(d / 'p.mid', d / 'p.mp4', seed=5, style='stage', end=6.0, progress=False)
    return d / 'p.mp4'

def test_transcribe_cli(clip, tmp_path):
    r = run_cli('transcribe', clip, '-o', tmp_path / 'out', '--start', 1, '--end', 5, '--json')
    j = r.json
    assert j['fps'] == pytest.approx(video_info_fps(clip)) and abs(j['duration'] - 4.0) < 0.1 and j['n_notes'] > 10
    files = j['files']
    for k in ('midi', 'musicxml', 'pdf', 'png', 'wav', 'roll_png', 'json'): assert Path(files[k]).exists(), k
    assert len(files['svg']) >= 1
    sc = music21.converter.parse(files['musicxml']); assert len(sc.flatten().notes) > 0
    pm = pretty_midi.PrettyMIDI(files['midi']); assert all(1 - 0.05 <= n.start <= 5 + 0.05 for n in pm.instruments[0].notes)

def video_info_fps(p):
    from pianoscore.media import video_info
    return video_info(p)['fps']

def test_transcribe_bad_input(tmp_path):
    r = run_cli('transcribe', tmp_path / 'nope.mp4', '-o', tmp_path / 'o', '--json', check=False)
    assert r.returncode == 1 and 'nope.mp4' in r.json['error'] and not (tmp_path / 'o').exists()
    (tmp_path / 'bad.mp4').write_bytes(b'not a video' * 100)
    r = run_cli('transcribe', tmp_path / 'bad.mp4', '--json', check=False)
    assert r.returncode == 1 and 'bad.mp4' in r.json['error']

def test_demo_cli(tmp_path):
    r = run_cli('demo', '-o', tmp_path / 'demo', '--seconds', 6, '--json', timeout=900)
    j = r.json
    assert j['accuracy']['onset_f1'] > 0.5 and j['n_notes'] > 10
    assert Path(j['files']['musicxml']).exists() and Path(j['files']['pdf']).exists()
