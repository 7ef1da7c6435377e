"Skill ranking: features and models for any clip, losses, a short training run, the shipped weights, the verbs."
import numpy as np, pandas as pd, pytest, torch
import pretty_midi
from conftest import run_cli
from pianoscore.skill import (SkillConfig, mel_spectrogram, snippets, snippet_starts, PDR, APR, ranking_loss, model_loss,
                              fit, assess, rank, load_skill_model, WEIGHTS_DIR, skill_metrics, group_folds, train_skill)
from pianoscore.media import render_midi, write_wav
from pianoscore.core import notes_to_midi

def _tone(sr, seconds, channels=1):
    t = np.arange(int(sr * seconds)) / sr
    y = (0.3 * np.sin(2 * np.pi * 440 * t) * np.exp(-3 * (t % 0.25))).astype(np.float32)
    return y if channels == 1 else np.stack([y] * channels)

@pytest.mark.parametrize('sr,seconds,channels', [(44100, 3.0, 1), (44100, 2.0, 2), (8000, 4.0, 1), (22050, 0.3, 1), (48000, 0.3, 2)])
def test_shapes_any_clip(sr, seconds, channels):
    cfg = SkillConfig()
    m = mel_spectrogram(_tone(sr, seconds, channels), sr, cfg)
    assert m.shape[0] == 128 and abs(m.shape[1] - seconds * cfg.fps) <= 5 and np.isfinite(m).all()
    for mode in ('sparse', 'dense'):
        x = snippets(m, cfg, snippet_starts(m.shape[1], cfg.window_frames, 3, mode))
        assert x.shape[1:] == (1, *cfg.size) and len(x) >= 1
    x = snippets(m, cfg)[None]
    for net in (PDR().eval(), APR().eval()):
        o = net(x)
        assert o['score'].shape == (1,) and o['segment_scores'].shape == (1, 3) and torch.isfinite(o['score']).all()

def test_stereo_layouts_agree():
    y = _tone(22050, 1.0, 2)
    np.testing.assert_allclose(mel_spectrogram(y, 22050), mel_spectrogram(y.T, 22050), atol=1e-5)

def test_losses_by_hand():
    s1, s2 = torch.tensor([3.0, 0.2, 1.0, 0.0]), torch.tensor([1.0, 0.0, 1.4, 2.5])
    lab = torch.tensor([1, 1, 0, 0])
    # unequal: max(0, 1 - 2) = 0, max(0, 1 - 0.2) = 0.8 -> 0.4; equal: max(0, 0.4 - 1) = 0, max(0, 2.5 - 1) = 1.5 -> 0.75
    assert abs(float(ranking_loss(s1, s2, lab, margin=1.0, w=0.5)) - (0.5 * 0.4 + 0.5 * 0.75)) < 1e-6
    assert abs(float(ranking_loss(s1, s2, -lab, w=1.0)) - (3 + 1.2) / 2) < 1e-6
    assert float(ranking_loss(s1[2:], s2[2:], lab[2:], w=0.5, equal=False)) == 0.0
    o1 = dict(score=s1, good=s1, bad=-s1, att_good=s1, att_bad=-s1); o2 = dict(score=s2, good=s2, bad=-s2, att_good=s2, att_bad=-s2)
    assert float(model_loss(o1, o2, lab)) > float(ranking_loss(s1, s2, lab))

def test_metrics_and_folds():
    rec = pd.DataFrame(dict(id=[f'r{i}' for i in range(9)], piece=[f'p{i // 3}' for i in range(9)], skill=[0, .5, 1] * 3))
    f = group_folds(rec, 3)
    assert all(len({f[f'r{3 * p + j}'] for j in range(3)}) == 1 for p in range(3)) and len(set(f.values())) == 3
    pairs = pd.DataFrame(dict(a=['r2', 'r1', 'r0'], b=['r1', 'r0', 'r3'], label=[1, 1, 0]))
    m = skill_metrics({f'r{i}': float(i % 3) for i in range(9)}, pairs, rec)
    assert m['pair_acc'] == 1.0 and m['equal_acc'] == 1.0 and m['tau'] > 0.8

def test_training_reduces_loss():
    "A few steps on a tiny set where skill = how regular the onsets are lower the loss."
    rng = np.random.default_rng(0); cfg = SkillConfig(window_s=1.0, size=(32, 32)); mels, rows = {}, []
    for i in range(8):
        skill = i / 7; m = np.full((128, 400), -1.0, np.float32)
        t = np.cumsum(np.full(40, 10.) + rng.normal(0, 6 * (1 - skill), 40)).astype(int)
        for s in t[t < 395]: m[20:80, s:s + 4] = 2.0
        mels[f'c{i}'] = m; rows.append(dict(id=f'c{i}', skill=skill, piece='x'))
    pairs = pd.DataFrame([dict(a=f'c{i}', b=f'c{j}', label=int(np.sign(i - j))) for i in range(8) for j in range(8) if i != j])
    torch.manual_seed(0)
    for model in ('pdr', 'apr'):
        net, hist = fit(model, mels, pairs, cfg=cfg, steps=40, batch=8, eval_every=10, progress=False, device='cpu')
        assert hist[-1]['loss'] < hist[0]['loss'], hist

def _excerpt(skill, seed=0):
    from pianoscore.perform import degrade, score_notes
    notes = score_notes('bach/bwv846', seconds=10)
    pm, _ = degrade(notes, skill, seed=seed)
    return render_midi(pm, sr=22050)

@pytest.fixture(scope='module')
def clean_and_bad(tmp_path_factory):
    d = tmp_path_factory.mktemp('skill')
    good, bad = d / 'clean.wav', d / 'bad.wav'
    write_wav(good, _excerpt(1.0), 22050); write_wav(bad, _excerpt(0.0), 22050)
    return good, bad

@pytest.mark.parametrize('model', ['pdr', 'apr'])
def test_shipped_weights_rank_clean_above_degraded(model, clean_and_bad):
    assert (WEIGHTS_DIR / f'skill_{model}.pt').stat().st_size < 2_000_000
    good, bad = clean_and_bad
    reps = rank([bad, good], model)
    assert reps[0].path == str(good) and reps[0].rank == 1 and reps[0].score > reps[1].score
    r = assess(good, model)
    assert len(r.segment_scores) == len(r.segment_times) and abs(r.score - r.segment_scores.mean()) < 1e-5
    if model == 'apr': assert r.attention is not None and r.attention.shape[:2] == (len(r.segment_scores), 2)

def test_assess_odd_inputs(tmp_path):
    r = assess(_tone(48000, 0.3, 2), sr=48000)                 # short stereo 48 kHz clip: padded, scored
    assert np.isfinite(r.score) and len(r.segment_scores) == 1
    with pytest.raises(ValueError, match='silent'): assess(np.zeros(44100, np.float32), sr=44100)
    bad = tmp_path / 'notes.wav'; bad.write_text('this is not audio')
    with pytest.raises(ValueError, match='cannot read'): assess(bad)
    with pytest.raises(FileNotFoundError): assess(tmp_path / 'missing.wav')

def test_assess_verb_json(clean_and_bad):
    good, bad = clean_and_bad
    r = run_cli('assess', bad, good, '--json', '-m', 'apr')
    res = r.json['results']
    assert [x['rank'] for x in res] == [1, 2] and res[0]['path'] == str(good)
    assert all({'path', 'score', 'rank', 'segment_scores'} <= set(x) for x in res)
    r = run_cli('assess', good.parent / 'nope.wav', '--json', check=False)
    assert r.returncode == 1 and 'not found' in r.json['error']

def test_train_skill_verb(tmp_path):
    "train-skill end to end on six short clips of three pieces (2 folds, a few steps)."
    rows, pairs = [], []
    for p in range(3):
        for j, s in enumerate((0.0, 1.0)):
            y = render_midi(notes_to_midi([pretty_midi.Note(80, 60 + p + 4 * k % 12, 0.3 * k, 0.3 * k + 0.25) for k in range(6)]), sr=16000)
            if s == 0: y = y + np.random.default_rng(p).normal(0, 0.05, len(y)).astype(np.float32)
            write_wav(tmp_path / f'{p}{j}.wav', y, 16000); rows.append(dict(id=f'{p}{j}', path=f'{p}{j}.wav', piece=f'p{p}', skill=s))
        pairs.append(dict(a=f'{p}1', b=f'{p}0', label=1))
    pd.DataFrame(rows).to_csv(tmp_path / 'recordings.csv', index=False); pd.DataFrame(pairs).to_csv(tmp_path / 'pairs.csv', index=False)
    r = run_cli('train-skill', tmp_path / 'pairs.csv', '--folds', 3, '--steps', 4, '-o', tmp_path / 'run', '--json')
    assert len(r.json['per_fold']) == 3 and 'pair_acc' in r.json['mean']
    assert (tmp_path / 'run' / 'skill_pdr_fold0.pt').exists() and (tmp_path / 'run' / 'results_pdr.json').exists()

def test_train_skill_within_piece_figures_and_train_pieces(tmp_path):
    "Per-fold figures on the pairs of one piece's takes alone, and a cap on the training pieces (learning curves)."
    rows = []
    for p in range(6):
        for j, s in enumerate((0.0, 0.5, 1.0)):
            y = render_midi(notes_to_midi([pretty_midi.Note(80, 60 + p + 4 * k % 12, 0.3 * k, 0.3 * k + 0.25) for k in range(6)]), sr=16000)
            y = y + np.random.default_rng(10 * p + j).normal(0, 0.05 * (1 - s), len(y)).astype(np.float32)
            write_wav(tmp_path / f'{p}{j}.wav', y, 16000); rows.append(dict(id=f'{p}{j}', path=f'{p}{j}.wav', piece=f'p{p}', skill=s))
    rec = pd.DataFrame(rows); rec.to_csv(tmp_path / 'recordings.csv', index=False)
    from pianoscore.pairs import make_pairs
    make_pairs(rec).to_csv(tmp_path / 'pairs.csv', index=False)          # across pieces too
    cfg = SkillConfig(window_s=0.5, size=(32, 16))
    r = train_skill(tmp_path / 'pairs.csv', folds=3, steps=2, out=tmp_path / 'run', cfg=cfg, train_pieces=1, progress=False, device='cpu')
    for f in r['per_fold']:
        assert f['n_train_pieces'] == 1
        n_test_pieces = len(f['test_pieces'])
        assert f['within_n_pairs'] == 3 * n_test_pieces and f['n_pairs'] == 3 * n_test_pieces * (3 * n_test_pieces - 1) // 2
        assert 0 <= f['within_pair_acc'] <= 1
    full = train_skill(tmp_path / 'pairs.csv', folds=3, steps=2, out=tmp_path / 'run2', cfg=cfg, progress=False, device='cpu')
    assert max(f['n_train_pieces'] for f in full['per_fold']) > 1
