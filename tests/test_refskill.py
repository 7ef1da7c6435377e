"Skill against a reference: takes of one piece ranked from their feedback, the `assess --reference` verb."
import numpy as np, pytest
from conftest import run_cli
from pianoscore.perform import score_notes, degrade
from pianoscore.refskill import assess_reference, rank_reference, load_reference_model, reference_kinds, FEATURES

@pytest.fixture(scope='module')
def takes(tmp_path_factory):
    "The reference (first 10 s of Bach's BWV 846 as MIDI) and three MIDI takes at skill 0.95, 0.5 and 0.05."
    d = tmp_path_factory.mktemp('refskill'); ref = score_notes('bach/bwv846', seconds=10, lead=0.5)
    import pretty_midi
    pm = pretty_midi.PrettyMIDI(); inst = pretty_midi.Instrument(0); inst.notes = list(ref); pm.instruments.append(inst)
    pm.write(str(d / 'ref.mid')); out = []
    for s in (0.95, 0.5, 0.05):
        degrade(ref, s, seed=11)[0].write(str(d / f'take{s}.mid')); out.append(d / f'take{s}.mid')
    return d / 'ref.mid', out

def test_shipped_weights():
    assert {'midi', 'spectral'} <= set(reference_kinds())
    for kind in reference_kinds():
        m = load_reference_model(kind=kind)
        assert m.features == list(FEATURES) and np.all(np.isfinite(m.coef)) and np.all(m.std > 0)
        assert m.coef[m.features.index('t_mad')] < 0          # more timing error, lower score

def test_rank_midi_takes(takes):
    ref, paths = takes
    reps = rank_reference(paths[::-1], ref)
    assert [r.path for r in reps] == [str(p) for p in paths] and [r.rank for r in reps] == [1, 2, 3]
    assert all(r.kind == 'midi' for r in reps)
    r = assess_reference(paths[0], ref)
    assert abs(r.score - sum(r.contributions.values())) < 1e-6 and r.feedback.summary['n_reference'] > 20

def test_assess_verb_reference_json(takes):
    ref, paths = takes
    r = run_cli('assess', paths[2], paths[0], '--reference', ref, '--json')
    assert r.json['model'] == 'reference' and [x['rank'] for x in r.json['results']] == [1, 2]
    assert r.json['results'][0]['path'] == str(paths[0]) and set(r.json['results'][0]['features']) == set(FEATURES)
    r = run_cli('assess', paths[0], '--reference', ref.parent / 'missing.mid', '--json', check=False)
    assert r.returncode == 1 and 'missing.mid' in r.json['error']

def test_bad_takes(takes, tmp_path):
    "Silence is an error; a take far shorter than the reference warns and scores below a real take."
    import soundfile as sf, warnings
    from pianoscore.perform import render_performance
    ref, paths = takes
    sf.write(tmp_path / 'silence.wav', np.zeros(44100 * 2, np.float32), 44100)
    with pytest.raises(ValueError, match='no notes heard'): assess_reference(tmp_path / 'silence.wav', ref, transcriber='spectral')
    import pretty_midi
    y, _ = render_performance(pretty_midi.PrettyMIDI(str(paths[0])), sr=22050, seed=0, soundfont='fluidr3', program=0, room='dry')
    sf.write(tmp_path / 'short.wav', y[:int(1.2 * 22050)], 22050); sf.write(tmp_path / 'full.wav', y, 22050)
    with pytest.warns(UserWarning, match='reference notes were found'): short = assess_reference(tmp_path / 'short.wav', ref, transcriber='spectral')
    assert short.score < assess_reference(tmp_path / 'full.wav', ref, transcriber='spectral').score
