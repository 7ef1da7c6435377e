"Performances of known skill: degradations match their log, rendering is audible and varied, the command writes a data set."
import json
from pathlib import Path
import numpy as np, pandas as pd, pytest, pretty_midi, soundfile as sf
from pianoscore.core import midi_notes
from pianoscore.perform import (score_notes, degrade, render_performance, make_performances, available_soundfonts,
                                room_params, apply_room, skill_levels, corpus_pieces, ERROR_KINDS)
from conftest import run_cli

@pytest.fixture(scope='module')
def notes(): return score_notes('bach/bwv846', seconds=8)

def test_skill_one_keeps_the_score(notes):
    pm, log = degrade(notes, 1.0, seed=5)
    got = midi_notes(pm)
    assert [(n.pitch, round(n.start, 6), round(n.end, 6), n.velocity) for n in got] == \
           [(n.pitch, round(n.start, 6), round(n.end, 6), n.velocity) for n in notes]
    assert log['errors'] == [] and all(v == 0 for v in log['counts'].values())
    assert log['score_to_perf'] == list(range(len(notes)))

@pytest.mark.parametrize('skill', [0.0, 0.3])
def test_low_skill_log_accounts_for_differences(notes, skill):
    pm, log = degrade(notes, skill, seed=11)
    got, c, s2p = midi_notes(pm), log['counts'], log['score_to_perf']
    assert c['missed'] + c['wrong'] + c['extra'] > 0
    assert len(got) == len(notes) - c['missed'] + c['extra'] == log['n_perf_notes']
    assert sum(j < 0 for j in s2p) == c['missed']
    assert sum(got[j].pitch != notes[i].pitch for i, j in enumerate(s2p) if j >= 0) == c['wrong']
    matched = {j for j in s2p if j >= 0}
    extras = [e for e in log['errors'] if e['kind'] == 'extra']
    assert sorted(e['perf_index'] for e in extras) == sorted(set(range(len(got))) - matched)
    for e in log['errors']:
        assert e['kind'] in ERROR_KINDS and set(e) >= {'kind', 'index', 'perf_index', 'time', 'pitch', 'amount'}
        if e['kind'] == 'wrong':
            n = got[e['perf_index']]; assert n.pitch == e['pitch'] and 1 <= abs(e['amount']) <= 2
            assert abs(n.pitch - notes[e['index']].pitch) == abs(e['amount']) and abs(n.start - e['time']) < 1e-3
        if e['kind'] == 'missed': assert s2p[e['index']] == -1 and e['pitch'] == notes[e['index']].pitch
        if e['kind'] == 'dynamics':
            assert got[e['perf_index']].velocity - notes[e['index']].velocity == e['amount']
    json.dumps(log)   # the log is plain JSON

def test_errors_grow_as_skill_falls(notes):
    tot = lambda s: np.mean([sum(degrade(notes, s, seed=k)[1]['counts'][x] for x in ('wrong', 'missed', 'extra', 'hesitation')) for k in range(8)])
    a, b, c = tot(0.9), tot(0.5), tot(0.0)
    assert a < b < c
    # the same seed nests errors: a worse skill misses every note a better one missed
    m = lambda s: {e['index'] for e in degrade(notes, s, seed=3)[1]['errors'] if e['kind'] == 'missed'}
    assert m(0.6) <= m(0.1)

def test_timing_and_hesitation_amounts(notes):
    pm, log = degrade(notes, 0.0, seed=2, amounts=dict(jitter_ms=0, chord_spread_ms=0, drift=0, wrong=0, missed=0, extra=0, velocity_std=0, hesitation_rate=1.0))
    got = midi_notes(pm); hes = [e for e in log['errors'] if e['kind'] == 'hesitation']
    assert hes and log['counts']['timing'] == 0
    total = sum(e['amount'] for e in hes) / 1000
    assert abs((got[-1].start - got[0].start) - (notes[-1].start - notes[0].start) - total) < 1e-3

def test_bad_input(notes):
    with pytest.raises(ValueError, match='skill'): degrade(notes, -0.1)
    with pytest.raises(ValueError, match='nope/none'): score_notes('nope/none')
    with pytest.raises(ValueError, match='room'): room_params('cave')

def test_render_audible_and_varied(notes):
    pm, _ = degrade(notes, 0.5, seed=1)
    sfs = available_soundfonts(); assert 'fluidr3' in sfs
    y1, i1 = render_performance(pm, sr=16000, seed=0, soundfont='fluidr3', program=0, room='dry')
    y2, i2 = render_performance(pm, sr=16000, seed=0, soundfont=sorted(sfs)[-1], program=4, room='hall')
    for y in (y1, y2):
        assert y.dtype == np.float32 and np.sqrt(np.mean(y ** 2)) > 0.01 and np.abs(y).max() <= 1
        assert len(y) / 16000 >= pm.get_end_time()
    assert i1['room'] == 'dry' and i2['room'] == 'hall' and i1['program'] == 0 and i2['program'] == 4
    n = min(len(y1), len(y2)); assert abs(np.corrcoef(y1[:n], y2[:n])[0, 1]) < 0.9

def test_room_reverb_lengthens_decay():
    sr = 16000; y = np.zeros(sr * 2, np.float32); y[:200] = np.hanning(200)
    dry = apply_room(y, sr, dict(rt60=0.1, wet=0.5, tilt=0, snr=None, level=-20))
    wet = apply_room(y, sr, dict(rt60=1.5, wet=0.5, tilt=0, snr=None, level=-20))
    late = slice(int(0.5 * sr), sr)
    assert np.sqrt(np.mean(wet[late] ** 2)) > 10 * np.sqrt(np.mean(dry[late] ** 2))

def test_skill_levels_have_equal_pairs():
    s = skill_levels(8, np.random.default_rng(0), equal_frac=0.25)
    assert len(s) == 8 and s.min() >= 0 and s.max() <= 1 and len(set(s)) == 6
    assert len(corpus_pieces(30)) == 30

def test_make_performances_cli(tmp_path):
    sf2 = 'timgm6mb' if 'timgm6mb' in available_soundfonts() else 'fluidr3'   # the smallest soundfont installed loads fastest
    r = run_cli('make-performances', tmp_path / 'perf', '--n-pieces', 2, '--n-per-piece', 1, '--seconds', 2, '--sr', 16000, '--n-players', 2, '--soundfonts', sf2, '--json')
    assert r.json['n_recordings'] == 2 and r.json['soundfonts'] == [sf2]
    df = pd.read_csv(r.json['recordings'])
    assert list(df.columns[:7]) == ['id', 'path', 'piece', 'skill', 'soundfont', 'room', 'player']
    for _, row in df.iterrows():
        y, sr = sf.read(tmp_path / 'perf' / row.path); assert sr == 16000 and np.sqrt(np.mean(y ** 2)) > 1e-3
        log = json.loads((tmp_path / 'perf' / row.log).read_text()); assert log['skill'] == pytest.approx(row.skill)
        assert (tmp_path / 'perf' / row.reference).exists() and (tmp_path / 'perf' / row.midi).exists()
    r = run_cli('make-performances', tmp_path / 'perf', '--n-pieces', 0, check=False)
    assert r.returncode == 1 and 'n-pieces' in r.stderr

def test_make_performances_resumes(tmp_path):
    sf2 = 'timgm6mb' if 'timgm6mb' in available_soundfonts() else 'fluidr3'
    kw = dict(n_per_piece=2, seconds=2, sr=16000, n_players=2, soundfonts=[sf2], progress=False)
    a = make_performances(tmp_path, ['mozart/k545/movement1_exposition'], **kw)
    stamp = {p: (tmp_path / p).stat().st_mtime_ns for p in a.path}
    b = make_performances(tmp_path, ['mozart/k545/movement1_exposition', 'bach/bwv846'], **kw)   # more pieces: the first are kept
    assert b.head(2).equals(a) and all((tmp_path / p).stat().st_mtime_ns == stamp[p] for p in a.path)
    for _, r in b.iterrows():
        log = json.loads((tmp_path / r.log).read_text()); assert log['player'] == r.player and log['skill'] == pytest.approx(r.skill)
    make_performances(tmp_path, ['mozart/k545/movement1_exposition'], **{**kw, 'seconds': 3})      # another plan: rendered again
    assert all((tmp_path / p).stat().st_mtime_ns != stamp[p] for p in a.path)
