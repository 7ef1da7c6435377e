"Reference-based feedback: exact results on small edits, tempo changes, the `feedback` verb."
import json
import numpy as np, pretty_midi, pytest
from conftest import run_cli

music21 = pytest.importorskip('music21')
from pianoscore.feedback import feedback, load_reference, Feedback, TimeMap, dtw

@pytest.fixture(scope='module')
def bach():
    return load_reference(music21.corpus.parse('bach/bwv846').measures(1, 6))

def edit(notes, stretch=1.0, wrong=(), missed=(), late=(), extra=()):
    "Copy of `notes`: pitches a semitone up, notes dropped, 200 ms late, extra notes added, everything slowed by `stretch`."
    out = []
    for i, n in enumerate(notes):
        if i in missed: continue
        d = 0.2 if i in late else 0.
        out.append(pretty_midi.Note(n.velocity, n.pitch + (i in wrong), (n.start + d) * stretch, (n.end + d) * stretch))
    for i in extra: out.append(pretty_midi.Note(70, notes[i].pitch - 5, (notes[i].start + 0.1) * stretch, (notes[i].start + 0.3) * stretch))
    return sorted(out, key=lambda n: (n.start, n.pitch))

def test_identical_performance_has_no_mistakes(bach):
    fb = feedback(bach, edit(bach.notes))
    assert isinstance(fb, Feedback) and fb.mistakes == [] and fb.pauses == []
    assert fb.summary['ok'] == len(bach.notes) and fb.summary['notes_right'] == 1.0
    assert len(fb.messages) == 1 and fb.messages[0].startswith('overall')

@pytest.mark.parametrize('stretch', [1.0, 1.25, 0.9])
def test_known_errors_found_in_their_bars(bach, stretch):
    fb = feedback(bach, edit(bach.notes, stretch, wrong=[20], missed=[40], late=[60], extra=[75]))
    bar = lambda i, dt=0.: bach.bar_number(bach.notes[i].start + dt)
    got = sorted([(r['status'], r['timing'], r['bar'], r['ref_index']) for r in fb.mistakes], key=str)
    want = sorted([('wrong', '', bar(20), 20), ('missed', '', bar(40), 40), ('ok', 'late', bar(60), 60),
                   ('extra', '', bar(75, 0.1), None)], key=str)
    assert got == want
    late = next(r for r in fb.notes if r['timing'] == 'late')
    assert abs(late['timing_ms'] - 200 * stretch) < 25
    wrong = next(r for r in fb.notes if r['status'] == 'wrong')
    assert wrong['played_pitch'] == wrong['pitch'] + 1
    msgs = " | ".join(fb.messages)
    n = lambda i: __import__('pianoscore.core', fromlist=['note_name']).note_name(bach.notes[i].pitch)
    assert f"bar {bar(40)}: missed {n(40)}" in msgs and f"bar {bar(60)}: dragged (the {n(60)} came" in msgs

def test_slower_tempo_gives_no_timing_flags(bach):
    fb = feedback(bach, edit(bach.notes, 1.25))
    assert fb.mistakes == []
    assert abs(fb.summary['tempo_ratio'] - 0.8) < 0.01
    assert all(abs(b['tempo_ratio'] - 0.8) < 0.02 for b in fb.bars)

def test_pause_is_a_hesitation_not_late_notes(bach):
    notes = edit(bach.notes)
    t = bach.notes[48].start - 0.01
    for n in notes:
        if n.start > t: n.start += 0.8; n.end += 0.8
    fb = feedback(bach, notes)
    assert fb.mistakes == []
    assert len(fb.pauses) == 1 and abs(fb.pauses[0]['seconds'] - 0.8) < 0.05
    assert fb.pauses[0]['bar'] == bach.bar_number(bach.notes[48].start)

def test_dynamics_flags(bach):
    notes = edit(bach.notes)
    loud = next(n for n in notes if abs(n.start - bach.notes[30].start) < 1e-6 and n.pitch == bach.notes[30].pitch)
    loud.velocity = min(127, loud.velocity + 35)
    fb = feedback(bach, notes)
    assert [(r['ref_index'], r['dynamics']) for r in fb.mistakes] == [(30, 'loud')]

def test_empty_performance_all_missed(bach):
    fb = feedback(bach, [])
    assert fb.summary['missed'] == len(bach.notes) and fb.summary['ok'] == 0

def test_timemap_and_dtw():
    tm = TimeMap([0, 1, 2], [0, 2, 4])
    assert tm(1.5) == 3 and tm.inverse(3) == 1.5 and tm(3) == 6
    assert dtw(np.array([[0, 1, 1], [1, 0, 1], [1, 1, 0.]])).tolist() == [[0, 0], [1, 1], [2, 2]]

def test_verb_json_and_files(tmp_path, bach):
    ref = pretty_midi.PrettyMIDI(); ins = pretty_midi.Instrument(0); ins.notes = list(bach.notes); ref.instruments.append(ins)
    perf = pretty_midi.PrettyMIDI(); ins2 = pretty_midi.Instrument(0); ins2.notes = edit(bach.notes, wrong=[20], missed=[40]); perf.instruments.append(ins2)
    ref.write(str(tmp_path / 'ref.mid')); perf.write(str(tmp_path / 'perf.mid'))
    r = run_cli('feedback', tmp_path / 'perf.mid', '--reference', tmp_path / 'ref.mid', '-o', tmp_path / 'out', '--json')
    d = r.json
    assert d['wrong'] == 1 and d['missed'] == 1 and d['extra'] == 0 and d['ok'] == len(bach.notes) - 2
    assert any('missed' in m for m in d['messages'])
    saved = json.loads((tmp_path / 'out' / 'feedback.json').read_text())
    assert saved['summary']['wrong'] == 1 and len(saved['notes']) == len(bach.notes)
    assert (tmp_path / 'out' / 'feedback.png').stat().st_size > 10_000

def test_verb_errors(tmp_path):
    r = run_cli('feedback', tmp_path / 'nope.mid', '--reference', 'bach/bwv846', '--json', check=False)
    assert r.returncode == 1 and 'nope.mid' in r.json['error']
    (tmp_path / 'p.mid').write_bytes(b'')
    r = run_cli('feedback', tmp_path / 'p.mid', '--json', check=False)
    assert r.returncode == 1 and '--reference' in r.json['error']

def test_audio_performance(tmp_path, bach):
    "A FluidSynth rendering of the reference with one bar's bass note left out: few false flags, the gap found."
    from pianoscore.media import render_midi, write_wav, fluidsynth_available
    if not fluidsynth_available(): pytest.skip('FluidSynth is not installed')
    from pianoscore.core import notes_to_midi
    drop = max(range(16, 48), key=lambda i: -bach.notes[i].pitch)   # a low note in bars 2-3
    y = render_midi(notes_to_midi(edit(bach.notes, missed=[drop])), sr=22050)
    write_wav(tmp_path / 'perf.wav', y, 22050)
    fb = feedback(bach, tmp_path / 'perf.wav', transcriber='spectral')
    assert fb.summary['mode'] == 'audio (spectral)'
    flagged = {r['ref_index'] for r in fb.notes if r['status'] in ('wrong', 'missed')}
    assert drop in flagged
    assert len(flagged) <= 0.1 * len(bach.notes)
    assert fb.summary['early'] + fb.summary['late'] <= 0.1 * len(bach.notes)

def test_isolated_timing_errors_flagged_and_nothing_else(bach):
    "A slightly uneven, slower performance with a 0.6 s pause: a note 250 ms late just before the pause and one 250 ms early just after it are flagged, no correctly played note is."
    rng = np.random.default_rng(0)
    k = 48                                                   # the pause comes before reference note 48
    late, early = k - 1, k + 1
    notes = []
    for i, n in enumerate(bach.notes):
        t = n.start * 1.1 + rng.uniform(-0.03, 0.03) + (0.6 if i >= k else 0.) + (0.25 if i == late else -0.25 if i == early else 0.)
        notes.append(pretty_midi.Note(n.velocity, n.pitch, t, t + (n.end - n.start) * 1.1))
    fb = feedback(bach, sorted(notes, key=lambda n: (n.start, n.pitch)))
    flagged = {r['ref_index']: r['timing'] for r in fb.mistakes}
    assert flagged == {late: 'late', early: 'early'}, flagged
    assert all(abs(abs(fb.notes[i]['timing_ms']) - 250) < 60 for i in (late, early))
    assert len(fb.pauses) == 1 and abs(fb.pauses[0]['seconds'] - 0.6) < 0.1
