"Engraving end to end: MusicXML read back by music21, the score verb with --json, PDF pages = SVG pages, empty MIDI."
import subprocess, shutil
from pathlib import Path
from fractions import Fraction
import numpy as np, pretty_midi, pytest, music21
from pianoscore.score import engrave, corpus_performance, write_score, write_musicxml
from conftest import run_cli

def small_piece():
    "Two bars of 3/4 in G major with an F# and a triplet, as notes at 100 quarter notes per minute."
    b = 0.6; ns = []
    mel = [(67, 0, 1), (71, 1, 1), (74, 2, 1), (72, 3, 1/3), (71, 3 + 1/3, 1/3), (69, 3 + 2/3, 1/3), (66, 4, 1), (67, 5, 1)]
    bass = [(43, 0, 3), (50, 3, 2), (43, 5, 1)]
    for p, o, d in mel + bass: ns.append(pretty_midi.Note(100 if o % 3 == 0 else 70, p, o * b, (o + d) * b))
    return ns * 1 + [pretty_midi.Note(n.velocity, n.pitch, n.start + 6 * b, n.end + 6 * b) for n in ns]

def test_musicxml_roundtrip(tmp_path):
    notes = small_piece(); e = engrave(notes, title='small')
    xml = write_musicxml(e.score, tmp_path / 'small.musicxml')
    back = music21.converter.parse(str(xml))
    got = sorted(p.midi for n in back.stripTies().flatten().notes for p in n.pitches)
    assert got == sorted(n.pitch for n in notes)
    names = {p.name for n in back.flatten().notes for p in n.pitches}
    assert 'F#' in names and 'G-' not in names                 # spelled by the key
    assert e.key == 'G major' and e.meter == '3/4' and abs(e.tempo - 100) < 3

def test_score_cli_json(tmp_path):
    mid = tmp_path / 'k545.mid'
    music21.corpus.parse('mozart/k545/movement1_exposition').write('midi', fp=str(mid))
    r = run_cli('score', mid, '-o', tmp_path / 'out', '--json')
    j = r.json
    assert j['meter'] == '4/4' and j['key'] == 'C major' and abs(j['tempo'] / 132 - 1) < 0.05 and j['n_measures'] >= 12
    for k in ('musicxml', 'pdf'): assert Path(j[k]).stat().st_size > 0
    assert all(Path(p).exists() for p in j['svg'] + j['png']) and j['n_pages'] == len(j['svg'])
    assert len(music21.converter.parse(j['musicxml']).flatten().notes) > 100

@pytest.mark.skipif(not shutil.which('pdfinfo'), reason='needs pdfinfo (poppler-utils)')
def test_pdf_pages_match_svg(tmp_path):
    notes, *_ = corpus_performance('bach/bwv846', jitter=0.01, max_measures=20)
    paths = write_score(engrave(notes), tmp_path, 'bwv846')
    assert len(paths['svg']) >= 2
    info = subprocess.run(['pdfinfo', str(paths['pdf'])], capture_output=True, text=True, check=True).stdout
    pages = int([l for l in info.splitlines() if l.startswith('Pages:')][0].split()[1])
    assert pages == len(paths['svg'])

def test_empty_midi_errors(tmp_path):
    pm = pretty_midi.PrettyMIDI(); pm.instruments.append(pretty_midi.Instrument(0)); pm.write(str(tmp_path / 'empty.mid'))
    r = run_cli('score', tmp_path / 'empty.mid', '-o', tmp_path / 'out', '--json', check=False)
    assert r.returncode != 0 and 'empty.mid' in r.stderr + r.stdout
    assert not (tmp_path / 'out' / 'empty.musicxml').exists()
    with pytest.raises(ValueError, match='no notes'): engrave([])

def test_score_cli_with_audio(tmp_path):
    from pianoscore.media import render_midi, write_wav
    from pianoscore.core import notes_to_midi
    notes, qpm, *_ = corpus_performance('mozart/k545/movement1_exposition', jitter=0.02, tempo_factor=0.95, max_measures=6)
    pm = notes_to_midi(notes); pm.write(str(tmp_path / 'p.mid'))
    write_wav(tmp_path / 'p.wav', render_midi(pm, sr=22050), 22050)
    j = run_cli('score', tmp_path / 'p.mid', '-o', tmp_path / 'out', '--audio', tmp_path / 'p.wav', '--json').json
    assert abs(j['tempo'] / qpm - 1) < 0.05 and j['meter'] == '4/4'

@pytest.mark.parametrize('name,meter', [('mozart/k80/movement1', '3/4'), ('mozart/k458/movement1', '6/8')])
def test_meter_three_four_and_six_eight(name, meter):
    "A clear 3/4 and a clear 6/8 piece (12 bars, 20 ms jitter, 4% fast) get their meter, and 6/8 its dotted-quarter beat."
    notes, qpm, *_ = corpus_performance(name, jitter=0.02, tempo_factor=1.04, seed=3, max_measures=12)
    e = engrave(notes)
    assert e.meter == meter and abs(e.tempo / qpm - 1) < 0.05
    assert e.grid.sub == (3 if meter == '6/8' else 2)

def test_meter_given_three_eight():
    "A given 3/8 is engraved as bars of three eighths, with the score's bar lines."
    notes, qpm, truth, _ = corpus_performance('mozart/k156/movement1', jitter=0.02, max_measures=8)
    e = engrave(notes, tempo=qpm, meter='3/8')
    assert e.meter == '3/8' and e.grid.sub == 3 and abs(e.tempo / qpm - 1) < 0.05
    assert all(m.duration.quarterLength == 1.5 for m in e.score.parts[0].getElementsByClass('Measure'))
    in_bar = [(o - t['offset']) % Fraction(3, 2) == 0 for o, t in zip(e.offsets, truth)]
    assert np.mean(in_bar) > 0.9
